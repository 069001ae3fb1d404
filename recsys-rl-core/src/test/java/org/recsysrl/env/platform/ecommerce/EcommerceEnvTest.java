package org.recsysrl.env.platform.ecommerce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.recsysrl.env.StepResult;

class EcommerceEnvTest {
    private static final EcommerceSpec SPEC = EcommerceSpec.defaults();
    private static final EcommerceCatalog CATALOG = new EcommerceCatalog(SPEC);

    @Test
    void funnelFormulasByHand() {
        // θ = 0.5, q = 0.5, f = 0: σ(1 + 0.5 − 0.5) = σ(1); purchase at price 40: σ(1.5 + 1 − 1) = σ(1.5)
        assertThat(EcommerceResponse.clickProbability(0.5, 0.5, 0)).isCloseTo(1 / (1 + Math.exp(-1)), within(1e-12));
        assertThat(EcommerceResponse.purchaseProbability(0.5, 0.5, 40)).isCloseTo(1 / (1 + Math.exp(-1.5)), within(1e-12));
        assertThat(EcommerceResponse.expectedRevenue(0.5, 0.5, 0, 40))
                .isCloseTo(40 / (1 + Math.exp(-1)) / (1 + Math.exp(-1.5)), within(1e-9));
        assertThat(EcommerceResponse.satisfaction(0.5, 80)).isCloseTo(-0.3, within(1e-12));
    }

    @Test
    void aSessionIsItsViewsAndRevenueIsThePriceOfWhatIsBought() {
        EcommerceEnv env = new EcommerceEnv(CATALOG, 3);
        float[] obs = new float[SPEC.observationSize()];
        StepResult r = new StepResult();
        env.reset(5, obs, 0);
        assertThat(obs[0]).isEqualTo(CATALOG.interest(5, 0));
        double revenue = 0;
        int steps = 0;
        do {
            int item = (steps * 7) % SPEC.items();
            env.step(item, obs, 0, r);
            assertThat(r.reward == 0f || r.reward == CATALOG.price(item)).isTrue();
            revenue += r.reward;
            steps++;
        } while (!r.done());
        assertThat(r.terminated).isTrue();
        // every session shows exactly `views` products
        assertThat(steps).isEqualTo(env.engagement().sessions * SPEC.views());
        assertThat(env.engagement().purchases).isLessThanOrEqualTo(env.engagement().clicks);
        assertThat(revenue).isGreaterThanOrEqualTo(0);
        assertThatThrownBy(() -> env.step(0, obs, 0, r)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void showingACategoryFatiguesIt() {
        EcommerceEnv env = new EcommerceEnv(CATALOG, 1);
        float[] obs = new float[SPEC.observationSize()];
        StepResult r = new StepResult();
        env.reset(0, obs, 0);
        int c = SPEC.categories();
        env.step(0, obs, 0, r);
        env.step(1, obs, 0, r);
        // category 0 shown twice: 0.5 · 0.8 + 0.5; the others untouched
        assertThat((double) obs[c]).isCloseTo(0.9, within(1e-6));
        assertThat(obs[c + 1]).isZero();
        assertThat((double) obs[2 * c]).isCloseTo((SPEC.views() - 2.0) / SPEC.views(), within(1e-6));
    }
}

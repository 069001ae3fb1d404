package org.recsysrl.env.platform.ecommerce;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.ecommerce.EcommerceCatalog;
import org.recsysrl.env.platform.ecommerce.EcommerceEnv;
import org.recsysrl.env.platform.ecommerce.EcommerceSpec;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.util.Rng;

class EcommerceReferencesTest {
    private static final EcommerceCatalog CATALOG = new EcommerceCatalog(EcommerceSpec.defaults());

    /** The design guard: valuing what a purchase does to the shopper's return beats the myopic oracle by over 10 %. */
    @Test
    void valueForMoneyBeatsTheMyopicOracleOnRevenueOverSessions() {
        int[] users = PlatformComparison.users(300, CATALOG.spec().users(), 3);
        List<PlatformComparison.Row> rows = PlatformComparison.run(s -> new EcommerceEnv(CATALOG, s),
                List.<Policy>of(EcommerceReferences.myopicOracle(CATALOG), EcommerceReferences.valueAware(CATALOG),
                        EcommerceReferences.random(CATALOG, new Rng(4))), users, 77, EcommerceReferences.FIGURES);
        PlatformComparison.Row myopic = rows.get(0);
        PlatformComparison.Row valueAware = rows.get(1);
        assertThat(valueAware.episodeReturn().low()).isGreaterThan(1.1 * myopic.episodeReturn().high());
        assertThat(valueAware.figures().get(0).mean()).as("sessions").isGreaterThan(myopic.figures().get(0).mean() + 1);
        assertThat(valueAware.figures().get(3).mean()).as("satisfaction").isGreaterThan(myopic.figures().get(3).mean());
        assertThat(myopic.episodeReturn().mean()).isGreaterThan(rows.get(2).episodeReturn().mean());
    }
}

package org.recsysrl.env.platform.interestevolution;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.CandidateBlocks;
import org.recsysrl.agent.Policy;
import org.recsysrl.agent.SlateBandit;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionCatalog;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionEnv;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionReferences;
import org.recsysrl.env.platform.interestevolution.InterestEvolutionSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.eval.PlatformComparison;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.ReferenceBandits;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/** {@code interest-evolution} (docs/environments.md): {@link InterestEvolutionEnv} and its reference policies. */
public final class InterestEvolutionPlatform implements Platform {
    @Override
    public String name() {
        return "interest-evolution";
    }

    @Override
    public String description() {
        return "slates of 3 from 10 candidates drawn each step, a choice model with a no-click option, over several"
                + " sessions; clickbait wins the click and spends the budget; long-term measure: minutes watched";
    }

    /** The corpus and users of {@code envSeed}. */
    static InterestEvolutionCatalog catalog(long envSeed) {
        InterestEvolutionSpec d = InterestEvolutionSpec.defaults();
        return new InterestEvolutionCatalog(new InterestEvolutionSpec(d.topics(), d.docsPerTopic(), d.clickbaitTopics(),
                d.candidates(), d.slateSize(), d.users(), d.sessionBudget(), d.docLength(), d.stepCost(),
                d.qualityRefund(), d.choiceScale(), d.noClickScore(), d.positionDecay(), d.interestDrift(),
                d.noClicksToLeave(), d.maxSessions(), d.returnSlope(), d.returnBias(), d.maxSteps(), envSeed));
    }

    /** The actions are candidate slots whose documents change every step: no item features, the logits head. */
    @Override
    public Setup setup(long envSeed) {
        InterestEvolutionCatalog catalog = catalog(envSeed);
        InterestEvolutionSpec spec = catalog.spec();
        return new Setup(spec.observationSize(), spec.candidates(), spec.slateSize(), null, 0,
                new CandidateBlocks(spec.candidatesOffset(), spec.candidateWidth(), spec.candidates()), null, spec.users(),
                seed -> new InterestEvolutionEnv(catalog, seed), null);
    }

    /**
     * Random, popular, the myopic oracle, budget-aware, and LinUCB and ε-greedy on the candidates'
     * blocks of the observation (one regression shared by all candidates, {@link SlateBandit}).
     */
    @Override
    public List<Policy> references(Setup setup, long envSeed, long seed) {
        InterestEvolutionCatalog catalog = ((InterestEvolutionEnv) setup.newEnv().apply(0)).catalog();
        InterestEvolutionSpec spec = catalog.spec();
        List<Policy> out = new ArrayList<>();
        out.add(InterestEvolutionReferences.random(spec, Rng.stream(seed, 7)));
        out.add(InterestEvolutionReferences.popular(catalog));
        out.add(InterestEvolutionReferences.myopicOracle(catalog));
        out.add(InterestEvolutionReferences.budgetAware(catalog));
        int offset = spec.candidatesOffset();
        int width = spec.candidateWidth();
        List<Policy> bandits = List.of(
                SlateBandit.linUcb(offset, width, spec.candidates(), spec.slateSize(), ReferenceBandits.RIDGE,
                        ReferenceBandits.UCB_ALPHA),
                SlateBandit.epsilonGreedy(offset, width, spec.candidates(), spec.slateSize(), ReferenceBandits.RIDGE,
                        ReferenceBandits.EPSILON, Rng.stream(seed, 8)));
        for (Policy bandit : bandits) {
            PlatformComparison.warmUp(bandit, setup.newEnv().apply(seed + 1), ReferenceBandits.WARM_UP,
                    Rng.stream(seed, 9));
        }
        out.addAll(bandits);
        return out;
    }

    @Override
    public EngagementFigures figures() {
        return InterestEvolutionReferences.FIGURES;
    }

    /**
     * The candidate head over a 64-unit MLP, and gentler PPO steps than the default preset's: a
     * slate's log-probability is a sum of K terms, so the same learning rate and epochs move the
     * policy K times as far (docs/environments.md).
     */
    @Override
    public List<String> settings() {
        return List.of("model.actor_head=candidates", "model.actor_hidden_dims=64", "ppo.lr=0.001",
                "ppo.update_epochs=4", "ppo.ent_coef=0.03");
    }
}

package org.recsysrl.env.platform.education;

import java.util.ArrayList;
import java.util.List;
import org.recsysrl.agent.Policy;
import org.recsysrl.env.platform.education.EducationEnv;
import org.recsysrl.env.platform.education.EducationReferences;
import org.recsysrl.env.platform.education.EducationSpec;
import org.recsysrl.eval.EngagementFigures;
import org.recsysrl.setup.Platform;
import org.recsysrl.setup.ReferenceBandits;
import org.recsysrl.setup.Setup;
import org.recsysrl.util.Rng;

/** {@code education} (docs/environments.md): {@link EducationEnv} and its reference policies. */
public final class EducationPlatform implements Platform {
    @Override
    public String name() {
        return "education";
    }

    @Override
    public String description() {
        return "one exercise at a time over several sessions; skills form a chain of prerequisites and later skills"
                + " are worth more; long-term measure: the weighted learning gain";
    }

    /**
     * An exercise's features for the embedding actor head are its skill and its level, each
     * one-hot (what a tutoring system knows): a score linear in them can still peak at a middle
     * difficulty, which a score linear in the difficulty itself could not.
     */
    @Override
    public Setup setup(long envSeed) {
        EducationSpec spec = EducationSpec.withSeed(envSeed);
        float[] learners = EducationEnv.learners(spec);
        int dim = spec.skills() + spec.levels();
        float[] features = new float[spec.items() * dim];
        for (int i = 0; i < spec.items(); i++) {
            features[i * dim + spec.skill(i)] = 1f;
            features[i * dim + spec.skills() + i % spec.levels()] = 1f;
        }
        return new Setup(spec.observationSize(), spec.items(), features, dim, spec.learners(),
                seed -> new EducationEnv(spec, learners, seed), null);
    }

    @Override
    public List<Policy> references(Setup setup, long envSeed, long seed) {
        EducationSpec spec = EducationSpec.withSeed(envSeed);
        List<Policy> out = new ArrayList<>();
        out.add(EducationReferences.random(spec, Rng.stream(seed, 7)));
        out.add(EducationReferences.popular(spec, EducationEnv.learners(spec)));
        out.add(EducationReferences.myopicOracle(spec));
        out.add(EducationReferences.prerequisiteFirst(spec));
        out.addAll(ReferenceBandits.of(setup, seed));
        return out;
    }

    @Override
    public EngagementFigures figures() {
        return EducationReferences.FIGURES;
    }

    /**
     * The logits head over an MLP: the embedding head's score, linear in fixed features, cannot
     * express what these exercises are worth in each state (docs/environments.md). A2C gets an
     * entropy bonus of 0.03: without one it settles on the easy exercises within the first updates
     * (chosen from 0, 0.01, 0.03 and 0.1 on training seeds and learners apart from the documented
     * results').
     */
    @Override
    public List<String> settings() {
        return List.of(LOGITS_HEAD.get(0), LOGITS_HEAD.get(1), "a2c.ent_coef=0.03");
    }
}

package org.recsysrl.cli;

import java.util.List;
import org.recsysrl.agent.ActorCritic;
import org.recsysrl.config.PolicyNetworkConfig;
import org.recsysrl.nn.Activation;
import org.recsysrl.nn.WeightInit;
import org.recsysrl.util.Rng;

/**
 * Runs the network's forward and backward passes often enough, at the batch sizes of the tiny runs,
 * that the JIT compiles them with C2 (test helper). A run after this and a run in a fresh JVM
 * exercise the same maths through different code: their results must still agree bit for bit.
 */
public final class JitWarmup {
    private static boolean done;

    private JitWarmup() {
    }

    public static synchronized void run() {
        if (done) {
            return;
        }
        ActorCritic model = new ActorCritic(ActorCritic.Spec.of(64, 50), PolicyNetworkConfig.of(List.of(16), List.of(16), Activation.TANH, WeightInit.PYTORCH),
                new Rng(1));
        Rng rng = new Rng(2);
        float[] obs = new float[16 * 64];
        for (int i = 0; i < obs.length; i++) {
            obs[i] = (float) rng.nextGaussian();
        }
        ActorCritic.Workspace ws = model.newWorkspace(16);
        for (int k = 0; k < 20_000; k++) {
            int batch = k % 3 == 0 ? 1 : k % 3 == 1 ? 2 : 16;
            model.policy(ws, obs, batch);
            model.value(ws, obs, batch);
            model.backward(ws, obs, batch);
        }
        done = true;
    }
}

package org.recsysrl.agent;

import org.recsysrl.nn.Linear;
import org.recsysrl.nn.ParameterStore;

/**
 * A two-level actor head: first a group (a content type, a category), then an item within it.
 * From the actor's features it computes a logit z_c per group ({@code actor.group_logits}) and a
 * logit y_i per item ({@code actor.logits}), and writes for every item i of group c
 *
 * <pre>
 *   logit_i = z_c + y_i − log Σ_{j ∈ c} e^{y_j}
 * </pre>
 *
 * so that softmax(logit)_i = π(c) · π(i | c) with π(c) = softmax(z)_c and π(i | c) the softmax of
 * y within c: sampling an item from these logits is sampling a group, then an item of it, and the
 * item's log-probability (what PPO's ratio and A2C's term use) is log π(c) + log π(i | c).
 * Gradient, with d_i = dL/dlogit_i: dz_c = Σ_{i ∈ c} d_i, dy_i = d_i − π(i | c)·Σ_{j ∈ c} d_j.
 */
public final class HierarchicalHead implements ActorHead {
    private final Linear groupLayer;
    private final Linear itemLayer;
    private final int[] groupOf;
    private final int groups;

    /**
     * @param groupOf the group of every item, each in [0, groups); every group must have an item
     */
    public HierarchicalHead(ParameterStore store, int featureSize, int[] groupOf) {
        int g = 0;
        for (int c : groupOf) {
            if (c < 0) {
                throw new IllegalArgumentException("item groups must be >= 0");
            }
            g = Math.max(g, c + 1);
        }
        boolean[] used = new boolean[g];
        for (int c : groupOf) {
            used[c] = true;
        }
        for (int c = 0; c < g; c++) {
            if (!used[c]) {
                throw new IllegalArgumentException("group " + c + " has no item");
            }
        }
        this.groups = g;
        this.groupOf = groupOf.clone();
        this.groupLayer = new Linear(store, "actor.group_logits", featureSize, g);
        this.itemLayer = new Linear(store, "actor.logits", featureSize, groupOf.length);
    }

    /** The group layer and the item layer (for initialisation). */
    public Linear[] layers() {
        return new Linear[] {groupLayer, itemLayer};
    }

    @Override
    public int featureSize() {
        return itemLayer.in();
    }

    @Override
    public int actionCount() {
        return groupOf.length;
    }

    /** Group logits, item logits, each group's log-normaliser, and the backward pass's buffers. */
    private static final class State implements Workspace {
        final float[] z;
        final float[] y;
        final double[] lse;
        final float[] dz;
        final float[] dy;
        final float[] dFeatures2;
        final double[] groupSums;
        final int groups;
        final int items;

        State(int capacity, int groups, int items, int features) {
            this.groups = groups;
            this.items = items;
            z = new float[capacity * groups];
            y = new float[capacity * items];
            lse = new double[capacity * groups];
            dz = new float[capacity * groups];
            dy = new float[capacity * items];
            dFeatures2 = new float[capacity * features];
            groupSums = new double[groups];
        }

        @Override
        public void copyRows(Workspace source, int sourceRow, int targetRow, int rows) {
            State s = (State) source;
            System.arraycopy(s.z, sourceRow * groups, z, targetRow * groups, rows * groups);
            System.arraycopy(s.y, sourceRow * items, y, targetRow * items, rows * items);
            System.arraycopy(s.lse, sourceRow * groups, lse, targetRow * groups, rows * groups);
        }
    }

    @Override
    public Workspace newWorkspace(int capacity) {
        return new State(capacity, groups, groupOf.length, featureSize());
    }

    @Override
    public void forward(Workspace workspace, float[] features, float[] logits, int batch) {
        State ws = (State) workspace;
        int n = groupOf.length;
        groupLayer.forward(features, ws.z, batch);
        itemLayer.forward(features, ws.y, batch);
        double[] max = ws.groupSums;
        for (int b = 0; b < batch; b++) {
            int row = b * n;
            int gRow = b * groups;
            java.util.Arrays.fill(max, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                max[groupOf[i]] = Math.max(max[groupOf[i]], ws.y[row + i]);
            }
            for (int c = 0; c < groups; c++) {
                ws.lse[gRow + c] = 0;
            }
            for (int i = 0; i < n; i++) {
                ws.lse[gRow + groupOf[i]] += Math.exp(ws.y[row + i] - max[groupOf[i]]);
            }
            for (int c = 0; c < groups; c++) {
                ws.lse[gRow + c] = max[c] + Math.log(ws.lse[gRow + c]);
            }
            for (int i = 0; i < n; i++) {
                int c = groupOf[i];
                logits[row + i] = (float) (ws.z[gRow + c] + ws.y[row + i] - ws.lse[gRow + c]);
            }
        }
    }

    @Override
    public void backward(Workspace workspace, float[] features, float[] dLogits, float[] dFeatures, int batch,
            boolean accumulate) {
        State ws = (State) workspace;
        int n = groupOf.length;
        double[] sums = ws.groupSums;
        for (int b = 0; b < batch; b++) {
            int row = b * n;
            int gRow = b * groups;
            java.util.Arrays.fill(sums, 0);
            for (int i = 0; i < n; i++) {
                sums[groupOf[i]] += dLogits[row + i];
            }
            for (int c = 0; c < groups; c++) {
                ws.dz[gRow + c] = (float) sums[c];
            }
            for (int i = 0; i < n; i++) {
                int c = groupOf[i];
                double within = Math.exp(ws.y[row + i] - ws.lse[gRow + c]);
                ws.dy[row + i] = (float) (dLogits[row + i] - within * sums[c]);
            }
        }
        groupLayer.backward(features, ws.dz, dFeatures, batch, accumulate);
        itemLayer.backward(features, ws.dy, dFeatures == null ? null : ws.dFeatures2, batch, accumulate);
        if (dFeatures != null) {
            int m = batch * featureSize();
            for (int k = 0; k < m; k++) {
                dFeatures[k] += ws.dFeatures2[k];
            }
        }
    }
}

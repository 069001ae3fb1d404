package org.recsysrl.train;

import org.recsysrl.agent.UpdateStats;

/** Running means of the update statistics between two log lines. */
final class StatsWindow {
    private int count;
    private double policyLoss;
    private double valueLoss;
    private double entropy;
    private double approxKl;
    private double clipFraction;
    private double explainedVariance;
    private int explainedVarianceCount;
    private double gradNorm;
    private double learningRate;

    void add(UpdateStats s) {
        count++;
        policyLoss += s.policyLoss();
        valueLoss += s.valueLoss();
        entropy += s.entropy();
        approxKl += s.approxKl();
        clipFraction += s.clipFraction();
        if (!Double.isNaN(s.explainedVariance())) {
            explainedVariance += s.explainedVariance();
            explainedVarianceCount++;
        }
        gradNorm += s.gradNorm();
        learningRate = s.learningRate();
    }

    boolean isEmpty() {
        return count == 0;
    }

    void clear() {
        count = 0;
        policyLoss = valueLoss = entropy = approxKl = clipFraction = explainedVariance = gradNorm = 0;
        explainedVarianceCount = 0;
    }

    double policyLoss() {
        return policyLoss / count;
    }

    double valueLoss() {
        return valueLoss / count;
    }

    double entropy() {
        return entropy / count;
    }

    double approxKl() {
        return approxKl / count;
    }

    double clipFraction() {
        return clipFraction / count;
    }

    double explainedVariance() {
        return explainedVarianceCount == 0 ? Double.NaN : explainedVariance / explainedVarianceCount;
    }

    double gradNorm() {
        return gradNorm / count;
    }

    double learningRate() {
        return learningRate;
    }
}

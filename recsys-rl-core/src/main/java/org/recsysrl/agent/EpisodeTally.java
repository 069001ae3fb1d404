package org.recsysrl.agent;

/**
 * Sums of the returns and lengths of episodes finished since the last {@link #drain}, for log lines.
 */
public final class EpisodeTally {
    private double returnSum;
    private long lengthSum;
    private int count;
    private long total;

    /** Records one finished episode. */
    public void add(double episodeReturn, int length) {
        returnSum += episodeReturn;
        lengthSum += length;
        count++;
        total++;
    }

    /** Episodes finished since the last drain. */
    public int count() {
        return count;
    }

    /** Episodes finished since the start of training. */
    public long total() {
        return total;
    }

    /** Mean return of the episodes since the last drain (NaN if none). */
    public double meanReturn() {
        return count == 0 ? Double.NaN : returnSum / count;
    }

    /** Mean length of the episodes since the last drain (NaN if none). */
    public double meanLength() {
        return count == 0 ? Double.NaN : (double) lengthSum / count;
    }

    /** Forgets the episodes since the last drain (the total is kept). */
    public void drain() {
        returnSum = 0;
        lengthSum = 0;
        count = 0;
    }

    /** Restores the running total after a resume. */
    public void restoreTotal(long totalEpisodes) {
        this.total = totalEpisodes;
    }
}

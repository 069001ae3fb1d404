package org.recsysrl.env.platform.longvideo;

/**
 * The parameters of the {@code long-video} environment (docs/environments.md gives the equations).
 *
 * @param genres number of genres G
 * @param perGenre videos per genre (half of them short, half long)
 * @param users number of users
 * @param sessionMinutes minutes a session lasts at most (an evening)
 * @param browseCost minutes a video the user does not start costs
 * @param fatigueScale minutes of watching after which fatigue reaches 1
 * @param fatiguePenalty how much fatigue (per hour of the video's length) lowers the fraction watched
 * @param skipsToLeave videos in a row the user does not start after which the session ends
 * @param maxSessions sessions per episode at most
 * @param returnSlope how strongly the session's mean completion moves the return probability
 * @param returnCenter the mean completion at which the return probability is σ(returnBias)
 * @param returnBias bias of the return probability
 * @param maxSteps time limit of an episode (a truncation)
 * @param seed the environment seed (videos and users)
 */
public record LongVideoSpec(int genres, int perGenre, int users, double sessionMinutes, double browseCost,
        double fatigueScale, double fatiguePenalty, int skipsToLeave, int maxSessions, double returnSlope,
        double returnCenter, double returnBias, int maxSteps, long seed) {

    /** 6 genres × 10 videos, 1,000 users, evenings of 150 minutes, at most 5 sessions. */
    public static LongVideoSpec withSeed(long seed) {
        return new LongVideoSpec(6, 10, 1000, 150, 2, 120, 0.8, 2, 5, 12, 0.75, 0.5, 1000, seed);
    }

    public LongVideoSpec {
        if (genres < 1 || perGenre < 2 || users < 1 || skipsToLeave < 1 || maxSessions < 1 || maxSteps < 1) {
            throw new IllegalArgumentException("long-video: genres, videos per genre (at least 2), users, skips to"
                    + " leave, sessions and steps must be positive");
        }
        if (!(sessionMinutes > 0) || !(browseCost >= 0) || !(fatigueScale > 0) || !(fatiguePenalty >= 0)) {
            throw new IllegalArgumentException("long-video: session minutes and fatigue scale positive, costs and"
                    + " penalty non-negative");
        }
    }

    /** Number of videos (the actions). */
    public int items() {
        return genres * perGenre;
    }

    /** Genre of video {@code i}. */
    public int genre(int i) {
        return i / perGenre;
    }

    /** Observation width: interests (G), fatigue, minutes left / session, skip streak, completion so far, session index, bias. */
    public int observationSize() {
        return genres + 6;
    }
}

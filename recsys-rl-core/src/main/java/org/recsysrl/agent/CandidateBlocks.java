package org.recsysrl.agent;

/**
 * Where an observation describes the step's candidates: {@code count} blocks of {@code width}
 * floats, block s (the features of action s) from {@code offset + s·width}. Environments whose
 * actions are slots of candidates drawn each step (e.g. {@code interest-evolution}) give this to the
 * {@link CandidateHead}.
 */
public record CandidateBlocks(int offset, int width, int count) {
    public CandidateBlocks {
        if (offset < 0 || width < 1 || count < 1) {
            throw new IllegalArgumentException("candidate blocks need offset >= 0, width >= 1 and count >= 1");
        }
    }
}

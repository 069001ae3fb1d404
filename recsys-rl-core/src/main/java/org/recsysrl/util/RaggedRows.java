package org.recsysrl.util;

/**
 * Rows of different lengths (one per item, say) packed back to back: row j is
 * {@code [offsets[j], offsets[j+1])} of {@code ids} and {@code values}.
 *
 * @param offsets {@code [rows + 1]} offsets
 * @param ids every row's ids, back to back
 * @param values every row's values, back to back
 */
public record RaggedRows(int[] offsets, int[] ids, float[] values) {

    /** Packs {@code ids[j]} and {@code values[j]} (of equal lengths) for every row j. */
    public static RaggedRows pack(int[][] ids, float[][] values) {
        int n = ids.length;
        int[] offsets = new int[n + 1];
        for (int j = 0; j < n; j++) {
            offsets[j + 1] = offsets[j] + ids[j].length;
        }
        int[] flatIds = new int[offsets[n]];
        float[] flatValues = new float[offsets[n]];
        for (int j = 0; j < n; j++) {
            System.arraycopy(ids[j], 0, flatIds, offsets[j], ids[j].length);
            System.arraycopy(values[j], 0, flatValues, offsets[j], values[j].length);
        }
        return new RaggedRows(offsets, flatIds, flatValues);
    }
}

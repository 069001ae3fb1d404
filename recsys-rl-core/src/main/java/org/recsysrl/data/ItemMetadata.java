package org.recsysrl.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Titles and genres of the items of a {@link RatingDataset}, indexed by dense item index.
 *
 * <p>An item the metadata file does not describe (or every item, when there is no metadata file)
 * has a null title and no genres. Genres are numbered {@code 0..genreCount()-1} in order of first
 * appearance in the file (MovieLens 100k: the fixed order of its 19 flag columns); MovieLens's
 * {@code (no genres listed)} is stored as no genres. Genre lists are held compactly
 * (compressed-sparse-row: {@code genreOffsets}, {@code genreIds}). Immutable.
 */
public final class ItemMetadata {
    private final String[] titles;
    private final String[] genreNames;
    private final int[] genreOffsets;
    private final int[] genreIds;
    private final int described;

    private ItemMetadata(String[] titles, String[] genreNames, int[] genreOffsets, int[] genreIds) {
        this.titles = titles;
        this.genreNames = genreNames;
        this.genreOffsets = genreOffsets;
        this.genreIds = genreIds;
        int n = 0;
        for (String t : titles) {
            if (t != null) {
                n++;
            }
        }
        this.described = n;
    }

    /** Metadata for {@code itemCount} items, none of them described. */
    public static ItemMetadata empty(int itemCount) {
        return new ItemMetadata(new String[itemCount], new String[0], new int[itemCount + 1], new int[0]);
    }

    /** Number of items (the data set's item count). */
    public int itemCount() {
        return titles.length;
    }

    /** Number of items the metadata file described. */
    public int describedCount() {
        return described;
    }

    /** The title of {@code item}, or null if the metadata does not describe it. */
    public String title(int item) {
        return titles[item];
    }

    /** Size of the genre vocabulary. */
    public int genreCount() {
        return genreNames.length;
    }

    /** Name of genre {@code genre}. */
    public String genreName(int genre) {
        return genreNames[genre];
    }

    /** Number of genres of {@code item}. */
    public int genreCountOf(int item) {
        return genreOffsets[item + 1] - genreOffsets[item];
    }

    /** The {@code k}-th genre id of {@code item}, {@code 0 <= k < genreCountOf(item)}. */
    public int genreOf(int item, int k) {
        Objects.checkIndex(k, genreCountOf(item));
        return genreIds[genreOffsets[item] + k];
    }

    /** True if {@code item} has genre {@code genre}. */
    public boolean hasGenre(int item, int genre) {
        for (int p = genreOffsets[item]; p < genreOffsets[item + 1]; p++) {
            if (genreIds[p] == genre) {
                return true;
            }
        }
        return false;
    }

    /** The genre names of {@code item}, in file order (a new list). */
    public List<String> genres(int item) {
        List<String> out = new ArrayList<>(genreCountOf(item));
        for (int p = genreOffsets[item]; p < genreOffsets[item + 1]; p++) {
            out.add(genreNames[genreIds[p]]);
        }
        return out;
    }

    /** The whole genre vocabulary, index = genre id. */
    public List<String> genreNames() {
        return Collections.unmodifiableList(Arrays.asList(genreNames));
    }

    /**
     * The metadata of the items {@code kept[0..)}, renumbered {@code 0..kept.length-1} in that
     * order (the genre vocabulary is kept whole).
     */
    ItemMetadata subset(int[] kept) {
        String[] t = new String[kept.length];
        int[] offsets = new int[kept.length + 1];
        for (int k = 0; k < kept.length; k++) {
            t[k] = titles[kept[k]];
            offsets[k + 1] = offsets[k] + genreCountOf(kept[k]);
        }
        int[] ids = new int[offsets[kept.length]];
        for (int k = 0; k < kept.length; k++) {
            System.arraycopy(genreIds, genreOffsets[kept[k]], ids, offsets[k], genreCountOf(kept[k]));
        }
        return new ItemMetadata(t, genreNames, offsets, ids);
    }

    /** Collects metadata lines as they are read. Not thread-safe. */
    static final class Builder {
        private final String[] titles;
        private final int[][] genres;
        private final List<String> genreNames = new ArrayList<>();
        private final Map<String, Integer> genreIndex = new HashMap<>();

        Builder(int itemCount) {
            titles = new String[itemCount];
            genres = new int[itemCount][];
        }

        /** The id of the genre called {@code name}, adding it to the vocabulary if new. */
        int genre(String name) {
            Integer g = genreIndex.get(name);
            if (g == null) {
                g = genreNames.size();
                genreNames.add(name);
                genreIndex.put(name, g);
            }
            return g;
        }

        /** True if {@code item} was already described. */
        boolean described(int item) {
            return titles[item] != null;
        }

        /** Describes {@code item}: its title and the first {@code n} entries of {@code genreIds}. */
        void set(int item, String title, int[] genreIds, int n) {
            titles[item] = Objects.requireNonNull(title, "title");
            genres[item] = Arrays.copyOf(genreIds, n);
        }

        ItemMetadata build() {
            int[] offsets = new int[titles.length + 1];
            for (int i = 0; i < titles.length; i++) {
                offsets[i + 1] = offsets[i] + (genres[i] == null ? 0 : genres[i].length);
            }
            int[] ids = new int[offsets[titles.length]];
            for (int i = 0; i < titles.length; i++) {
                if (genres[i] != null) {
                    System.arraycopy(genres[i], 0, ids, offsets[i], genres[i].length);
                }
            }
            return new ItemMetadata(titles.clone(), genreNames.toArray(new String[0]), offsets, ids);
        }
    }
}

package org.recsysrl.cli;

import java.util.Iterator;
import org.recsysrl.workload.Platforms;

/**
 * The registered platforms' names, for help texts ({@code ${COMPLETION-CANDIDATES}}), so that no
 * command lists the platforms by hand and a new platform appears in every help by its registry line.
 */
final class PlatformCandidates implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Platforms.names().iterator();
    }
}

package org.recsysrl.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.recsysrl.config.ConfigJson;
import org.recsysrl.config.RunConfig;

/**
 * Names of the sequence models in one {@code evaluate} report. A model is named
 * {@code algorithm-encoder}; a checkpoint whose settings differ from the first one of that name
 * (beyond {@code train.*}: seed and directories) gets the differing settings in braces, e.g.
 * {@code supervised-attention{model.dropout=0.5}}; a checkpoint whose name is taken gets
 * {@code @directory}. So checkpoints that differ only by seed share a name up to the {@code @}
 * and are summarised as replicates, and checkpoints of other settings never are.
 */
public final class ModelNames {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SHOWN = 3;

    private final Set<String> names = new HashSet<>();
    private final Map<String, Map<String, String>> firstSettings = new HashMap<>();

    /** A naming for one report: no name taken yet. */
    public ModelNames() {
    }

    /** The name of the model of {@code file}, trained as {@code algorithm} with {@code cfg}. */
    public String name(String algorithm, String encoder, RunConfig cfg, Path file) {
        String base = algorithm + "-" + encoder;
        Map<String, String> settings = settings(cfg);
        Map<String, String> first = firstSettings.putIfAbsent(base, settings);
        if (first != null) {
            List<String> differing = new ArrayList<>();
            for (Map.Entry<String, String> e : settings.entrySet()) {
                if (!e.getValue().equals(first.get(e.getKey()))) {
                    differing.add(e.getKey() + "=" + e.getValue());
                }
            }
            if (!differing.isEmpty()) {
                base = base + "{" + String.join(",", differing.subList(0, Math.min(SHOWN, differing.size())))
                        + (differing.size() > SHOWN ? ",…" : "") + "}";
            }
        }
        String name = base;
        if (!names.add(name)) {
            Path parent = file.toAbsolutePath().getParent();
            name = name + "@" + (parent == null || parent.getFileName() == null ? file : parent.getFileName());
            if (!names.add(name)) {
                name = name + "#" + names.size();
                names.add(name);
            }
        }
        return name;
    }

    /**
     * Every setting but {@code train.*} and the machine-local ones (directories, thread counts), as
     * {@code section.key → value}, sorted.
     */
    public static Map<String, String> settings(RunConfig cfg) {
        Map<String, String> out = new TreeMap<>();
        try {
            JsonNode root = JSON.readTree(ConfigJson.toPortableJson(cfg));
            root.fields().forEachRemaining(section -> {
                if (section.getKey().equals("train") || !section.getValue().isObject()) {
                    return;
                }
                section.getValue().fields().forEachRemaining(field -> {
                    // thread counts say how a run used the machine, not what model it trained
                    if (!field.getKey().equals("threads")) {
                        out.put(section.getKey() + "." + field.getKey(),
                                field.getValue().isValueNode() ? field.getValue().asText() : field.getValue().toString());
                    }
                });
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot read back a config written here", e);
        }
        return out;
    }
}

package org.recsysrl;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.EnvConfig;

/**
 * Freezes the package layering of the core library (docs/architecture.md draws it): which package
 * may import which, no cycles, the serving API never reaching training code, and {@code env.type}
 * read only where the workload is resolved. A new package must be given its place in
 * {@link #ALLOWED} (the test that every package has one fails otherwise).
 */
class ArchitectureTest {
    /**
     * Every layer of the core, floor by floor, with the packages it may import: an import may
     * only point down. A layer is the package of its name and its sub-packages, except
     * {@code env} (the packages {@code env} and {@code env.platform}: the environment contracts)
     * and {@code platforms} (each platform's own package below {@code env.platform}, one floor
     * above {@code eval} so that its reference policies and registration sit beside it).
     */
    static final Map<String, List<String>> ALLOWED = new LinkedHashMap<>();

    static {
        ALLOWED.put("util", List.of());
        ALLOWED.put("config", List.of("nn", "util"));
        ALLOWED.put("nn", List.of("util"));
        ALLOWED.put("env", List.of("util"));
        ALLOWED.put("io", List.of("nn", "util"));
        ALLOWED.put("agent", List.of("config", "env", "nn", "util"));
        ALLOWED.put("data", List.of("env", "util"));
        ALLOWED.put("recommend", List.of("data", "util"));
        ALLOWED.put("baselines", List.of("data", "nn", "recommend", "util"));
        ALLOWED.put("seq", List.of("data", "nn", "recommend", "util"));
        ALLOWED.put("eval", List.of("agent", "data", "env", "recommend", "util"));
        ALLOWED.put("ope", List.of("data", "io", "util"));
        ALLOWED.put("setup", List.of("agent", "config", "data", "env", "eval", "util"));
        ALLOWED.put("platforms", List.of("agent", "env", "eval", "setup", "util"));
        ALLOWED.put("workload", List.of("agent", "config", "data", "env", "eval", "io", "platforms", "setup", "util"));
        ALLOWED.put("model", List.of("agent", "baselines", "config", "data", "eval", "io", "nn", "recommend", "seq",
                "setup", "util", "workload"));
        ALLOWED.put("train", List.of("agent", "baselines", "config", "data", "env", "eval", "io", "model", "nn",
                "recommend", "seq", "setup", "util", "workload"));
        ALLOWED.put("report", List.of("agent", "baselines", "config", "data", "env", "eval", "io", "model", "nn",
                "recommend", "seq", "setup", "train", "util", "workload"));
        ALLOWED.put("api", List.of("agent", "config", "data", "env", "io", "model", "nn", "recommend", "seq", "setup", "util",
                "workload"));
        ALLOWED.put("ope.sim", List.of("agent", "config", "data", "env", "eval", "io", "model", "nn", "ope", "setup", "util",
                "workload"));
        ALLOWED.put("learn", List.of("agent", "config", "data", "env", "io", "model", "nn", "ope", "ope.sim", "setup",
                "util", "workload"));
    }

    /** The package identifiers (ArchUnit syntax) of a layer. */
    static String[] packagesOf(String layer) {
        switch (layer) {
            case "env":
                return new String[] {"org.recsysrl.env", "org.recsysrl.env.platform"};
            case "platforms":
                return new String[] {"org.recsysrl.env.platform.*.."};
            case "ope.sim":
                return new String[] {"org.recsysrl.ope.sim.."};
            case "ope": // the estimators and their data; ope.sim (logging from simulators) sits higher
                return new String[] {"org.recsysrl.ope", "org.recsysrl.ope.estimator..", "org.recsysrl.ope.policy..",
                    "org.recsysrl.ope.model..", "org.recsysrl.ope.evaluation..", "org.recsysrl.ope.synthetic..",
                    "org.recsysrl.ope.sequential.."};
            default:
                return new String[] {"org.recsysrl." + layer + ".."};
        }
    }

    private static JavaClasses core;

    @BeforeAll
    static void importCore() {
        core = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("org.recsysrl");
    }

    @Test
    void everyPackageHasAPlaceInTheLayering() {
        Set<String> unplaced = new TreeSet<>();
        Set<String> layers = new TreeSet<>();
        for (JavaClass c : core) {
            String layer = ALLOWED.keySet().stream()
                    .filter(l -> inLayer(c.getPackageName(), l)).findFirst().orElse(null);
            if (layer == null) {
                unplaced.add(c.getPackageName());
            } else {
                layers.add(layer);
            }
        }
        assertThat(unplaced).as("core packages in no layer; give each its line in ArchitectureTest.ALLOWED").isEmpty();
        assertThat(layers).containsAll(ALLOWED.keySet());
    }

    @Test
    void importsOnlyPointDown() {
        LayeredArchitecture layers = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String p : ALLOWED.keySet()) {
            layers = layers.layer(p).definedBy(packagesOf(p));
        }
        for (Map.Entry<String, List<String>> e : ALLOWED.entrySet()) {
            layers = e.getValue().isEmpty() ? layers.whereLayer(e.getKey()).mayNotAccessAnyLayer()
                    : layers.whereLayer(e.getKey()).mayOnlyAccessLayers(e.getValue().toArray(String[]::new));
        }
        layers.check(core);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("org.recsysrl.(**)").should().beFreeOfCycles().check(core);
    }

    @Test
    void servingNeverReachesTrainingCode() {
        noClasses().that().resideInAnyPackage("org.recsysrl.api..", "org.recsysrl.model..")
                .should().dependOnClassesThat().resideInAPackage("org.recsysrl.train..")
                .because("the serving API loads models through the model package").check(core);
    }

    @Test
    void onlyTheWorkloadReadsTheEnvironmentType() {
        for (String accessor : List.of("type", "logs", "ratingLog", "platform")) {
            noClasses().that().resideOutsideOfPackages("org.recsysrl.workload..", "org.recsysrl.config..")
                    .should().callMethod(EnvConfig.class, accessor)
                    .because("what a run is (env.type) is resolved once, by workload.Workload.of").check(core);
        }
    }

    /** Whether {@code packageName} belongs to {@code layer}. */
    private static boolean inLayer(String packageName, String layer) {
        for (String id : packagesOf(layer)) {
            if (PackageMatcher.of(id).matches(packageName)) {
                return true;
            }
        }
        return false;
    }
}

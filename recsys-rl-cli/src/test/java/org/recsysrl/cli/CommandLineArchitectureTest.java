package org.recsysrl.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.EnvConfig;

/**
 * The command line's part of the layering (the core's is {@code ArchitectureTest}): commands ask
 * the workload what a run is instead of reading {@code env.type}, reach platforms only through
 * their registry, and the benchmarks never depend on the commands.
 */
class CommandLineArchitectureTest {
    private static JavaClasses commandLine;

    @BeforeAll
    static void importCommandLine() {
        commandLine = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("org.recsysrl.cli", "org.recsysrl.bench");
    }

    @Test
    void commandsAskTheWorkloadInsteadOfReadingTheEnvironmentType() {
        for (String accessor : List.of("type", "logs", "ratingLog", "platform")) {
            noClasses().should().callMethod(EnvConfig.class, accessor)
                    .because("what a run is (env.type) is resolved once, by workload.Workload.of")
                    .check(commandLine);
        }
    }

    @Test
    void commandsReachPlatformsOnlyThroughTheRegistry() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.recsysrl.env.platform.*..")
                .because("a platform is added in its package and one registry line, never in a command")
                .check(commandLine);
    }

    @Test
    void benchmarksDoNotDependOnCommands() {
        noClasses().that().resideInAPackage("org.recsysrl.bench..").should().dependOnClassesThat()
                .resideInAPackage("org.recsysrl.cli..").check(commandLine);
    }
}

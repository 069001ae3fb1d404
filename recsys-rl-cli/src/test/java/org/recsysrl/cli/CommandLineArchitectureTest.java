package org.recsysrl.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.recsysrl.config.EnvConfig;

/**
 * The command line's and the server's part of the layering (the core's is {@code ArchitectureTest}):
 * commands ask the workload what a run is instead of reading {@code env.type}, reach platforms
 * only through their registry, the benchmarks never depend on the commands, and the server
 * reaches models only through the library API, never training code.
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

    @Test
    void theServerNeverReachesTrainingCode() {
        // the server module is on this module's class path (a folder or a jar, as the build resolves it)
        JavaClasses server = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.recsysrl.serve");
        assertThat(server.contain("org.recsysrl.serve.RecommendServer")).as("the server's classes were found").isTrue();
        noClasses().that().resideInAPackage("org.recsysrl.serve..").should().dependOnClassesThat()
                .resideInAnyPackage("org.recsysrl.train..", "org.recsysrl.report..", "org.recsysrl.learn..")
                .because("the server loads models through api.Recommender and the model package, never training code")
                .check(server);
    }
}

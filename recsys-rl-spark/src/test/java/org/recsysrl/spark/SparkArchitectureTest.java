package org.recsysrl.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's place in docs/architecture.md: {@code org.recsysrl.spark} uses only the core's
 * public packages listed there (never the command line, the server, training or the environments),
 * Spark, Hadoop's file system, Scala's tuples and the JDK; {@code org.recsysrl.spark.sweep}, which
 * runs a sweep's training runs as tasks, uses the core's sweep (training, its report, the
 * workloads) and Spark, and nothing else of the module.
 */
class SparkArchitectureTest {
    private static final JavaClasses MODULE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("org.recsysrl.spark");

    @Test
    void theSparkPackageImportsOnlyTheCorePackagesOfItsTableLine() {
        classes().that().resideInAPackage("org.recsysrl.spark").should().onlyDependOnClassesThat()
                .resideInAnyPackage("org.recsysrl.spark..",
                "org.recsysrl.baselines..", "org.recsysrl.config..", "org.recsysrl.data..", "org.recsysrl.eval..", "org.recsysrl.io..",
                "org.recsysrl.model..", "org.recsysrl.recommend..", "org.recsysrl.seq..", "org.recsysrl.util..",
                "org.apache.spark..", "org.apache.hadoop..", "scala..", "java..", "javax..")
                .check(MODULE);
    }

    /** Only the sweeps train: through the core's sweep and its report, never the rest of the module. */
    @Test
    void theSweepPackageUsesTheCoresSweepAndNotTheRestOfTheModule() {
        classes().that().resideInAPackage("org.recsysrl.spark.sweep").should().onlyDependOnClassesThat()
                .resideInAnyPackage("org.recsysrl.spark.sweep..", "org.recsysrl.config..", "org.recsysrl.eval..",
                "org.recsysrl.report..", "org.recsysrl.train..", "org.recsysrl.workload..", "org.recsysrl.util..",
                "org.apache.spark..", "scala..", "java..")
                .check(MODULE);
    }
}

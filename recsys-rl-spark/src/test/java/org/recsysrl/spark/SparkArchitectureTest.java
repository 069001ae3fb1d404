package org.recsysrl.spark;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The module's place in docs/architecture.md: {@code org.recsysrl.spark} uses only the core's
 * public packages listed there (never the command line, the server, training or the environments),
 * Spark, Hadoop's file system, Scala's tuples and the JDK.
 */
class SparkArchitectureTest {
    @Test
    void theSparkPackageImportsOnlyTheCorePackagesOfItsTableLine() {
        JavaClasses spark = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.recsysrl.spark");
        classes().should().onlyDependOnClassesThat().resideInAnyPackage("org.recsysrl.spark..",
                "org.recsysrl.baselines..", "org.recsysrl.config..", "org.recsysrl.data..", "org.recsysrl.eval..", "org.recsysrl.io..",
                "org.recsysrl.model..", "org.recsysrl.recommend..", "org.recsysrl.seq..", "org.recsysrl.util..",
                "org.apache.spark..", "org.apache.hadoop..", "scala..", "java..", "javax..")
                .check(spark);
    }
}

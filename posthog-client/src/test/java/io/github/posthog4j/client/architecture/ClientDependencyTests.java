package io.github.posthog4j.client.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client module's promise: Jackson and the JDK only. Fails the build if main code
 * reaches for Spring or any other library.
 */
class ClientDependencyTests {

    private static final JavaClasses MAIN = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.github.posthog4j.client");

    @Test
    void mainCodeImportsNothingFromSpring() {
        assertThat(MAIN).hasSizeGreaterThan(50);
        ArchRule rule = noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..");
        rule.check(MAIN);
    }

    /**
     * The JDK here is its standard packages plus {@code com.sun.management} (the
     * {@code jdk.management} module's supported API: packing reads the G1 region size
     * from it, and does without it when it is absent).
     */
    @Test
    void mainCodeDependsOnJacksonTheJdkAndJspecifyOnly() {
        ArchRule rule = classes().should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("io.github.posthog4j.client..", "java..", "javax.net..", "com.sun.management..",
                    "com.fasterxml.jackson..", "org.jspecify.annotations..");
        rule.check(MAIN);
    }

}

package org.palaver;

import static com.tngtech.archunit.base.DescribedPredicate.describe;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaMethodCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import java.time.Clock;
import java.time.InstantSource;

/**
 * The layers of a node, bottom up, and what each may use (docs/architecture.md#layers):
 *
 * <pre>
 *   xml        stanza model, JIDs, parser, writer            uses nothing of ours
 *   core       the protocol: pure, no I/O, no clock          uses xml
 *   metrics    meters, /metrics and /health                  uses nothing of ours
 *   component  XEP-0114 connection, the node verticle        uses xml, core, metrics
 *   cluster    ownership, forwarding, handoff, backups       uses xml, core, metrics, component
 *   app        launcher, configuration, the running node     uses everything
 * </pre>
 *
 * <p>Each layer is named once, with the package that holds it ({@link #XML} ... {@link #APP});
 * when packages move, only those constants change.
 */
@AnalyzeClasses(packages = "org.palaver", importOptions = ImportOption.DoNotIncludeTests.class)
class LayeringTest {
    static final String XML = "org.palaver.xml..";
    static final String CORE = "org.palaver.core..";
    static final String COMPONENT = "org.palaver.component..";
    static final String CLUSTER = "org.palaver.cluster..";
    static final String METRICS = "org.palaver.metrics..";
    /** The launcher, the command line, the running node (single or clustered) and {@code app.config}. */
    static final String APP = "org.palaver.app..";

    @ArchTest
    static final ArchRule layersOnlyUseLayersBelow = layeredArchitecture()
            .consideringOnlyDependenciesInLayers()
            .layer("xml").definedBy(XML)
            .layer("core").definedBy(CORE)
            .layer("metrics").definedBy(METRICS)
            .layer("component").definedBy(COMPONENT)
            .layer("cluster").definedBy(CLUSTER)
            .layer("app").definedBy(APP)
            .whereLayer("app").mayNotBeAccessedByAnyLayer()
            .whereLayer("cluster").mayOnlyBeAccessedByLayers("app")
            .whereLayer("component").mayOnlyBeAccessedByLayers("cluster", "app")
            .whereLayer("metrics").mayOnlyBeAccessedByLayers("component", "cluster", "app")
            .whereLayer("core").mayOnlyBeAccessedByLayers("component", "cluster", "app")
            .whereLayer("xml").mayOnlyBeAccessedByLayers("core", "component", "cluster", "app");

    /** The package form of the same rule: nothing below the app imports the app's package tree. */
    @ArchTest
    static final ArchRule nothingBelowTheAppImportsTheApp = noClasses()
            .that().resideInAnyPackage(XML, CORE, METRICS, COMPONENT, CLUSTER)
            .should().dependOnClassesThat().resideInAPackage(APP);

    /** Metrics use nothing of ours: the component and the cluster feed them. */
    @ArchTest
    static final ArchRule metricsKnowNoLayerAboveThem = noClasses()
            .that().resideInAPackage(METRICS)
            .should().dependOnClassesThat().resideInAnyPackage(XML, CORE, COMPONENT, CLUSTER, APP);

    @ArchTest
    static final ArchRule xmlKnowsNothingAbove = noClasses()
            .that().resideInAPackage(XML)
            .should().dependOnClassesThat().resideInAnyPackage(CORE, METRICS, COMPONENT, CLUSTER, APP);

    @ArchTest
    static final ArchRule coreIsPlainJava = noClasses()
            .that().resideInAPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage(
                    "io.vertx..", "com.hazelcast..", "io.netty..", "io.micrometer..",
                    "java.net..", "java.nio.channels..", "java.nio.file..")
            .because("the protocol core is stanza + state + clock in, state + output out (docs/architecture.md#layers)");

    @ArchTest
    static final ArchRule coreReadsNoClock = noClasses()
            .that().resideInAPackage(CORE)
            .should().callMethodWhere(readsAClock())
            .orShould().dependOnClassesThat().areAssignableTo(InstantSource.class)
            .orShould().dependOnClassesThat().areAssignableTo(Clock.class)
            .because("the core's time is the 'now' its caller passes in, so tests drive it with a manual clock");

    /** {@code System.currentTimeMillis()/nanoTime()} and any {@code java.time} {@code now(...)}. */
    private static DescribedPredicate<JavaMethodCall> readsAClock() {
        return describe("reads a clock", call -> {
            String owner = call.getTargetOwner().getName();
            String name = call.getName();
            return owner.equals(System.class.getName()) && (name.equals("currentTimeMillis") || name.equals("nanoTime"))
                    || owner.startsWith("java.time.") && name.equals("now");
        });
    }
}

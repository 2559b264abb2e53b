package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.palaver.app.config.ConfigLoader;
import org.palaver.app.config.NodeConfig;
import org.palaver.app.config.Overrides;
import org.palaver.cluster.ClusterNode;
import org.palaver.component.ComponentConnection;

/**
 * What the Kubernetes schemas cannot check (scripts/check-ops.sh validates the schemas): the
 * StatefulSet's settings agree with the node configuration it mounts and with how a node stops;
 * and the Kubernetes path of a rolling upgrade (docs/compatibility.md, "Kubernetes"): pods are
 * replaced one at a time, each waiting for the last to be ready, and a stopping pod gets enough
 * time to hand its rooms off, close its router stream and leave Hazelcast before the kubelet kills it.
 */
class K8sManifestsTest {
    private static final Path K8S = Path.of(System.getProperty("palaver.projectRoot", ".."), "k8s");
    /** Time for the JVM to exit after the node's stop has given up, in seconds. */
    private static final long EXIT_MARGIN_S = 5;

    private static String read(String file) throws IOException {
        return Files.readString(K8S.resolve(file));
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex + " in " + text);
        return Long.parseLong(m.group(1));
    }

    @Test
    void theGracePeriodCoversTheLongestStopOfTheMountedConfiguration() throws Exception {
        NodeConfig config = new ConfigLoader(Map.of("PALAVER_SECRET", "s")::get)
                .load(K8S.resolve("conference.xml"), Overrides.none());
        long handoffMs = config.cluster().handoffTimeoutMs();
        long stopMs = ClusterNode.stopTimeoutMs(handoffMs);
        long grace = number(read("statefulset.yaml"), "terminationGracePeriodSeconds: (\\d+)");
        assertEquals(stopMs / 1000 + EXIT_MARGIN_S, grace,
                "terminationGracePeriodSeconds = <handoff-timeout-ms> " + handoffMs + " ms + the rest of the stop, "
                        + stopMs + " ms in all, + " + EXIT_MARGIN_S + " s to exit");
    }

    @Test
    void theContainerRunsHardenedAndSizedForOffHeapMemory() throws Exception {
        String sts = read("statefulset.yaml");
        for (String setting : new String[] {"allowPrivilegeEscalation: false", "readOnlyRootFilesystem: true",
                "capabilities: {drop: [ALL]}", "seccompProfile: {type: RuntimeDefault}",
                "automountServiceAccountToken: false", "podManagementPolicy: Parallel", "startupProbe:"}) {
            assertTrue(sts.contains(setting), setting);
        }
        long limitMi = number(sts, "limits: \\{memory: (\\d+)Gi\\}") * 1024;
        long heapPercent = number(sts, "-XX:MaxRAMPercentage=(\\d+)");
        long offHeapMi = number(sts, "-XX:MaxDirectMemorySize=(\\d+)m") + number(sts, "-XX:MaxMetaspaceSize=(\\d+)m")
                + number(sts, "-XX:ReservedCodeCacheSize=(\\d+)m");
        long restMi = limitMi - limitMi * heapPercent / 100 - offHeapMi;
        assertTrue(restMi >= 128, "left for thread stacks, GC and native memory: " + restMi + " MiB");
        assertTrue(read("pdb.yaml").contains("unhealthyPodEvictionPolicy: AlwaysAllow"));
    }

    @Test
    void theGracePeriodCoversHandoffRouterCloseAndHazelcastLeave() throws Exception {
        long grace = number(read("statefulset.yaml"), "terminationGracePeriodSeconds:\\s*(\\d+)") * 1000;
        long handoff = number(read("conference.xml"), "<handoff-timeout-ms>(\\d+)</handoff-timeout-ms>");
        long hazelcastLeave = number(read("hazelcast-kubernetes.yaml"),
                "hazelcast\\.graceful\\.shutdown\\.max\\.wait:\\s*(\\d+)") * 1000;
        long stopBound = ClusterNode.stopTimeoutMs(handoff);
        assertTrue(handoff + ComponentConnection.CLOSE_TIMEOUT_MS + hazelcastLeave <= stopBound,
                "handoff " + handoff + " + router close " + ComponentConnection.CLOSE_TIMEOUT_MS + " + Hazelcast leave "
                        + hazelcastLeave + " ms must fit into the node's own bound on its stop, " + stopBound
                        + " ms, or the node exits before Hazelcast has left");
        assertTrue(grace >= stopBound + 5_000, "terminationGracePeriodSeconds " + grace
                + " ms must exceed the node's bound on its stop, " + stopBound + " ms, with room for the JVM to exit");
        // the kubelet sends SIGTERM first and waits; the JVM's shutdown hook runs the stop
        assertTrue(!read("statefulset.yaml").contains("preStop:"), "no preStop hook eating into the grace period");
    }

    @Test
    void podsAreReplacedOneAtATimeEachWaitingForTheLastToBeReady() throws Exception {
        String sts = read("statefulset.yaml");
        assertTrue(Pattern.compile("updateStrategy:\\s*\\{\\s*type:\\s*RollingUpdate\\s*}").matcher(sts).find()
                || Pattern.compile("updateStrategy:\\s*\\n\\s*type:\\s*RollingUpdate").matcher(sts).find(),
                "updateStrategy RollingUpdate");
        assertTrue(!sts.contains("maxUnavailable"), "the rolling update replaces one pod at a time (maxUnavailable 1)");
        Matcher ready = Pattern.compile("readinessProbe:\\s*(?:#[^\\n]*\\n\\s*)*httpGet:\\s*\\{path:\\s*(\\S+?),")
                .matcher(sts);
        assertTrue(ready.find(), "a readiness probe");
        assertEquals("/health/ready", ready.group(1), "ready = router up and the ownership view settled");
        String pdb = read("pdb.yaml");
        assertEquals(1, number(pdb, "maxUnavailable:\\s*(\\d+)"), "PodDisruptionBudget: one pod down at a time");
        assertTrue(pdb.contains("app.kubernetes.io/name: palaver") && sts.contains("app.kubernetes.io/name: palaver"),
                "the budget selects the StatefulSet's pods");
        assertTrue(read("kustomization.yaml").contains("- pdb.yaml"), "the budget is applied with the rest");
    }
}

package org.palaver.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.palaver.cluster.ClusterNode;

/**
 * What the Kubernetes schemas cannot check (scripts/check-ops.sh validates the schemas): the
 * StatefulSet's settings agree with the node configuration it mounts and with how a node stops.
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
}

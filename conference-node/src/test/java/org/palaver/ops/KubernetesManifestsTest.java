package org.palaver.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.palaver.cluster.ClusterNode;
import org.palaver.component.ComponentConnection;
import org.palaver.testkit.Jabberd2;

/**
 * The Kubernetes path of a rolling upgrade (docs/compatibility.md, "Kubernetes"), read from the
 * shipped manifests: pods are replaced one at a time, each waiting for the last to be ready, and a
 * stopping pod gets enough time to hand its rooms off, close its router stream and leave
 * Hazelcast before the kubelet kills it.
 */
class KubernetesManifestsTest {
    private static final Path K8S = Jabberd2.projectRoot().resolve("k8s");

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
        assertTrue(sts.contains("podManagementPolicy: OrderedReady"), "pods start and stop in order, one at a time");
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

    private static String read(String file) throws Exception {
        return Files.readString(K8S.resolve(file), StandardCharsets.UTF_8);
    }

    private static long number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return Long.parseLong(m.group(1));
    }
}

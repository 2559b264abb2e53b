package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.Releases;

/**
 * Releases and the version: RELEASES is well-formed and records 0.1.0; the build's version comes
 * from the parent pom's {@code <revision>} and is newer than every release; the Kubernetes image
 * tag follows it; "the newest release older than the build" picks what the mixed-version test
 * upgrades from.
 */
class ReleasesTest {
    private static final Path ROOT = Jabberd2.projectRoot();

    @Test
    void releaseZeroOneZeroIsRecorded() {
        Releases releases = Releases.recorded();
        assertEquals(new Releases.Release("0.1.0", "786bd208c4c333108f698cf5c6d571f7cb947a2a"), releases.all().get(0));
    }

    @Test
    void theBuildReportsThePomVersionWhichIsNewerThanEveryRelease() throws Exception {
        String revision = match("<revision>([^<]+)</revision>", read("pom.xml"));
        assertEquals(revision, Version.current(), "version.properties is filtered from the pom");
        assertTrue(Releases.recorded().all().stream().allMatch(r -> Releases.compare(r.version(), revision) < 0),
                "every recorded release is older than the build " + revision);
        assertTrue(read("conference-node/pom.xml").contains("<version>${revision}</version>"),
                "the module inherits the version instead of repeating it");
    }

    @Test
    void theImageTagFollowsTheProjectVersion() throws Exception {
        String revision = match("<revision>([^<]+)</revision>", read("pom.xml"));
        String kustomization = read("k8s/kustomization.yaml");
        assertEquals(revision, match("(?s)name: palaver/conference-node\\s+newTag: (\\S+)", kustomization),
                "k8s/kustomization.yaml images newTag");
        assertTrue(read("k8s/statefulset.yaml").contains("image: palaver/conference-node\n"),
                "the StatefulSet names the image without a tag of its own");
    }

    @Test
    void versionsOrderNumericallyWithSnapshotsBeforeTheirRelease() {
        List<String> ordered = List.of("0.1.0", "0.2.0-SNAPSHOT", "0.2.0", "0.2.1", "0.10.0-SNAPSHOT", "0.10.0", "1.0.0");
        for (int i = 0; i < ordered.size(); i++) {
            for (int j = 0; j < ordered.size(); j++) {
                assertEquals(Integer.signum(Integer.compare(i, j)),
                        Integer.signum(Releases.compare(ordered.get(i), ordered.get(j))), ordered.get(i) + " vs " + ordered.get(j));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Releases.compare("dev", "0.1.0"));
    }

    @Test
    void theNewestReleaseOlderThanABuild() {
        Releases r = Releases.parse("""
                # comment
                0.1.0 786bd208c4c333108f698cf5c6d571f7cb947a2a

                0.2.0 0123456789abcdef0123456789abcdef01234567
                0.10.0 89abcdef0123456789abcdef0123456789abcdef
                """);
        assertEquals(Optional.empty(), r.newestOlderThan("0.1.0").map(Releases.Release::version));
        assertEquals(Optional.of("0.1.0"), r.newestOlderThan("0.2.0-SNAPSHOT").map(Releases.Release::version));
        assertEquals(Optional.of("0.2.0"), r.newestOlderThan("0.2.1-SNAPSHOT").map(Releases.Release::version));
        assertEquals(Optional.of("0.10.0"), r.newestOlderThan("0.11.0").map(Releases.Release::version));
        assertEquals(Optional.of("0.2.0"), r.newestOlderThan("0.10.0").map(Releases.Release::version));
    }

    @Test
    void malformedOrUnorderedLinesAreRefusedByLine() {
        String bad = assertThrows(IllegalArgumentException.class, () -> Releases.parse("0.1.0 786bd20\n")).getMessage();
        assertTrue(bad.contains("line 1"), bad);
        String unordered = assertThrows(IllegalArgumentException.class, () -> Releases.parse(
                "0.2.0 0123456789abcdef0123456789abcdef01234567\n0.1.0 786bd208c4c333108f698cf5c6d571f7cb947a2a\n"))
                .getMessage();
        assertTrue(unordered.contains("line 2") && unordered.contains("not newer"), unordered);
    }

    @Test
    void versionAndHelpOptions() {
        assertTrue(CommandLine.parse("--version").version());
        assertTrue(CommandLine.USAGE.contains("--version"));
    }

    private static String read(String path) throws Exception {
        return Files.readString(ROOT.resolve(path), StandardCharsets.UTF_8);
    }

    private static String match(String regex, String text) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), regex);
        return m.group(1);
    }
}

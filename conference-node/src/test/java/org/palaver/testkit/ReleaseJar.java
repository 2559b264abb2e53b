package org.palaver.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The runnable jar of a recorded release, built from its commit: the commit's tree is exported
 * with {@code git archive} (no worktree is registered in the repository) into
 * {@code conference-node/target/releases/VERSION/src} and built there with Maven, offline first
 * (the main build has already put every dependency into the local repository), online if that
 * fails. The jar is kept as {@code target/releases/VERSION/conference-node.jar} and reused while
 * the recorded commit stays the same. The build's output is in {@code build.log} next to it.
 */
public final class ReleaseJar {
    private static final long BUILD_TIMEOUT_MINUTES = 10;

    private ReleaseJar() {
    }

    public static synchronized Path of(Releases.Release release) throws IOException, InterruptedException {
        Path root = Jabberd2.projectRoot();
        Path dir = root.resolve("conference-node/target/releases").resolve(release.version());
        Path jar = dir.resolve("conference-node.jar");
        Path stamp = dir.resolve("commit");
        if (Files.isRegularFile(jar) && Files.isRegularFile(stamp)
                && Files.readString(stamp, StandardCharsets.UTF_8).strip().equals(release.commit())) {
            return jar;
        }
        Files.createDirectories(dir);
        Path log = dir.resolve("build.log");
        Files.deleteIfExists(log);
        if (run(root, log, "git", "cat-file", "-e", release.commit() + "^{commit}") != 0) {
            throw new IllegalStateException("release " + release.version() + " = commit " + release.commit()
                    + " is not in this clone (a shallow clone? fetch the full history: git fetch --unshallow)");
        }
        Path src = dir.resolve("src");
        deleteTree(src);
        Files.createDirectories(src);
        Path tar = dir.resolve("src.tar");
        check(run(root, log, "git", "archive", "--format=tar", "-o", tar.toString(), release.commit()), "git archive", log);
        check(run(src, log, "tar", "-xf", tar.toString()), "tar", log);
        Files.delete(tar);
        List<String> mvn = new ArrayList<>(List.of("mvn", "-B", "-q", "-Dmaven.test.skip=true", "package"));
        String repo = System.getProperty("palaver.mavenRepo");
        if (repo != null && !repo.isBlank() && !repo.startsWith("${")) {
            mvn.add("-Dmaven.repo.local=" + repo);
        }
        List<String> offline = new ArrayList<>(mvn);
        offline.add(1, "-o");
        if (run(src, log, offline.toArray(String[]::new)) != 0) {
            check(run(src, log, mvn.toArray(String[]::new)), "mvn package (online, after offline failed)", log);
        }
        Files.copy(src.resolve("conference-node/target/conference-node.jar"), jar, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(stamp, release.commit() + "\n");
        deleteTree(src);
        return jar;
    }

    private static int run(Path dir, Path log, String... command) throws IOException, InterruptedException {
        Files.writeString(log, "$ " + String.join(" ", command) + "\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        if (!p.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " took longer than " + BUILD_TIMEOUT_MINUTES
                    + " min; see " + log);
        }
        return p.exitValue();
    }

    private static void check(int status, String what, Path log) throws IOException {
        if (status != 0) {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            throw new IllegalStateException(what + " failed (status " + status + "); " + log + ":\n"
                    + text.substring(Math.max(0, text.length() - 4000)));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}

package org.palaver.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The OCI image tarball Jib builds with {@code -Pimage} (CI: {@code scripts/test.sh}, on an empty
 * base since no registry is reachable): tagged with the project version, the node's main class
 * started with the flags Hazelcast needs, as user 10001, the node's ports exposed. Only runs where
 * the profile built the tarball.
 */
class ImageIT {
    @Test
    void theImageStartsTheNodeAsNonRootTaggedWithTheProjectVersion() throws Exception {
        String tar = System.getProperty("palaver.imageTar");
        assumeTrue(tar != null, "built with -Pimage only");
        Map<String, byte[]> files = untar(Path.of(tar));

        JsonObject index = json(files.get("index.json"));
        JsonObject entry = index.getJsonArray("manifests").getJsonObject(0);
        assertEquals("palaver/conference-node:" + System.getProperty("palaver.version"),
                entry.getJsonObject("annotations").getString("org.opencontainers.image.ref.name"));
        JsonObject manifest = json(files.get(blob(entry.getString("digest"))));
        JsonObject config = json(files.get(blob(manifest.getJsonObject("config").getString("digest"))))
                .getJsonObject("config");

        JsonArray entrypoint = config.getJsonArray("Entrypoint");
        assertEquals("java", entrypoint.getString(0));
        assertTrue(entrypoint.contains("--add-opens=java.base/java.lang=ALL-UNNAMED"), entrypoint.encode());
        assertEquals("org.palaver.app.Launcher", entrypoint.getString(entrypoint.size() - 1));
        assertEquals("10001:10001", config.getString("User"));
        assertEquals(Map.of("9090/tcp", Map.of(), "5701/tcp", Map.of(), "5710/tcp", Map.of()),
                config.getJsonObject("ExposedPorts").getMap());
        assertEquals(System.getProperty("palaver.version"),
                config.getJsonObject("Labels").getString("org.opencontainers.image.version"));
        assertTrue(manifest.getJsonArray("layers").size() >= 3, "dependencies, resources, classes: " + manifest);
    }

    private static String blob(String digest) {
        return "blobs/" + digest.replace(':', '/');
    }

    private static JsonObject json(byte[] bytes) {
        assertTrue(bytes != null, "file missing from the image tarball");
        return new JsonObject(new String(bytes, StandardCharsets.UTF_8));
    }

    /** The small files of a (ustar) tarball by name; layers (large) are skipped. */
    private static Map<String, byte[]> untar(Path tar) throws IOException {
        Map<String, byte[]> files = new HashMap<>();
        try (InputStream in = Files.newInputStream(tar)) {
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512 && header[0] != 0) {
                String name = new String(header, 0, 100, StandardCharsets.US_ASCII).replaceAll("\0.*", "");
                long size = Long.parseLong(new String(header, 124, 12, StandardCharsets.US_ASCII).replaceAll("[\0 ]", ""), 8);
                long padded = (size + 511) / 512 * 512;
                if (size < 1 << 20) {
                    files.put(name, in.readNBytes((int) size));
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        }
        return files;
    }
}

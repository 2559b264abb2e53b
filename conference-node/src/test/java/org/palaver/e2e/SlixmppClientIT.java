package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.groupchat;
import static org.palaver.e2e.Received.presenceFrom;
import static org.palaver.e2e.Received.statusCodes;
import static org.palaver.e2e.Received.unavailableFrom;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.parts.Resourcepart;
import org.palaver.xml.Element;

/**
 * A second, independent client library (issue 9): Debian's python3-slixmpp with its stock xep_0045
 * plugin, driven by src/test/python/slixmpp_muc_client.py. It joins with {@code join_muc_wait}
 * and a history limit into a room where someone set a subject and talked, stays joined, talks and
 * changes its nick; Alice (Smack) watches. Before issue 9 the room threw slixmpp out right after
 * the join (a replayed subject made it answer with an error, and any error removed it).
 */
class SlixmppClientIT {
    private static final String ROOM = "slix@" + ConferenceStack.SERVICE;
    private static final Path SCRIPT = Path.of("src/test/python/slixmpp_muc_client.py");
    private static final String PYTHON = "/usr/bin/python3"; // Debian's, with python3-slixmpp
    @RegisterExtension
    static final ConferenceStack stack = new ConferenceStack();

    @Test
    void stockSlixmppJoinsWithHistoryStaysTalksAndChangesNick() throws Exception {
        SmackClient alice = stack.login("alice", "slix");
        MultiUserChat aliceMuc = alice.muc(ROOM);
        aliceMuc.join(Resourcepart.from("alice"));
        aliceMuc.changeSubject("Snakes");
        for (String m : List.of("one", "two", "three")) {
            aliceMuc.sendMessage(m);
        }
        alice.await(groupchat(ROOM + "/alice", "three"), "its last message echoed");

        List<String> lines = run("--jid", "bob@localhost/slixmpp", "--password", "bob", "--host", "127.0.0.1",
                "--port", Integer.toString(stack.c2sPort()), "--room", ROOM, "--nick", "bob", "--new-nick", "robert",
                "--maxstanzas", "2");
        assertEquals("ok", lines.get(lines.size() - 1), "the client's report:\n" + String.join("\n", lines));
        assertTrue(lines.contains("joined bob"), lines.toString());
        assertTrue(lines.contains("occupants alice bob"), lines.toString());
        assertTrue(lines.contains("history two | three"), "maxstanzas=2, no subject in history: " + lines);
        assertTrue(lines.contains("subject Snakes"), lines.toString());
        assertTrue(lines.contains("echo bob hello from slixmpp"), lines.toString());
        assertTrue(lines.contains("unavailable bob 110 303"), "its nick change: " + lines);
        assertTrue(lines.contains("echo robert still here"), lines.toString());

        alice.await(groupchat(ROOM + "/bob", "hello from slixmpp"), "slixmpp's message");
        Element renamed = alice.await(unavailableFrom(ROOM + "/bob"), "the nick change");
        assertEquals(Set.of("303"), statusCodes(renamed));
        alice.await(presenceFrom(ROOM + "/robert"), "the new nick");
        alice.await(groupchat(ROOM + "/robert", "still here"), "a message from the new nick");
    }

    private static List<String> run(String... args) throws IOException, InterruptedException {
        assertTrue(Files.isExecutable(Path.of(PYTHON)), PYTHON + " (scripts/test.sh installs python3-slixmpp)");
        String[] command = new String[args.length + 2];
        command[0] = PYTHON;
        command[1] = SCRIPT.toString();
        System.arraycopy(args, 0, command, 2, args.length);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("slixmpp client did not finish: "
                    + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return out.lines().filter(l -> !l.startsWith("Using slower stringprep") && !l.startsWith("<")).toList(); // library chatter
    }
}

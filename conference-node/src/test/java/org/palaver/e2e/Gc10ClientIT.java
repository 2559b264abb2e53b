package org.palaver.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.palaver.e2e.Received.affiliationRole;
import static org.palaver.e2e.Received.chat;
import static org.palaver.e2e.Received.groupchat;
import static org.palaver.e2e.Received.indexOf;
import static org.palaver.e2e.Received.presenceFrom;
import static org.palaver.e2e.Received.unavailableFrom;

import java.util.List;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.jxmpp.jid.parts.Resourcepart;
import org.palaver.xml.Element;

/**
 * A plain groupchat 1.0 client through jabberd2's c2s and router (spec §9): Carol's join is an
 * available presence to {@code R/carol} with no extension at all. Bob (gc-1.0) and Dave (Smack
 * MUC) are inside.
 */
class Gc10ClientIT {
    private static final String ROOM = "gc@" + ConferenceStack.SERVICE;
    @RegisterExtension
    static final ConferenceStack stack = new ConferenceStack();

    private static String occupant(String nick) {
        return ROOM + "/" + nick;
    }

    @Test
    void plainPresenceJoinChatAndLeave() throws Exception {
        SmackClient bob = stack.login("bob", "gc");
        bob.presence(occupant("bob"));
        bob.await(presenceFrom(occupant("bob")), "its own join presence");
        SmackClient dave = stack.login("dave", "muc");
        MultiUserChat daveMuc = dave.muc(ROOM);
        daveMuc.join(Resourcepart.from("dave"));
        bob.say(ROOM, "before carol");
        bob.await(groupchat(occupant("bob"), "before carol"), "its message echoed");

        SmackClient carol = stack.login("carol", "gc");
        carol.presence(occupant("carol"));
        carol.await(groupchat(ROOM, "carol has become available"), "the join notice, last of the entry");
        List<Element> entry = carol.received();
        int bobAt = indexOf(entry, presenceFrom(occupant("bob")));
        int daveAt = indexOf(entry, presenceFrom(occupant("dave")));
        int selfAt = indexOf(entry, presenceFrom(occupant("carol")));
        int historyAt = indexOf(entry, groupchat(occupant("bob"), "before carol"));
        assertTrue(bobAt >= 0 && daveAt >= 0 && selfAt > bobAt && selfAt > daveAt && historyAt > selfAt,
                "the others' presence, then its own, then history: " + entry);
        for (int at : new int[] {bobAt, daveAt, selfAt}) {
            assertTrue(entry.get(at).elements().stream().noneMatch(c -> c.name().equals("x")),
                    "no MUC decoration for a gc-1.0 client: " + entry.get(at));
        }
        assertTrue(entry.get(historyAt).elements().stream().anyMatch(c -> c.name().equals("delay")),
                "history carries a delay stamp: " + entry.get(historyAt));
        assertTrue(carol.received(e -> e.name().equals("iq") && "set".equals(e.attr("type"))).isEmpty(),
                "no browse pushes for a gc-1.0 client");

        Element seenByBob = bob.await(presenceFrom(occupant("carol")), "carol's arrival");
        assertTrue(seenByBob.elements().stream().noneMatch(c -> c.name().equals("x")), seenByBob.toString());
        bob.await(groupchat(ROOM, "carol has become available"), "the join notice");
        assertEquals("none/participant", affiliationRole(dave.await(presenceFrom(occupant("carol")), "carol's arrival")));

        // Room traffic and private messages, all addressed by nick.
        bob.say(ROOM, "hi from bob");
        daveMuc.sendMessage("hi from dave");
        carol.say(ROOM, "hi from carol");
        carol.await(groupchat(occupant("bob"), "hi from bob"), "bob's message");
        carol.await(groupchat(occupant("dave"), "hi from dave"), "dave's message");
        carol.await(groupchat(occupant("carol"), "hi from carol"), "its own message echoed");
        bob.await(groupchat(occupant("carol"), "hi from carol"), "carol's message");
        dave.await(groupchat(occupant("carol"), "hi from carol"), "carol's message");

        bob.chat(occupant("carol"), "psst carol");
        carol.chat(occupant("dave"), "psst dave");
        carol.await(chat(occupant("bob"), "psst carol"), "bob's private message");
        dave.await(chat(occupant("carol"), "psst dave"), "carol's private message");

        // gc-1.0 leave: unavailable presence to its occupant JID.
        carol.unavailable(occupant("carol"));
        Element ownLeave = carol.await(unavailableFrom(occupant("carol")), "its own leave");
        assertTrue(ownLeave.elements().isEmpty(), "no MUC decoration: " + ownLeave);
        bob.await(unavailableFrom(occupant("carol")), "carol leaving");
        bob.await(groupchat(ROOM, "carol has left"), "the leave notice");
        assertEquals("none/none", affiliationRole(dave.await(unavailableFrom(occupant("carol")), "carol leaving")));
    }
}

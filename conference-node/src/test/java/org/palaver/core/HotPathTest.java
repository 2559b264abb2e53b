package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.testkit.Harness;
import org.palaver.testkit.RecordingOutbox;
import org.palaver.testkit.RecordingOutbox.Fanout;
import org.palaver.testkit.Scenes;
import org.palaver.testkit.TestXml;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;

/**
 * The broadcast contract of docs/architecture.md#hot-path: one {@link Outbox#fanout} per recipient style with the
 * room's immutable snapshot lists (the same list objects for every message until membership
 * changes), templates without {@code to}, nothing sent one by one.
 */
class HotPathTest {
    private static RecordingOutbox say(ConferenceService svc, String from, long now) {
        RecordingOutbox out = new RecordingOutbox();
        svc.handle(TestXml.parse("<message type='groupchat' to='" + Harness.R + "' from='" + from + "'>"
                + "<body>hi</body></message>"), now, out);
        return out;
    }

    @Test
    void oneFanoutPerStyleWithStableSnapshots() {
        Harness h = Scenes.harness();
        Scenes.aliceJoins(h);
        Scenes.bobJoins(h);
        Scenes.carolJoinsLegacy(h);
        Scenes.daveJoinsMuc(h);
        ConferenceService svc = h.service();

        RecordingOutbox first = say(svc, Harness.B, 1);
        assertEquals(List.of(), first.sends());
        assertEquals(3, first.fanouts().size(), "new-style, plain gc-1.0, MUC gc-1.0");
        Fanout hash = first.fanouts().get(0);
        Fanout plain = first.fanouts().get(1);
        Fanout muc = first.fanouts().get(2);
        assertEquals(List.of(Jid.parse(Harness.A), Jid.parse(Harness.B)), hash.recipients());
        assertEquals(List.of(Jid.parse(Harness.C)), plain.recipients());
        assertEquals(List.of(Jid.parse(Harness.D)), muc.recipients());
        assertNull(hash.template().attr("to"));
        assertEquals(Harness.R + "/" + Harness.HB, hash.template().attr("from"));
        assertEquals(Harness.R + "/bob", plain.template().attr("from"));
        assertSame(plain.template(), muc.template(), "messages look alike for both gc-1.0 kinds");

        RecordingOutbox second = say(svc, Harness.A, 2);
        for (int i = 0; i < 3; i++) {
            assertSame(first.fanouts().get(i).recipients(), second.fanouts().get(i).recipients(),
                    "snapshot lists are reused until membership changes");
        }

        Scenes.leave(h, Harness.R, Harness.A);
        RecordingOutbox third = say(svc, Harness.B, 3);
        assertNotSame(first.fanouts().get(0).recipients(), third.fanouts().get(0).recipients());
        assertEquals(List.of(Jid.parse(Harness.B)), third.fanouts().get(0).recipients());
    }

    @Test
    void templateSharesTheInboundChildren() {
        Harness h = Scenes.harness();
        Scenes.aliceJoins(h);
        Element in = TestXml.parse("<message to='" + Harness.R + "' from='" + Harness.A + "'><body>x</body></message>");
        RecordingOutbox out = new RecordingOutbox();
        h.service().handle(in, 1, out);
        assertSame(in.firstElement(), out.fanouts().get(0).template().firstElement(), "shallow copy, no deep copy");
        assertNull(in.attr("type"), "the inbound stanza is not modified");
    }
}

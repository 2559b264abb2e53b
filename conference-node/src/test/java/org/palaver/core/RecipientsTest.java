package org.palaver.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.palaver.xml.Jid;

class RecipientsTest {
    private static final Jid X = Jid.parse("x@e.example/1");
    private static final Jid Y = Jid.parse("y@e.example/1");
    private static final Jid Z = Jid.parse("z@e.example/1");

    @Test
    void withoutTheLastIsAView() {
        List<Jid> all = List.of(X, Y, Z);
        assertEquals(List.of(X, Y), Recipients.without(all, Z));
        assertEquals(List.of(X, Z), Recipients.without(all, Y));
        assertSame(all, Recipients.without(all, Jid.parse("other@e.example")));
        assertEquals(List.of(), Recipients.without(List.of(X), X));
    }
}

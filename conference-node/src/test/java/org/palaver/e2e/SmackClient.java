package org.palaver.e2e;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.filter.IQReplyFilter;
import org.jivesoftware.smack.iqrequest.AbstractIqRequestHandler;
import org.jivesoftware.smack.iqrequest.IQRequestHandler.Mode;
import org.jivesoftware.smack.packet.ErrorIQ;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.packet.StanzaBuilder;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.packet.UnparsedIQ;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.muc.MultiUserChat;
import org.jivesoftware.smackx.muc.MultiUserChatManager;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.impl.JidCreate;
import org.palaver.testkit.Await;
import org.palaver.testkit.Jabberd2;
import org.palaver.testkit.TestXml;
import org.palaver.xml.Element;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A real Smack client logged in through jabberd2's c2s (plain TCP, SASL PLAIN) that records every
 * stanza it receives, in arrival order, as {@link Element}s for structural assertions. It sends
 * initial presence like any chat client, so the sm tracks its directed presence (spec §2.4).
 *
 * <p>Smack hands iq requests to registered handlers only, never to stanza listeners, and answers
 * an unknown {@code set} with {@code feature-not-implemented}. The live-browse pushes (spec §7.3)
 * are therefore recorded by handlers that then answer that error, the way a modern client rejects
 * pushes (the DEV-17 case). The error carries no payload: Smack 4.4.8's stock answer echoes the
 * unknown payload through {@link UnparsedIQ}'s serialisation, which escapes the element's markup
 * into a broken start tag, and jabberd2's c2s closes such a stream as {@code not-well-formed}.
 * Handlers run on another thread than listeners, so a push's position among the other recorded
 * stanzas is not its arrival position; messages and presences keep arrival order.
 */
final class SmackClient implements AutoCloseable {
    static final String BROWSE = "jabber:iq:browse";
    static final String CONFERENCE = "jabber:iq:conference";

    final XMPPTCPConnection connection;
    private final List<Element> received = new CopyOnWriteArrayList<>();
    private final List<String> rejectedPushes = new CopyOnWriteArrayList<>();

    private SmackClient(XMPPTCPConnection connection) {
        this.connection = connection;
        connection.addStanzaListener(s -> received.add(xml(s)), s -> !(s instanceof IQ iq && iq.isRequestIQ()));
        recordPushes("conference");
        recordPushes("user");
        connection.addStanzaSendingListener(s -> rejectedPushes.add(s.getStanzaId()),
                s -> s instanceof ErrorIQ);
    }

    /**
     * Smack logs through java.util.logging: route it to the test log (once per JVM), so its warnings
     * about pushes still arriving while clients disconnect stay off the console.
     */
    static void logThroughSlf4j() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    static SmackClient login(int c2sPort, String user, String resource) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(Jabberd2.DOMAIN)
                .setHost("127.0.0.1")
                .setPort(c2sPort)
                .setUsernameAndPassword(user, user)
                .setResource(resource)
                .setSecurityMode(SecurityMode.disabled)
                .addEnabledSaslMechanism("PLAIN")
                .build());
        c.setReplyTimeout(ConferenceStack.WAIT.toMillis());
        SmackClient client = new SmackClient(c);
        c.connect().login();
        return client;
    }

    private void recordPushes(String element) {
        connection.registerIQRequestHandler(new AbstractIqRequestHandler(element, BROWSE, IQ.Type.set, Mode.sync) {
            @Override
            public IQ handleIQRequest(IQ push) {
                received.add(xml(push));
                return ErrorIQ.builder(StanzaError.getBuilder(StanzaError.Condition.feature_not_implemented).build(),
                        StanzaBuilder.buildIqData(push.getStanzaId()).ofType(IQ.Type.error).to(push.getFrom())).build();
            }
        });
    }

    /** The full JID the server bound, as it stamps it on everything this client sends. */
    EntityFullJid jid() {
        return connection.getUser();
    }

    /** This client's hash id resource in any room (spec §1.4): SHA-1 hex of its full JID. */
    String hash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-1").digest(jid().toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Ids of the pushes whose error answer has been handed to the connection's writer, in order. */
    List<String> rejectedPushes() {
        return List.copyOf(rejectedPushes);
    }

    /**
     * Waits until every push received so far has been answered; whatever this client sends next
     * reaches the room after those answers.
     */
    void awaitPushesAnswered() {
        Await.until(ConferenceStack.WAIT, () -> rejectedPushes.size() >= received(Received.ANY_PUSH).size(),
                () -> jid() + " answered " + rejectedPushes + " of " + received(Received.ANY_PUSH));
    }

    // ---- sending -----------------------------------------------------------------------------

    /** Plain available presence with no extension: a gc-1.0 join to {@code R/nick}, or registration at {@code R}. */
    void presence(String to) throws Exception {
        sendPresence(Presence.Type.available, to);
    }

    void unavailable(String to) throws Exception {
        sendPresence(Presence.Type.unavailable, to);
    }

    private void sendPresence(Presence.Type type, String to) throws Exception {
        connection.sendStanza(connection.getStanzaFactory().buildPresenceStanza().ofType(type).to(JidCreate.from(to)).build());
    }

    /** A groupchat message with this body to the bare room. */
    void say(String room, String body) throws Exception {
        connection.sendStanza(connection.getStanzaFactory().buildMessageStanza()
                .ofType(Message.Type.groupchat).to(JidCreate.from(room)).setBody(body).build());
    }

    /** A groupchat message to the bare room that sets its topic (spec §11.1). */
    void topic(String room, String subject) throws Exception {
        connection.sendStanza(connection.getStanzaFactory().buildMessageStanza()
                .ofType(Message.Type.groupchat).to(JidCreate.from(room)).setSubject(subject).build());
    }

    /** A private message of type chat (to an occupant JID, spec §8.3). */
    void chat(String to, String body) throws Exception {
        connection.sendStanza(connection.getStanzaFactory().buildMessageStanza()
                .ofType(Message.Type.chat).to(JidCreate.from(to)).setBody(body).build());
    }

    /** Smack's own XEP-0045 room object for this client. */
    MultiUserChat muc(String room) throws Exception {
        return mucs().getMultiUserChat(JidCreate.entityBareFrom(room));
    }

    /** Smack's XEP-0045 service view for this client (room lists, room info). */
    MultiUserChatManager mucs() {
        return MultiUserChatManager.getInstanceFor(connection);
    }

    /**
     * Sends an iq whose payload is {@code <element xmlns=namespace>innerXml</element>} and returns
     * the answer as an element (a result or an error: errors are returned, not thrown).
     */
    Element iq(IQ.Type type, String to, String element, String namespace, String innerXml) throws Exception {
        RawIq request = new RawIq(element, namespace, innerXml);
        request.setType(type);
        request.setTo(JidCreate.from(to));
        StanzaCollector collector = connection.createStanzaCollectorAndSend(new IQReplyFilter(request, connection), request);
        try {
            Stanza answer = collector.nextResult(ConferenceStack.WAIT.toMillis());
            if (answer == null) {
                throw new AssertionError(jid() + ": no answer to " + request.toXML());
            }
            return xml(answer);
        } finally {
            collector.cancel();
        }
    }

    // ---- what arrived ------------------------------------------------------------------------

    /** Everything received so far, oldest first. */
    List<Element> received() {
        return List.copyOf(received);
    }

    List<Element> received(Predicate<Element> which) {
        return received.stream().filter(which).toList();
    }

    /** Waits until something matching arrives; returns the first such stanza. */
    Element await(Predicate<Element> which, String what) {
        Await.until(ConferenceStack.WAIT, () -> received.stream().anyMatch(which),
                () -> jid() + " never received " + what + "; got:\n" + dump());
        return received(which).get(0);
    }

    /** Waits until {@code count} matching stanzas arrived; returns them. */
    List<Element> await(Predicate<Element> which, int count, String what) {
        Await.until(ConferenceStack.WAIT, () -> received.stream().filter(which).count() >= count,
                () -> jid() + " received " + received(which).size() + " of " + count + " " + what + "; got:\n" + dump());
        return received(which);
    }

    private String dump() {
        return String.join("\n", received.stream().map(Element::toString).toList());
    }

    // ---- leaving -----------------------------------------------------------------------------

    /** Drops the TCP connection without a closing stream or unavailable presence (a crash). */
    void kill() {
        connection.instantShutdown();
    }

    @Override
    public void close() {
        if (connection.isConnected()) {
            connection.disconnect();
        }
    }

    /**
     * The stanza as an element. Smack keeps an unknown iq payload as text ({@link UnparsedIQ}, whose
     * own serialisation escapes it), so that one is rebuilt from its attributes and content.
     */
    static Element xml(Stanza s) {
        if (s instanceof UnparsedIQ iq) {
            Element e = new Element("iq").attr("type", iq.getType().toString()).attr("id", iq.getStanzaId())
                    .attr("from", str(iq.getFrom())).attr("to", str(iq.getTo()));
            return e.add(TestXml.parse(iq.getContent().toString()));
        }
        return TestXml.parse(s.toXML().toString());
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}

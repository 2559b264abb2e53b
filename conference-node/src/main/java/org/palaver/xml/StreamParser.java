package org.palaver.xml;

import com.fasterxml.aalto.AsyncByteArrayFeeder;
import com.fasterxml.aalto.AsyncXMLInputFactory;
import com.fasterxml.aalto.AsyncXMLStreamReader;
import com.fasterxml.aalto.stax.InputFactoryImpl;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incremental parser for one inbound XMPP stream: bytes in as they arrive, {@link StreamListener}
 * events out. Built on Aalto's non-blocking reader, so a stanza may be split across reads at any
 * byte and one read may carry many stanzas.
 *
 * <p>Only stanzas are materialised as {@link Element}s, never the stream as a whole. Restricted
 * XML (DOCTYPE, entity references other than the predefined and numeric ones, processing
 * instructions) ends the stream with {@code restricted-xml}; comments are ignored; anything beyond
 * the {@link XmlLimits} ends it with {@code policy-violation}; malformed XML with
 * {@code not-well-formed}. The byte limit counts the stanza's bytes as received and is checked
 * while they arrive, so an endless stanza is refused before it completes.
 *
 * <p>{@code feed} never throws for bad input: every problem becomes one
 * {@link StreamListener#onStreamError} call, after which the parser ignores further input. An
 * exception or {@link Error} thrown by the listener or the parser itself is logged and ends the
 * stream with {@code internal-server-error}. Not thread-safe: feed it from one thread (the connection's).
 */
public final class StreamParser {
    private static final Logger LOG = LoggerFactory.getLogger(StreamParser.class);

    /** Most bytes handed to Aalto at once: bounds how far a token can run past a limit unchecked. */
    static final int SLICE = 16 * 1024;
    /**
     * Names one Aalto reader may intern before it is replaced at the next stanza boundary: its
     * symbol table only grows, and a peer could otherwise fill it with ever new names.
     */
    static final int NAME_BUDGET = 50_000;
    /** A stanza this large leaves large buffers inside the reader: replace the reader after it. */
    static final int LARGE_STANZA = 32 * 1024;

    private static final AsyncXMLInputFactory FACTORY = createFactory();

    private final XmlLimits limits;
    private final StreamListener listener;

    private AsyncXMLStreamReader<AsyncByteArrayFeeder> reader;
    /** Bytes given to the current reader, its synthetic restart header included. */
    private long readerFed;
    /** Where the current slice sits: in its array and in the stream. */
    private byte[] sliceBuf;
    private int sliceOff;
    private int sliceEnd;
    private long sliceStreamPos;
    /** Stream position = the reader's ending byte offset + this (valid for the current slice). */
    private long positionDelta;

    /** Stream bytes received so far. */
    private long fed;
    /** Stream position after the last event outside any stanza. */
    private long lastEventEnd;
    /** Stream position where the stanza being read starts. */
    private long stanzaStart;
    /** -1 before the stream header, 0 between stanzas, else the depth of the innermost open element. */
    private int depth = -1;
    private Element[] open = new Element[8];
    private String[] openNs = new String[8];
    private String pendingText;
    private StringBuilder textParts = new StringBuilder();
    private int namesSeen;
    private byte[] restartHeader;
    private final DoctypeWatch doctype = new DoctypeWatch();
    private boolean done;
    private byte[] scratch;
    private final String[] qnameCache = new String[3 * 16];
    private final Utf8Check utf8 = new Utf8Check();

    public StreamParser(XmlLimits limits, StreamListener listener) {
        this.limits = Objects.requireNonNull(limits, "limits");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.reader = FACTORY.createAsyncForByteArray();
    }

    private static AsyncXMLInputFactory createFactory() {
        AsyncXMLInputFactory f = new InputFactoryImpl();
        f.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        f.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        // unknown entities surface as ENTITY_REFERENCE events, which are refused
        f.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        f.setProperty(XMLInputFactory.IS_COALESCING, false);
        return f;
    }

    /**
     * Feeds the readable bytes of {@code data} (read straight from a heap buffer, copied in bounded
     * slices from a direct one). Neither the buffer nor its indexes are changed or kept.
     */
    public void feed(ByteBuf data) {
        int from = data.readerIndex();
        int len = data.readableBytes();
        if (data.hasArray()) {
            feed(data.array(), data.arrayOffset() + from, len);
            return;
        }
        if (scratch == null) {
            scratch = new byte[SLICE];
        }
        for (int pos = 0; pos < len && !done; pos += SLICE) {
            int n = Math.min(SLICE, len - pos);
            data.getBytes(from + pos, scratch, 0, n);
            feed(scratch, 0, n);
        }
    }

    /** Feeds the next bytes of the stream; all are consumed before this returns, so the caller may reuse the array. */
    public void feed(byte[] b, int off, int len) {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0 && !done) {
            int n = Math.min(len, SLICE);
            feedSlice(b, off, n);
            off += n;
            len -= n;
        }
    }

    private void feedSlice(byte[] b, int off, int len) {
        try {
            int bad = utf8.firstInvalid(b, off, len);
            if (bad >= 0) {
                // what came before the bad byte is processed, as a reader byte by byte would
                if (bad > off) {
                    feedValid(b, off, bad - off);
                }
                fail(StreamError.NOT_WELL_FORMED, "invalid UTF-8 (an overlong form, a surrogate, beyond U+10FFFF"
                        + " or a broken sequence) at byte " + (fed + 1));
                return;
            }
            feedValid(b, off, len);
        } catch (XMLStreamException e) {
            fail(depth < 0 && doctype.seen() ? StreamError.RESTRICTED_XML : StreamError.NOT_WELL_FORMED,
                    depth < 0 && doctype.seen() ? "document type declarations are not allowed" : describe(e));
        } catch (RuntimeException e) {
            if (e.getCause() instanceof XMLStreamException) { // Aalto's unchecked wrapper
                fail(StreamError.NOT_WELL_FORMED, describe((XMLStreamException) e.getCause()));
            } else if (thrownByAalto(e)) {
                // Aalto refuses some malformed names this way, e.g. an element <xmlns:x>
                fail(StreamError.NOT_WELL_FORMED, abbreviate(String.valueOf(e.getMessage())));
            } else {
                LOG.error("XML stream parser failed", e);
                fail(StreamError.INTERNAL_SERVER_ERROR, "parser failure");
            }
        } catch (Error e) {
            // e.g. StackOverflowError, or OutOfMemoryError without -XX:+ExitOnOutOfMemoryError: the
            // parser's state is unknown now, so the stream ends (the connection reconnects)
            LOG.error("XML stream parser failed with {}; ending the stream", e, e);
            fail(StreamError.INTERNAL_SERVER_ERROR, "parser failure: " + e.getClass().getSimpleName());
        }
    }

    private void feedValid(byte[] b, int off, int len) throws XMLStreamException {
        if (depth < 0) {
            doctype.scan(b, off, len);
        }
        feedReader(b, off, len, fed);
        fed += len;
        drain();
        if (!done) {
            checkPending();
        }
    }

    private void feedReader(byte[] b, int off, int len, long streamPos) throws XMLStreamException {
        // Aalto's offsets are "bytes fed before this array" + index into this array
        positionDelta = streamPos - readerFed - off;
        reader.getInputFeeder().feedInput(b, off, len);
        readerFed += len;
        sliceBuf = b;
        sliceOff = off;
        sliceEnd = off + len;
        sliceStreamPos = streamPos;
    }

    private long position() throws XMLStreamException {
        return reader.getLocationInfo().getEndingByteOffset() + positionDelta;
    }

    private void drain() throws XMLStreamException {
        while (!done) {
            int event = reader.next();
            switch (event) {
                case AsyncXMLStreamReader.EVENT_INCOMPLETE:
                    return;
                case XMLStreamConstants.START_ELEMENT:
                    startElement();
                    break;
                case XMLStreamConstants.END_ELEMENT:
                    endElement();
                    break;
                case XMLStreamConstants.CHARACTERS:
                case XMLStreamConstants.CDATA:
                case XMLStreamConstants.SPACE:
                    characters();
                    break;
                case XMLStreamConstants.COMMENT:
                    markIfOutsideStanza();
                    break;
                case XMLStreamConstants.START_DOCUMENT:
                    startDocument();
                    break;
                case XMLStreamConstants.DTD:
                    fail(StreamError.RESTRICTED_XML, "document type declarations are not allowed");
                    break;
                case XMLStreamConstants.ENTITY_REFERENCE:
                    fail(StreamError.RESTRICTED_XML, "entity reference &" + abbreviate(reader.getLocalName())
                            + "; is not allowed");
                    break;
                case XMLStreamConstants.PROCESSING_INSTRUCTION:
                    fail(StreamError.RESTRICTED_XML, "processing instructions are not allowed");
                    break;
                default: // END_DOCUMENT cannot come: end of input is never signalled
                    break;
            }
        }
    }

    /** Everything fed is consumed; whatever is still open must not already exceed the stanza limit. */
    private void checkPending() {
        long pending = fed - (depth > 0 ? stanzaStart : lastEventEnd);
        if (pending > limits.maxStanzaBytes()) {
            fail(StreamError.POLICY_VIOLATION, (depth > 0 ? "stanza exceeds " : "incomplete element exceeds ")
                    + limits.maxStanzaBytes() + " bytes");
        }
    }

    private void startDocument() throws XMLStreamException {
        String encoding = reader.getCharacterEncodingScheme();
        if (encoding != null && !encoding.equalsIgnoreCase("UTF-8")) {
            fail(StreamError.UNSUPPORTED_ENCODING, "only UTF-8 is supported, not " + encoding);
            return;
        }
        lastEventEnd = position();
    }

    private void markIfOutsideStanza() throws XMLStreamException {
        if (depth <= 0) {
            lastEventEnd = position();
        }
    }

    // ---- elements ---------------------------------------------------------------------------

    private void startElement() throws XMLStreamException {
        if (depth < 0) {
            openStream();
            return;
        }
        int d = depth + 1;
        if (d > limits.maxDepth()) {
            fail(StreamError.POLICY_VIOLATION, "elements nested deeper than " + limits.maxDepth());
            return;
        }
        if (!withinElementLimits() || !stanzaBoundaryKept(d)) {
            return;
        }
        if (d == 1) {
            stanzaStart = lastEventEnd;
        } else {
            flushText();
        }
        String uri = reader.getNamespaceURI();
        String ns;
        if (d == 1) {
            ns = XmlWriter.isStanzaNamespace(uri) ? null : uri;
        } else {
            ns = uri.equals(openNs[d - 1]) ? null : uri;
        }
        Element e = new Element(canonicalName(reader.getLocalName(), uri, d == 1), ns);
        int attrCount = reader.getAttributeCount();
        for (int i = 0; i < attrCount; i++) {
            String prefix = reader.getAttributePrefix(i);
            if (prefix.isEmpty()) {
                e.attr(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
            } else {
                e.attr(qualified(prefix, reader.getAttributeLocalName(i)), reader.getAttributeValue(i));
                if (!prefix.equals("xml")) {
                    // keep the binding with the element so that a relay writes well-formed XML
                    String decl = qualified("xmlns", prefix);
                    if (e.attr(decl) == null) {
                        e.attr(decl, reader.getAttributeNamespace(i));
                    }
                }
            }
        }
        namesSeen += 1 + attrCount + reader.getNamespaceCount();
        if (d > 1) {
            open[d - 1].add(e);
        }
        if (d == open.length) {
            open = Arrays.copyOf(open, d * 2);
            openNs = Arrays.copyOf(openNs, d * 2);
        }
        open[d] = e;
        openNs[d] = uri;
        depth = d;
    }

    /**
     * The name an element gets in the canonical form: its local name, whatever prefix the sender
     * chose, so that {@code <x:body xmlns:x='jabber:component:accept'>} and {@code <body>} are one
     * element and the writer, which declares every namespace it writes, never relies on a prefix
     * binding that was left behind on an ancestor. Two exceptions keep their conventional prefix:
     * top-level elements of the streams namespace ({@code stream:error}, {@code stream:features})
     * and elements in the XML namespace, which may not be declared as a default namespace.
     */
    public static String canonicalName(String localName, String namespaceUri, boolean topLevel) {
        if (topLevel && XmlWriter.NS_STREAMS.equals(namespaceUri)) {
            return "stream:" + localName;
        }
        if (XmlWriter.NS_XML.equals(namespaceUri)) {
            return "xml:" + localName;
        }
        return localName;
    }

    /**
     * A second stream header (between stanzas or inside an unclosed one), or a stanza opened inside
     * a top-level element in the stream's namespace (a stanza or anything else left unclosed) would
     * swallow every stanza that follows as its content: both end the stream with {@code bad-format}.
     */
    private boolean stanzaBoundaryKept(int d) {
        String local = reader.getLocalName();
        if (local.equals("stream") && XmlWriter.NS_STREAMS.equals(reader.getNamespaceURI())) {
            fail(StreamError.BAD_FORMAT, d == 1 ? "a second stream header"
                    : "a second stream header inside <" + open[1].name() + ">: a stanza was left unclosed");
            return false;
        }
        if (d == 2 && (local.equals("message") || local.equals("presence") || local.equals("iq"))
                && reader.getNamespaceURI().equals(openNs[1]) && XmlWriter.isStanzaNamespace(openNs[1])) {
            fail(StreamError.BAD_FORMAT, "<" + local + "> inside <" + open[1].name()
                    + ">: a stanza was left unclosed");
            return false;
        }
        return true;
    }

    /** Attribute count and name lengths of the current start tag; fails the stream when exceeded. */
    private boolean withinElementLimits() {
        int attrCount = reader.getAttributeCount();
        int declCount = reader.getNamespaceCount();
        if (attrCount + declCount > limits.maxAttributes()) {
            fail(StreamError.POLICY_VIOLATION, "more than " + limits.maxAttributes() + " attributes on <"
                    + reader.getPrefixedName() + ">");
            return false;
        }
        int max = limits.maxNameLength();
        boolean tooLong = reader.getPrefixedName().length() > max;
        for (int i = 0; i < attrCount && !tooLong; i++) {
            String prefix = reader.getAttributePrefix(i);
            int length = reader.getAttributeLocalName(i).length() + (prefix.isEmpty() ? 0 : prefix.length() + 1);
            tooLong = length > max;
        }
        for (int i = 0; i < declCount && !tooLong; i++) {
            tooLong = "xmlns:".length() + reader.getNamespacePrefix(i).length() > max;
        }
        if (tooLong) {
            fail(StreamError.POLICY_VIOLATION, "element or attribute name longer than " + max + " characters");
            return false;
        }
        return true;
    }

    private void openStream() throws XMLStreamException {
        String name = reader.getPrefixedName();
        if (!XmlWriter.NS_STREAMS.equals(reader.getNamespaceURI())) {
            fail(StreamError.INVALID_NAMESPACE, "the stream must be in namespace " + XmlWriter.NS_STREAMS);
            return;
        }
        if (!reader.getLocalName().equals("stream")) {
            fail(StreamError.BAD_FORMAT, "expected a stream header, got <" + name + ">");
            return;
        }
        if (!withinElementLimits()) {
            return;
        }
        Map<String, String> header = new LinkedHashMap<>();
        StringBuilder restart = new StringBuilder(128).append('<').append(name);
        for (int i = 0; i < reader.getNamespaceCount(); i++) {
            String prefix = reader.getNamespacePrefix(i);
            String key = prefix.isEmpty() ? "xmlns" : "xmlns:" + prefix;
            String uri = reader.getNamespaceURI(i);
            header.put(key, uri);
            restart.append(' ').append(key).append("='");
            XmlWriter.escapeAttr(uri, restart);
            restart.append('\'');
        }
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            String prefix = reader.getAttributePrefix(i);
            String local = reader.getAttributeLocalName(i);
            header.put(prefix.isEmpty() ? local : prefix + ':' + local, reader.getAttributeValue(i));
        }
        restartHeader = restart.append('>').toString().getBytes(StandardCharsets.UTF_8);
        depth = 0;
        lastEventEnd = position();
        try {
            listener.onStreamOpen(Collections.unmodifiableMap(header));
        } catch (RuntimeException | Error e) {
            listenerFailed(e);
        }
    }

    private void endElement() throws XMLStreamException {
        if (depth == 0) {
            done = true;
            release();
            try {
                listener.onStreamClose();
            } catch (RuntimeException | Error e) {
                listenerFailed(e);
            }
            return;
        }
        flushText();
        Element e = open[depth];
        open[depth] = null;
        if (--depth > 0) {
            return;
        }
        long end = position();
        long size = end - stanzaStart;
        if (size > limits.maxStanzaBytes()) {
            fail(StreamError.POLICY_VIOLATION, "stanza of " + size + " bytes exceeds " + limits.maxStanzaBytes());
            return;
        }
        lastEventEnd = end;
        try {
            listener.onStanza(e);
        } catch (RuntimeException | Error ex) {
            listenerFailed(ex);
        }
        if (!done && (namesSeen > NAME_BUDGET || size > LARGE_STANZA)) {
            replaceReader(end);
        }
    }

    /**
     * Continues the stream on a fresh Aalto reader, dropping the old one's symbol table and
     * buffers: the new reader first reads a copy of the stream header's namespace declarations,
     * then the rest of the current slice after the stanza that just ended.
     */
    private void replaceReader(long end) throws XMLStreamException {
        byte[] rest = sliceBuf;
        int from = sliceOff + (int) (end - sliceStreamPos);
        int to = sliceEnd;
        reader = FACTORY.createAsyncForByteArray();
        readerFed = 0;
        namesSeen = 0;
        feedReader(restartHeader, 0, restartHeader.length, end - restartHeader.length);
        while (reader.next() != AsyncXMLStreamReader.EVENT_INCOMPLETE) {
            // START_DOCUMENT and the replayed header: already reported
        }
        if (from < to) {
            feedReader(rest, from, to - from, end);
        }
    }

    // ---- text -------------------------------------------------------------------------------

    private void characters() throws XMLStreamException {
        if (depth <= 0) {
            if (!isXmlWhitespace(reader.getText())) {
                fail(StreamError.BAD_FORMAT, "character data outside a stanza");
                return;
            }
            lastEventEnd = position();
            return;
        }
        // a text node may arrive in pieces (split reads, CDATA sections, entities)
        String piece = reader.getText();
        if (pendingText == null) {
            pendingText = piece;
        } else {
            if (textParts.length() == 0) {
                textParts.append(pendingText);
            }
            textParts.append(piece);
        }
    }

    private void flushText() {
        if (pendingText == null) {
            return;
        }
        String text = pendingText;
        if (textParts.length() > 0) {
            text = textParts.toString();
            if (textParts.capacity() > 8192) {
                textParts = new StringBuilder(); // do not keep a large stanza's buffer
            } else {
                textParts.setLength(0);
            }
        }
        pendingText = null;
        open[depth].addText(text);
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** {@code prefix:local}, cached: Aalto interns names, so a few slots catch {@code xml:lang} etc. */
    private String qualified(String prefix, String local) {
        int slot = 3 * ((prefix.hashCode() * 31 + local.hashCode()) & 15);
        String[] c = qnameCache;
        if (prefix.equals(c[slot]) && local.equals(c[slot + 1])) {
            return c[slot + 2];
        }
        String q = prefix + ':' + local;
        c[slot] = prefix;
        c[slot + 1] = local;
        c[slot + 2] = q;
        return q;
    }

    /** White space in the XML sense only (keep-alives between stanzas). */
    private static boolean isXmlWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\n' && c != '\t' && c != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean thrownByAalto(RuntimeException e) {
        StackTraceElement[] trace = e.getStackTrace();
        return trace.length > 0 && trace[0].getClassName().startsWith("com.fasterxml.aalto.");
    }

    /** Peer-supplied text quoted in an error, kept short. */
    private static String abbreviate(String s) {
        return s.length() <= 120 ? s : s.substring(0, 120) + "...";
    }

    private static String describe(XMLStreamException e) {
        String msg = e.getMessage();
        if (msg == null) {
            return "malformed XML";
        }
        int nl = msg.indexOf('\n');
        return abbreviate(nl < 0 ? msg : msg.substring(0, nl));
    }

    /**
     * A listener bug must not leave the parser half-way through its input: end the stream. An
     * {@link Error} (stack overflow, memory) ends it too, naming the error, instead of leaving the
     * stream open with nothing processed.
     */
    private void listenerFailed(Throwable e) {
        LOG.error("XML stream listener failed", e);
        fail(StreamError.INTERNAL_SERVER_ERROR, e instanceof Error
                ? "stanza handler failure: " + e.getClass().getSimpleName() : "stanza handler failure");
    }

    private void fail(String condition, String text) {
        if (done) {
            return;
        }
        done = true;
        release();
        try {
            listener.onStreamError(new StreamError(condition, text));
        } catch (RuntimeException | Error e) {
            LOG.error("XML stream listener failed on stream error", e);
        }
    }

    /** Nothing more will be read: let go of the reader and any partial stanza. */
    private void release() {
        reader = null;
        sliceBuf = null;
        open = new Element[0];
        pendingText = null;
        textParts = new StringBuilder();
    }
}

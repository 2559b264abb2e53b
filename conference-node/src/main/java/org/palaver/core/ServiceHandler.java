package org.palaver.core;

import org.palaver.xml.Element;

/**
 * Stanzas to the service's own domain (spec §4, §13.1): only iq {@code get}s are answered —
 * browse, version, time, last (uptime), vCard, disco#info/#items; any other get is 501, a set is
 * 405, messages and presence are dropped, results and errors are dropped (DEV-8).
 */
final class ServiceHandler {
    private final ServiceSettings settings;
    private final long startMillis;
    private final Rooms rooms;

    ServiceHandler(ServiceSettings settings, long startMillis, Rooms rooms) {
        this.settings = settings;
        this.startMillis = startMillis;
        this.rooms = rooms;
    }

    void handle(Inbound in, long now, Outbox out) {
        if (in.isSet()) {
            Replies.error(in, StanzaError.NOT_ALLOWED, out);
        } else if (Disco.isNodeQuery(in)) {
            Replies.error(in, StanzaError.ITEM_NOT_FOUND, out);
        } else if (in.isGet()) {
            Element answer;
            try {
                answer = answer(in, now);
            } catch (ResultSet.Refused e) {
                Replies.error(in, e.error, e.getMessage(), out);
                return;
            }
            if (answer == null) {
                Replies.error(in, StanzaError.FEATURE_NOT_IMPLEMENTED, out);
            } else {
                Replies.result(in, answer, out);
            }
        }
    }

    /** The result payload for a get, or {@code null} when the namespace is not served (501). */
    private Element answer(Inbound in, long now) throws ResultSet.Refused {
        String ns = in.payloadNs();
        ServiceQuery query = ns == null ? null : ServiceQuery.of(ns);
        if (query == null) {
            return null;
        }
        return switch (query) {
            case BROWSE -> Browse.service(settings, rooms.listings(), in.from);
            case VERSION -> version();
            case TIME -> time(now);
            case LAST -> last(Timestamps.secondsBetween(startMillis, now));
            case VCARD -> vcard();
            case DISCO_INFO -> Disco.serviceInfo(settings);
            case DISCO_ITEMS -> Disco.serviceItems(settings, rooms.listings(), in.from, in.payload());
        };
    }

    private Element version() {
        return new Element("query", Ns.VERSION)
                .add(Stanzas.textElement("name", settings.versionName()))
                .add(Stanzas.textElement("version", settings.version()))
                .add(Stanzas.textElement("os", settings.os()));
    }

    /** The core has no time zone: utc and display are UTC, {@code tz} says so. */
    private static Element time(long now) {
        return new Element("query", Ns.TIME)
                .add(Stanzas.textElement("utc", Timestamps.legacy(now)))
                .add(Stanzas.textElement("tz", "UTC"))
                .add(Stanzas.textElement("display", Timestamps.ctime(now)));
    }

    static Element last(long seconds) {
        return new Element("query", Ns.LAST).attr("seconds", Long.toString(seconds));
    }

    /** {@code <vCard xmlns='vcard-temp'>} with the configured children (shared, never modified). */
    private Element vcard() {
        Element v = new Element("vCard", Ns.VCARD);
        Element configured = settings.vcard();
        if (configured != null) {
            for (Element child : configured.elements()) {
                v.add(child);
            }
        }
        return v;
    }
}

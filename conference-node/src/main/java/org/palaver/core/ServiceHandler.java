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
            Element answer = answer(in, now);
            if (answer == null) {
                Replies.error(in, StanzaError.FEATURE_NOT_IMPLEMENTED, out);
            } else {
                Replies.result(in, answer, out);
            }
        }
    }

    /** The result payload for a get, or {@code null} when the namespace is not served (501). */
    private Element answer(Inbound in, long now) {
        String ns = in.payloadNs();
        if (ns == null) {
            return null;
        }
        switch (ns) {
            case Ns.BROWSE:
                return Browse.service(settings, rooms.listings(), in.from);
            case Ns.VERSION:
                return version();
            case Ns.TIME:
                return time(now);
            case Ns.LAST:
                return last(Timestamps.secondsBetween(startMillis, now));
            case Ns.VCARD:
                return vcard();
            case Ns.DISCO_INFO:
                return Disco.serviceInfo(settings);
            case Ns.DISCO_ITEMS:
                return Disco.serviceItems(settings, rooms.listings(), in.from);
            default:
                return null;
        }
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

package org.palaver.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The iq gets the service answers itself (spec §4, §13.1), spelled once: {@link ServiceHandler}
 * answers exactly these, service browse lists the classic ones as {@code <ns>} (DEV-16) and
 * service disco#info lists them all as features, so the three can never disagree.
 */
enum ServiceQuery {
    BROWSE(Ns.BROWSE, true),
    VERSION(Ns.VERSION, true),
    TIME(Ns.TIME, true),
    LAST(Ns.LAST, true),
    VCARD(Ns.VCARD, true),
    DISCO_INFO(Ns.DISCO_INFO, false),
    DISCO_ITEMS(Ns.DISCO_ITEMS, false);

    /** Browse's {@code <ns>} list: the room protocol, then the classic queries. */
    static final List<String> BROWSE_NAMESPACES = browseNamespaces();
    /** Service disco#info: disco itself, MUC (joined through gc-1.0, §13.2), RSM, then browse's list. */
    static final List<String> DISCO_FEATURES = discoFeatures();

    private final String namespace;
    /** A classic {@code jabber:iq:*} (or vCard) query, advertised in service browse. */
    private final boolean classic;

    ServiceQuery(String namespace, boolean classic) {
        this.namespace = namespace;
        this.classic = classic;
    }

    /** The query in {@code namespace}, or {@code null} when the service does not answer it (501). */
    static ServiceQuery of(String namespace) {
        for (ServiceQuery q : values()) {
            if (q.namespace.equals(namespace)) {
                return q;
            }
        }
        return null;
    }

    private static List<String> browseNamespaces() {
        List<String> list = new ArrayList<>();
        list.add(Ns.CONFERENCE);
        for (ServiceQuery q : values()) {
            if (q.classic) {
                list.add(q.namespace);
            }
        }
        return List.copyOf(list);
    }

    private static List<String> discoFeatures() {
        List<String> list = new ArrayList<>();
        for (ServiceQuery q : values()) {
            if (!q.classic) {
                list.add(q.namespace);
            }
        }
        list.add(Ns.MUC);
        list.add(Ns.RSM); // paging of the service's disco#items (XEP-0059)
        list.addAll(browseNamespaces());
        return List.copyOf(list);
    }
}

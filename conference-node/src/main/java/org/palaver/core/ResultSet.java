package org.palaver.core;

import java.util.List;
import org.palaver.xml.Element;

/**
 * XEP-0059 Result Set Management over a service listing (disco#items of the service): the page a
 * request's {@code <set>} asks for ({@code <max/>}, {@code <after/>}, {@code <before/>},
 * {@code <index/>}), never more than the service's {@code maxListedRooms}, and the {@code <set>}
 * that describes it ({@code <first index/>}, {@code <last/>}, {@code <count/>}). Item ids are the
 * room JIDs, in listing order. A request without {@code <set>} gets the first page; when the
 * listing is longer, the answer carries the {@code <set>} anyway (XEP-0059 allows a responder to
 * say so unasked), so a client that knows RSM can page on.
 */
final class ResultSet {
    /** The page's bounds in the listing: items {@code [from, to)} of {@code total}. */
    record Page(int from, int to, int total, boolean described) {
        <T> List<T> of(List<T> listing) {
            return listing.subList(from, to);
        }
    }

    /** A {@code <set>} that cannot be served: the error and its text. */
    static final class Refused extends Exception {
        final StanzaError error;

        Refused(StanzaError error, String text) {
            super(text, null, false, false);
            this.error = error;
        }
    }

    private ResultSet() {
    }

    /**
     * The page {@code query} asks for of a listing of {@code ids} (in order), at most {@code cap}.
     *
     * @throws Refused a malformed {@code <set>} (bad-request), or an {@code <after/>}/{@code <before/>}
     *                 id that is not in the listing (item-not-found)
     */
    static Page page(Element query, List<String> ids, int cap) throws Refused {
        Element set = query.child("set", Ns.RSM);
        int total = ids.size();
        if (set == null) {
            return new Page(0, Math.min(cap, total), total, total > cap);
        }
        int max = Math.min(cap, number(set, "max", cap));
        String after = set.childText("after");
        String before = set.childText("before");
        int from;
        if (after != null) {
            from = position(ids, after) + 1;
        } else if (before != null) {
            int end = before.isEmpty() ? total : position(ids, before);
            from = Math.max(0, end - max);
            return new Page(from, end, total, true);
        } else {
            from = Math.min(total, number(set, "index", 0));
        }
        return new Page(from, Math.min(total, from + max), total, true);
    }

    private static int number(Element set, String name, int absent) throws Refused {
        String text = set.childText(name);
        if (text == null) {
            return absent;
        }
        try {
            int n = Integer.parseInt(text.strip());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new Refused(StanzaError.BAD_REQUEST, "<" + name + "/> must be a number of at least 0, got '" + text + "'");
    }

    private static int position(List<String> ids, String id) throws Refused {
        int i = ids.indexOf(id);
        if (i < 0) {
            throw new Refused(StanzaError.ITEM_NOT_FOUND, "no room " + id + " in the listing");
        }
        return i;
    }

    /** The answer's {@code <set>}: first and last of the page (none when it is empty) and the count. */
    static Element describe(Page page, List<String> ids) {
        Element set = new Element("set", Ns.RSM);
        if (page.to() > page.from()) {
            set.add(Stanzas.textElement("first", ids.get(page.from())).attr("index", Integer.toString(page.from())));
            set.add(Stanzas.textElement("last", ids.get(page.to() - 1)));
        }
        return set.add(Stanzas.textElement("count", Integer.toString(page.total())));
    }
}

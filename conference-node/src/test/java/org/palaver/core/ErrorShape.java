package org.palaver.core;

import static org.palaver.core.Addressing.norm;
import static org.palaver.testkit.Scenes.NS_STANZAS;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.palaver.xml.Element;

/**
 * The error invariants: errors go only to the sender, with the DEV-12 shape (§14.1); only iq
 * errors may be relayed to somebody else (DEV-18).
 */
final class ErrorShape {
    /** What XEP-0086 allows for one legacy code (§14.2). */
    private record Mapping(Set<String> types, Set<String> conditions) {
    }

    /** legacy code → allowed types and conditions; E2 allows jid-malformed, E23 cancel (XEP-0410). */
    private static final Map<String, Mapping> MAPPINGS = Map.of(
            "400", new Mapping(Set.of("modify"), Set.of("bad-request", "jid-malformed")),
            "401", new Mapping(Set.of("auth"), Set.of("not-authorized")),
            "403", new Mapping(Set.of("auth"), Set.of("forbidden")),
            "404", new Mapping(Set.of("cancel"), Set.of("item-not-found")),
            "405", new Mapping(Set.of("cancel"), Set.of("not-allowed")),
            "406", new Mapping(Set.of("modify", "cancel"), Set.of("not-acceptable")),
            "409", new Mapping(Set.of("cancel"), Set.of("conflict")),
            "501", new Mapping(Set.of("cancel"), Set.of("feature-not-implemented")),
            "503", new Mapping(Set.of("cancel"), Set.of("service-unavailable")));

    private final StepContext ctx;

    ErrorShape(StepContext ctx) {
        this.ctx = ctx;
    }

    void check(Element o, String sender) {
        if (!"error".equals(o.attr("type"))) {
            return;
        }
        Element input = ctx.input();
        boolean reply = sender != null && sender.equals(norm(o.attr("to")))
                && o.attr("from").equals(input.attr("to"));
        if (!reply) {
            ctx.check(input.name().equals("iq") && "error".equals(input.attr("type")),
                    "error stanza that answers nothing: " + o);
            return;
        }
        checkErrorElement(o, checkKeepsInput(o, input));
    }

    /**
     * §14.1: the error is the input bounced: same kind, same attributes and payload, then a plain
     * {@code <error>}, which it returns.
     */
    private Element checkKeepsInput(Element o, Element input) {
        ctx.check(o.name().equals(input.name()), "error of another kind: " + o);
        for (int i = 0; i < input.attrCount(); i++) {
            String n = input.attrName(i);
            if (!n.equals("to") && !n.equals("from") && !n.equals("type")) {
                ctx.check(input.attrValue(i).equals(o.attr(n)), "attribute " + n + " not kept: " + o);
            }
        }
        List<Element> kids = o.elements();
        ctx.check(!kids.isEmpty(), "error without <error>: " + o);
        Element err = kids.get(kids.size() - 1);
        ctx.check(err.name().equals("error") && err.namespace() == null && err.attrCount() == 2,
                "last child is not a plain <error code type>: " + o);
        ctx.check(kids.subList(0, kids.size() - 1).equals(input.elements()), "payload not kept: " + o);
        return err;
    }

    /** DEV-12: legacy code plus the XEP-0086 type and condition, optionally a text. */
    private void checkErrorElement(Element o, Element err) {
        Mapping rule = MAPPINGS.get(err.attr("code"));
        ctx.check(rule != null, "unexpected error code: " + o);
        ctx.check(rule.types().contains(err.attr("type")), "code/type mismatch: " + o);
        List<Element> inner = err.elements();
        ctx.check(!inner.isEmpty() && inner.size() <= 2 && NS_STANZAS.equals(inner.get(0).namespace())
                && rule.conditions().contains(inner.get(0).name()), "bad condition: " + o);
        ctx.check(inner.size() == 1 || inner.get(1).name().equals("text") && NS_STANZAS.equals(inner.get(1).namespace()),
                "unexpected element in <error>: " + o);
    }
}

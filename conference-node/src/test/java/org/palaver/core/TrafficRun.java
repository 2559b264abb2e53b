package org.palaver.core;

import static org.junit.jupiter.api.Assertions.fail;
import static org.palaver.core.Addressing.hash;
import static org.palaver.core.Addressing.norm;
import static org.palaver.core.Addressing.stanza;
import static org.palaver.core.ObservedMembership.TRACKED;
import static org.palaver.core.ObservedMembership.observer;
import static org.palaver.testkit.Scenes.NS_CONFERENCE;

import java.util.List;
import java.util.Map;
import org.palaver.testkit.Harness;
import org.palaver.testkit.RecordingOutbox;
import org.palaver.xml.Element;

/**
 * One seeded run of {@link RoomInvariantsPropertyTest}: the observers enter, then every step
 * either sends a random stanza or lets time pass, feeds the output into the observed membership
 * and checks the invariants, and finally audits the browses.
 */
final class TrafficRun {
    private static final int STEPS = 2_000;
    /** The heartbeat period of the shell (§5.4). */
    private static final long BEAT = 120_000;

    private final StepContext ctx;
    private final Harness h;
    /** The secret an observer must present (only room2 when the rooms are predefined). */
    private final String room2Secret;
    private final RecentPushes pushes = new RecentPushes();
    private final TrafficGenerator generator;
    private final ObservedMembership membership;
    private final DeliveryInvariants delivery;
    private final MembershipInvariants membershipRules;
    private final BrowseAudit browses;

    TrafficRun(int seed, ServiceSettings settings, String room2Secret, boolean privateService) {
        this.ctx = new StepContext(seed);
        this.h = new Harness(settings);
        this.room2Secret = room2Secret;
        this.generator = new TrafficGenerator(ctx, pushes);
        this.membership = new ObservedMembership(ctx);
        this.delivery = new DeliveryInvariants(ctx, membership);
        this.membershipRules = new MembershipInvariants(ctx, membership);
        this.browses = new BrowseAudit(ctx, h, membership, privateService);
    }

    void run() {
        enterObservers();
        for (int step = 0; step < STEPS; step++) {
            ctx.step(step);
            if (generator.nextIsClockJump()) {
                clockJump();
            } else {
                send(generator.next());
            }
            browses.check();
        }
    }

    /** The observers enter first so that every later change of their rooms is pushed to them. */
    private void enterObservers() {
        for (int k = 0; k < TRACKED.size(); k++) {
            String observer = observer(k);
            send(stanza("presence", TRACKED.get(k), observer));
            Element set = stanza("iq", TRACKED.get(k), observer).attr("type", "set").attr("id", "w" + k);
            Element q = set.addChild("query", NS_CONFERENCE);
            if (k == 2 && room2Secret != null) {
                q.addTextChild("secret", room2Secret);
            }
            q.addTextChild("nick", "~w" + k);
            send(set);
            if (!membership.nicks(TRACKED.get(k)).containsKey(hash(observer))) {
                fail("observer " + k + " did not see itself enter");
            }
        }
    }

    private void send(Element stanza) {
        ctx.input(stanza);
        // A copy to prove the core leaves its input alone: the shell may reuse or log it.
        Element pristine = stanza.deepCopy();
        String sender = norm(stanza.attr("from"));
        if (sender != null) {
            membership.sawSender(sender);
        }
        Map<String, Map<String, String>> before = membership.snapshot();
        List<Element> out = handle(stanza);
        ctx.check(pristine.equals(stanza), "the core mutated its input");
        out.forEach(membership::observe);
        Map<String, Map<String, String>> after = membership.snapshot();
        delivery.check(out, sender, membership.reals(before), membership.reals(after));
        out.forEach(pushes::remember);
        membershipRules.check(out, sender, before, after);
        membership.sawInput(stanza, sender);
    }

    private List<Element> handle(Element stanza) {
        try {
            return h.in(stanza);
        } catch (RuntimeException | AssertionError e) {
            // The harness fails with an AssertionError on an unaddressed stanza: report it with the step too.
            throw ctx.failure("handle threw", e);
        }
    }

    /** Lets time pass with the heartbeat running every {@link #BEAT}, as the shell does. */
    private void clockJump() {
        long end = h.now() + generator.clockJump();
        RecordingOutbox beats = new RecordingOutbox();
        ctx.input(new Element("heartbeat"));
        while (h.now() + BEAT <= end) {
            h.advance(BEAT);
            try {
                h.service().heartbeat(h.now(), beats);
            } catch (RuntimeException e) {
                throw ctx.failure("heartbeat threw", e);
            }
        }
        h.advance(end - h.now());
        ctx.check(beats.stanzas().isEmpty(), "the heartbeat sent stanzas (§5.4: nothing): " + beats.stanzas());
    }
}

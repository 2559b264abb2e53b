package org.palaver.core;

/**
 * Stanzas from a participant to another participant's {@code R/x} (spec §8.3): browse and last
 * gets are answered by the service on the target's behalf, a self-ping is answered (XEP-0410,
 * §13.3), other iqs to a private target are refused (403), everything else is relayed.
 */
final class OccupantHandler {
    private OccupantHandler() {
    }

    static void handle(Participant sender, Participant target, Inbound in, long now, Outbox out) {
        if (in.isIq()) {
            if (target == sender && MucBridge.isPing(in)) {
                Replies.result(in, null, out);
                return;
            }
            if (in.isGet(Ns.BROWSE)) {
                Replies.result(in, Browse.participant(target), out);
                return;
            }
            if (in.isGet(Ns.LAST)) {
                Replies.result(in, ServiceHandler.last(Timestamps.secondsBetween(target.last, now)), out);
                return;
            }
            if (Privacy.refusesIq(target)) {
                Replies.error(in, StanzaError.FORBIDDEN, out);
                return;
            }
        }
        Traffic.relay(sender, target, in, out);
    }
}

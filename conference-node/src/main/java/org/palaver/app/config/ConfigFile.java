package org.palaver.app.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlElementWrapper;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlProperty;
import com.fasterxml.jackson.dataformat.xml.annotation.JacksonXmlRootElement;
import java.util.List;
import org.palaver.app.Warmup;

/**
 * The service configuration file ({@code conference.xml}) exactly as written: every leaf is the raw
 * text, {@code null} when the element is absent, so that {@link ConfigLoader} can name the element
 * and the value in its messages. Element names are the kebab-case forms of the component names.
 */
@JacksonXmlRootElement(localName = "conference-node")
record ConfigFile(Router router, Service service, XmlLimitsSection xmlLimits, Http http, Warmup warmup,
                  Cluster cluster, Limits limits) {

    record Router(String host, String port, Secret secret, String connections, Reconnect reconnect,
                  String writeQueueBytes, String turnBudgetBytes) {
    }

    /** {@code <secret>text</secret>}, {@code <secret file='path'/>} or {@code <secret env='VAR'/>}. */
    record Secret(@JacksonXmlProperty(isAttribute = true) String file,
                  @JacksonXmlProperty(isAttribute = true) String env,
                  @JsonProperty("") String value) {
        /** A secret element with text only. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Secret inline(String value) {
            return new Secret(null, null, value);
        }
    }

    record Reconnect(String minMs, String maxMs) {
    }

    record Service(String domain,
                   @JsonProperty("public") String publicService,
                   String history,
                   String historyBytes,
                   Notice notice,
                   String dynamicRooms,
                   String name,
                   @JacksonXmlProperty(localName = "vCard") JsonNode vcard,
                   String maxNickLength,
                   String maxParticipants,
                   String maxListedRooms,
                   @JacksonXmlElementWrapper(useWrapping = false)
                   @JacksonXmlProperty(localName = "room") List<Room> rooms) {
    }

    /** Texts appended to the nick; kept verbatim, leading and trailing spaces included. */
    record Notice(String join, String leave, String rename) {
    }

    record Room(@JacksonXmlProperty(isAttribute = true) String jid, String name, String secret,
                String privacy, Notice notice) {
    }

    record XmlLimitsSection(String maxStanzaBytes, String maxDepth, String maxAttributes,
                            String maxNameLength) {
    }

    record Http(String host, String port) {
    }

    /** {@code <cluster>}: present only on a node that runs in a cluster. */
    record Cluster(String hazelcastConfig, String eventBusHost, String eventBusPort, String handoffTimeoutMs,
                   String backups) {
    }

    /** {@code <warmup><duration-ms>}: the start-up warm-up of the hot path. */
    record Warmup(String durationMs) {
    }

    /** {@code <limits>}: resource and rate limits per user and per room (issue 10). */
    record Limits(String userStanzasPerSecond, String userBurst, String roomStanzasPerSecond, String roomBurst,
                  String maxPresenceChars, String maxStatusChars, String maxRoomNameChars, String maxTopicChars,
                  String maxRoomsPerUser, String maxRegistrationsPerUser,
                  String maxAffiliationsPerRoom) {
    }
}

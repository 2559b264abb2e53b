package org.palaver.app.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.palaver.app.Version;
import org.palaver.app.Warmup;
import org.palaver.cluster.ClusterSettings;
import org.palaver.cluster.HazelcastConfigs;
import org.palaver.component.RouterSettings;
import org.palaver.core.Limits;
import org.palaver.core.ServiceSettings.PredefinedRoom;
import org.palaver.core.ServiceSettings;
import org.palaver.xml.Element;
import org.palaver.xml.Jid;
import org.palaver.xml.XmlLimits;

/**
 * Reads {@code conference.xml} (jabberd-style service configuration) and checks every field,
 * reporting all problems at once, each naming the element and the value. Command-line values
 * ({@link Overrides}) replace the file's before the checks, so they are checked the same way.
 */
public final class ConfigLoader {
    /** Environment variable holding the router secret when the file names none. */
    public static final String DEFAULT_SECRET_ENV = "PALAVER_SECRET";
    static final String DEFAULT_HOST = "127.0.0.1";
    /** The ops endpoint listens on every interface unless told otherwise (probes come from outside). */
    static final String DEFAULT_HTTP_HOST = "0.0.0.0";
    static final int DEFAULT_PORT = 5347;
    static final int MAX_CONNECTIONS = 64;
    static final long MAX_DELAY_MS = 3_600_000;

    private static final XmlMapper MAPPER = XmlMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null);
    private static final ConfigFile.Http NO_HTTP = new ConfigFile.Http(null, null);

    private final Function<String, String> env;

    /** @param env environment lookup ({@code System::getenv} in production) */
    public ConfigLoader(Function<String, String> env) {
        this.env = env;
    }

    /** Loads {@code file} (or only defaults and overrides when {@code null}). */
    public NodeConfig load(Path file, Overrides overrides) throws ConfigException {
        if (file == null) {
            return validate(EMPTY, null, overrides);
        }
        String xml;
        try {
            xml = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(Problems.PREFIX + "cannot read " + file + ": " + describe(e));
        }
        Path dir = file.toAbsolutePath().getParent();
        return validate(parse(xml, file.toString()), dir, overrides);
    }

    /** Parses and checks configuration text; relative secret files resolve against {@code baseDir}. */
    public NodeConfig load(String xml, Path baseDir, Overrides overrides) throws ConfigException {
        return validate(parse(xml, "configuration"), baseDir, overrides);
    }

    private static ConfigFile parse(String xml, String source) throws ConfigException {
        try {
            ConfigFile file = MAPPER.readValue(xml, ConfigFile.class);
            return file == null ? EMPTY : file;
        } catch (UnrecognizedPropertyException e) {
            throw new ConfigException(Problems.PREFIX + "unknown element " + path(e) + " in " + source);
        } catch (JsonMappingException e) {
            throw new ConfigException(Problems.PREFIX + path(e) + " in " + source + " is malformed: "
                    + firstLine(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            throw new ConfigException(Problems.PREFIX + source + " is not well-formed XML: "
                    + firstLine(e.getOriginalMessage()) + location(e));
        }
    }

    /** {@code <router><port>} from Jackson's reference chain. */
    private static String path(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                sb.append('<').append(ref.getFieldName()).append('>');
            }
        }
        return sb.length() == 0 ? "<conference-node>" : sb.toString();
    }

    private static String location(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    private static String describe(Exception e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : " " + e.getMessage());
    }

    // ---- checks -----------------------------------------------------------------------------

    private NodeConfig validate(ConfigFile file, Path baseDir, Overrides o) throws ConfigException {
        Problems p = new Problems();
        ConfigFile.Router router = file.router() != null ? file.router()
                : new ConfigFile.Router(null, null, null, null, null, null, null);
        ConfigFile.Service service = file.service() != null ? file.service()
                : new ConfigFile.Service(null, null, null, null, null, null, null, null, null, null, null, null);

        String domain = domain(p, o.domain() != null ? o.domain() : service.domain());
        XmlLimits limits = xmlLimits(p, file.xmlLimits());
        RouterSettings routerSettings = routerSettings(p, router, o, domain, limits, baseDir);
        ServiceSettings serviceSettings = serviceSettings(p, service, domain, fileDomain(service))
                .withLimits(userLimits(p, file.limits()));
        ConfigFile.Http http = file.http() != null ? file.http() : NO_HTTP;
        String httpHost = host(p, "<http><host>", http.host(), DEFAULT_HTTP_HOST);
        int httpPort = p.integer("<http><port>", http.port(), 0, 0, 65535);
        String warmupRaw = file.warmup() != null ? file.warmup().durationMs() : null;
        long warmupMs = p.number("<warmup><duration-ms>", warmupRaw, Warmup.DEFAULT_MS, 0, Warmup.MAX_MS);
        ClusterSettings cluster = file.cluster() == null ? null : cluster(p, file.cluster(), baseDir);
        p.throwIfAny();
        return new NodeConfig(routerSettings, serviceSettings, httpHost, httpPort, warmupMs, cluster);
    }

    /**
     * {@code <cluster>}: the Hazelcast file (relative to this file) must exist and pass
     * {@link HazelcastConfigs#load}; membership settings live there, not here.
     */
    private static ClusterSettings cluster(Problems p, ConfigFile.Cluster c, Path baseDir) {
        String name = Problems.trimmed(c.hazelcastConfig());
        Path file = null;
        com.hazelcast.config.Config hazelcast = null;
        if (name == null) {
            p.add("<cluster><hazelcast-config>", "is missing: name the Hazelcast YAML file (e.g. hazelcast.yaml)");
        } else {
            file = baseDir == null ? Path.of(name) : baseDir.resolve(name);
            try {
                hazelcast = HazelcastConfigs.load(file);
            } catch (IllegalArgumentException e) {
                p.add("<cluster><hazelcast-config>", "'" + name + "' " + e.getMessage());
            }
        }
        String host = c.eventBusHost() == null ? null : host(p, "<cluster><event-bus-host>", c.eventBusHost(), null);
        int port = p.integer("<cluster><event-bus-port>", c.eventBusPort(), 0, 0, 65535);
        long timeout = p.number("<cluster><handoff-timeout-ms>", c.handoffTimeoutMs(),
                ClusterSettings.DEFAULT_HANDOFF_TIMEOUT_MS, 100, 600_000);
        int backups = p.integer("<cluster><backups>", c.backups(), ClusterSettings.DEFAULT_BACKUPS, 0,
                ClusterSettings.MAX_BACKUPS);
        return new ClusterSettings(file, hazelcast, host, port, timeout, backups);
    }

    private static String domain(Problems p, String raw) {
        String text = Problems.trimmed(raw);
        if (text == null) {
            p.add("<service><domain>", "is missing (or give --domain)");
            return "invalid.domain";
        }
        Jid jid = Jid.parse(text);
        if (jid == null || jid.hasNode() || jid.hasResource() || !text.contains(".")) {
            p.add("<service><domain>", "must be a domain name like conference.example.org, got '" + raw + "'");
            return "invalid.domain";
        }
        return jid.domain();
    }

    private RouterSettings routerSettings(Problems p, ConfigFile.Router r, Overrides o, String domain,
                                          XmlLimits limits, Path baseDir) {
        String host = host(p, "<router><host>", o.routerHost() != null ? o.routerHost() : r.host(), DEFAULT_HOST);
        int port = p.integer("<router><port>", o.routerPort() != null ? o.routerPort() : r.port(),
                DEFAULT_PORT, 1, 65535);
        String secret = o.secret() != null ? o.secret() : secret(p, r.secret(), baseDir);
        if (o.secret() != null && o.secret().isEmpty()) {
            p.add("--secret", "must not be empty");
        }
        int connections = p.integer("<router><connections>", r.connections(), 1, 1, MAX_CONNECTIONS);
        ConfigFile.Reconnect rc = r.reconnect() != null ? r.reconnect() : new ConfigFile.Reconnect(null, null);
        long min = p.number("<router><reconnect><min-ms>", rc.minMs(), 1000, 1, MAX_DELAY_MS);
        long max = p.number("<router><reconnect><max-ms>", rc.maxMs(), Math.max(30_000, min), 1, MAX_DELAY_MS);
        if (max < min) {
            p.add("<router><reconnect><max-ms>", "must be at least <min-ms> (" + min + "), got " + max);
            max = min;
        }
        int queue = p.integer("<router><write-queue-bytes>", r.writeQueueBytes(), 1 << 20, 4096, 1 << 30);
        int budget = p.integer("<router><turn-budget-bytes>", r.turnBudgetBytes(),
                RouterSettings.DEFAULT_TURN_BUDGET_BYTES, 4096, 1 << 30);
        return new RouterSettings(host, port, domain, secret == null ? "" : secret, connections, min, max,
                queue, budget, limits);
    }

    /** A host name or address without white space inside; absent: {@code fallback}. */
    private static String host(Problems p, String path, String raw, String fallback) {
        if (raw != null && (raw.isBlank() || raw.strip().chars().anyMatch(Character::isWhitespace))) {
            p.add(path, "must be a host name or address, got '" + raw + "'");
        }
        return raw == null || raw.isBlank() ? fallback : raw.strip();
    }

    /** Inline text, {@code file='...'}, {@code env='...'}, or the default environment variable. */
    private String secret(Problems p, ConfigFile.Secret s, Path baseDir) {
        if (s == null) {
            String value = env.apply(DEFAULT_SECRET_ENV);
            if (value == null || value.isEmpty()) {
                p.add("<router><secret>", "is missing: write it inline, as file='...' or env='...', give --secret,"
                        + " or set the environment variable " + DEFAULT_SECRET_ENV);
            }
            return value;
        }
        String text = Problems.trimmed(s.value());
        int forms = (text != null ? 1 : 0) + (s.file() != null ? 1 : 0) + (s.env() != null ? 1 : 0);
        if (forms != 1) {
            p.add("<router><secret>", "must have exactly one of: text, file='...', env='...'; got "
                    + (forms == 0 ? "none" : forms));
            return null;
        }
        if (s.file() != null) {
            return secretFile(p, s.file(), baseDir);
        }
        if (s.env() != null) {
            String value = env.apply(s.env());
            if (value == null || value.isEmpty()) {
                p.add("<router><secret env='" + s.env() + "'>", "names an environment variable that is not set");
            }
            return value;
        }
        return text;
    }

    private static String secretFile(Problems p, String name, Path baseDir) {
        String where = "<router><secret file='" + name + "'>";
        Path path = baseDir == null ? Path.of(name) : baseDir.resolve(name);
        try {
            String value = Problems.trimmed(Files.readString(path, StandardCharsets.UTF_8));
            if (value == null) {
                p.add(where, "names an empty file: " + path);
            }
            return value;
        } catch (IOException e) {
            p.add(where, "cannot be read: " + describe(e));
            return null;
        }
    }

    private static XmlLimits xmlLimits(Problems p, ConfigFile.XmlLimitsSection x) {
        XmlLimits d = XmlLimits.defaults();
        if (x == null) {
            return d;
        }
        return new XmlLimits(
                p.integer("<xml-limits><max-stanza-bytes>", x.maxStanzaBytes(), d.maxStanzaBytes(), 1024, 64 << 20),
                p.integer("<xml-limits><max-depth>", x.maxDepth(), d.maxDepth(), 2, 1024),
                p.integer("<xml-limits><max-attributes>", x.maxAttributes(), d.maxAttributes(), 1, 1024),
                p.integer("<xml-limits><max-name-length>", x.maxNameLength(), d.maxNameLength(), 16, 4096));
    }

    /** The file's own domain, lower-cased; predefined rooms written for it follow a --domain override. */
    private static String fileDomain(ConfigFile.Service s) {
        Jid jid = Jid.parse(Problems.trimmed(s.domain()));
        return jid == null ? null : jid.domain();
    }

    private static ServiceSettings serviceSettings(Problems p, ConfigFile.Service s, String domain,
                                                   String fileDomain) {
        ServiceSettings d = ServiceSettings.defaults(domain);
        Element vcard = s.vcard() == null ? d.vcard() : vcard(s.vcard());
        String fn = vcard.childText("FN");
        String name = Problems.trimmed(s.name()) != null ? Problems.trimmed(s.name())
                : fn != null && !fn.isBlank() ? fn.strip() : d.serviceName();
        ConfigFile.Notice n = s.notice() != null ? s.notice() : new ConfigFile.Notice(null, null, null);
        return new ServiceSettings(
                domain,
                p.flag("<service><public>", s.publicService(), false),
                p.integer("<service><history>", s.history(), d.historySize(), 0, 10_000),
                p.integer("<service><history-bytes>", s.historyBytes(), d.historyBytes(), 1024, 67_108_864),
                notice(n.join()), notice(n.leave()), notice(n.rename()),
                p.flag("<service><dynamic-rooms>", s.dynamicRooms(), d.dynamicRooms()),
                name,
                vcard,
                rooms(p, s.rooms(), domain, fileDomain),
                p.integer("<service><max-nick-length>", s.maxNickLength(), d.maxNickLength(), 1, Jid.MAX_PART),
                p.integer("<service><max-participants>", s.maxParticipants(), d.maxParticipants(), 0, 1_000_000),
                d.versionName(), Version.current(), d.os(), d.limits(),
                p.integer("<service><max-listed-rooms>", s.maxListedRooms(), d.maxListedRooms(), 1, 100_000));
    }

    private static Limits userLimits(Problems p, ConfigFile.Limits l) {
        Limits d = Limits.defaults();
        if (l == null) {
            return d;
        }
        return new Limits(
                p.integer("<limits><user-stanzas-per-second>", l.userStanzasPerSecond(), d.userRate(), 0, 1_000_000),
                p.integer("<limits><user-burst>", l.userBurst(), d.userBurst(), 1, 10_000_000),
                p.integer("<limits><room-stanzas-per-second>", l.roomStanzasPerSecond(), d.roomRate(), 0, 1_000_000),
                p.integer("<limits><room-burst>", l.roomBurst(), d.roomBurst(), 1, 10_000_000),
                p.integer("<limits><max-presence-chars>", l.maxPresenceChars(), d.maxPresenceChars(), 256, 16 << 20),
                p.integer("<limits><max-status-chars>", l.maxStatusChars(), d.maxStatusChars(), 16, 16 << 20),
                p.integer("<limits><max-room-name-chars>", l.maxRoomNameChars(), d.maxRoomNameChars(), 16, 1 << 20),
                p.integer("<limits><max-topic-chars>", l.maxTopicChars(), d.maxTopicChars(), 16, 16 << 20),
                p.integer("<limits><max-rooms-per-user>", l.maxRoomsPerUser(), d.maxRoomsPerUser(), 1, 1_000_000),
                p.integer("<limits><max-registrations-per-user>", l.maxRegistrationsPerUser(),
                        d.maxRegistrationsPerUser(), 1, 10_000_000),
                p.integer("<limits><max-affiliations-per-room>", l.maxAffiliationsPerRoom(),
                        d.maxAffiliationsPerRoom(), 1, 1_000_000));
    }

    /** Notice texts are concatenated verbatim (spec §1.2), so spaces are kept; empty = no notice. */
    private static String notice(String raw) {
        return raw == null || raw.isEmpty() ? null : raw;
    }

    private static List<PredefinedRoom> rooms(Problems p, List<ConfigFile.Room> rooms, String domain,
                                              String fileDomain) {
        List<PredefinedRoom> out = new ArrayList<>();
        if (rooms == null) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (ConfigFile.Room r : rooms) {
            String where = "<service><room jid='" + r.jid() + "'>";
            Jid jid = r.jid() == null ? null : Jid.parse(r.jid().strip());
            if (jid == null || !jid.hasNode() || jid.hasResource()
                    || !(jid.domain().equals(domain) || jid.domain().equals(fileDomain))) {
                p.add(where, "jid must be room@" + domain + ", got '" + r.jid() + "'");
                continue;
            }
            String node = jid.roomKey().node();
            if (!seen.add(node)) {
                p.add(where, "is configured twice");
                continue;
            }
            ConfigFile.Notice n = r.notice() != null ? r.notice() : new ConfigFile.Notice(null, null, null);
            out.add(new PredefinedRoom(node, Problems.trimmed(r.name()), Problems.trimmed(r.secret()),
                    p.flag(where + "<privacy>", r.privacy(), false),
                    notice(n.join()), notice(n.leave()), notice(n.rename())));
        }
        return out;
    }

    /** The configured vCard children (text elements, possibly nested) under {@code vcard-temp}. */
    private static Element vcard(JsonNode node) {
        Element vcard = new Element("vCard", "vcard-temp");
        addVcardChildren(vcard, node);
        return vcard;
    }

    private static void addVcardChildren(Element parent, JsonNode node) {
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            for (JsonNode value : field.getValue().isArray() ? field.getValue() : List.of(field.getValue())) {
                Element child = parent.addChild(field.getKey(), null);
                if (value.isObject()) {
                    addVcardChildren(child, value);
                } else {
                    child.addText(value.asText());
                }
            }
        }
    }
}

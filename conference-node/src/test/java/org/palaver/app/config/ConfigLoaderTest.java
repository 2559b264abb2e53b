package org.palaver.app.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.palaver.component.RouterSettings;
import org.palaver.core.ServiceSettings.PredefinedRoom;
import org.palaver.core.ServiceSettings;
import org.palaver.xml.XmlLimits;

class ConfigLoaderTest {
    private static final String FULL = """
            <conference-node>
              <router>
                <host>router.example.org</host>
                <port>5347</port>
                <secret>s3cr3t</secret>
                <connections>2</connections>
                <reconnect><min-ms>500</min-ms><max-ms>20000</max-ms></reconnect>
                <write-queue-bytes>65536</write-queue-bytes>
                <turn-budget-bytes>262144</turn-budget-bytes>
              </router>
              <service xmlns='jabber:config:conference'>
                <domain>Conference.Example.ORG</domain>
                <public/>
                <history>20</history>
                <notice>
                  <join> has become available</join>
                  <leave> has left</leave>
                  <rename> is now known as </rename>
                </notice>
                <dynamic-rooms>false</dynamic-rooms>
                <vCard>
                  <FN>Example Chatrooms</FN>
                  <DESC>Talk here</DESC>
                </vCard>
                <max-nick-length>32</max-nick-length>
                <max-participants>500</max-participants>
                <max-listed-rooms>40</max-listed-rooms>
                <room jid='Lounge@conference.example.org'>
                  <name>The Lounge</name>
                  <secret>pw</secret>
                  <privacy/>
                  <notice><join> arrives</join></notice>
                </room>
                <room jid='help@conference.example.org'><name>Assistance Zone</name></room>
              </service>
              <xml-limits>
                <max-stanza-bytes>100000</max-stanza-bytes>
                <max-depth>16</max-depth>
                <max-attributes>32</max-attributes>
                <max-name-length>128</max-name-length>
              </xml-limits>
              <http><host>127.0.0.1</host><port>8080</port></http>
            </conference-node>
            """;

    private static final String MINIMAL = """
            <conference-node>
              <router><secret>s</secret></router>
              <service><domain>conference.localhost</domain></service>
            </conference-node>
            """;

    @TempDir
    Path dir;

    private static ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader(env::get);
    }

    private static NodeConfig load(String xml) throws ConfigException {
        return loader(Map.of()).load(xml, null, Overrides.none());
    }

    /** The one problem reported for {@code xml}. */
    private static String problem(String xml) {
        return problem(xml, Map.of(), Overrides.none());
    }

    private static String problem(String xml, Map<String, String> env, Overrides overrides) {
        ConfigException e = assertThrows(ConfigException.class, () -> loader(env).load(xml, null, overrides));
        assertEquals(1, e.problems().size(), "problems: " + e.problems());
        return e.problems().get(0);
    }

    /** MINIMAL with {@code extra} inserted into {@code <router>} / {@code <service>} / the root. */
    private static String withRouter(String extra) {
        return MINIMAL.replace("<router><secret>s</secret>", "<router><secret>s</secret>" + extra);
    }

    private static String withService(String extra) {
        return MINIMAL.replace("<domain>conference.localhost</domain>", "<domain>conference.localhost</domain>" + extra);
    }

    private static String withRoot(String extra) {
        return MINIMAL.replace("</conference-node>", extra + "</conference-node>");
    }

    @Test
    void readsEveryField() throws ConfigException {
        NodeConfig c = load(FULL);
        RouterSettings r = c.router();
        assertEquals("router.example.org", r.host());
        assertEquals(5347, r.port());
        assertEquals("s3cr3t", r.secret());
        assertEquals("conference.example.org", r.domain());
        assertEquals(2, r.connections());
        assertEquals(500, r.reconnectMinMs());
        assertEquals(20_000, r.reconnectMaxMs());
        assertEquals(65536, r.writeQueueBytes());
        assertEquals(262_144, r.turnBudgetBytes());
        assertEquals(new XmlLimits(100_000, 16, 32, 128), r.xmlLimits());

        ServiceSettings s = c.service();
        assertEquals("conference.example.org", s.domain());
        assertTrue(s.publicService());
        assertEquals(20, s.historySize());
        assertEquals(" has become available", s.joinNotice());
        assertEquals(" has left", s.leaveNotice());
        assertEquals(" is now known as ", s.renameNotice());
        assertFalse(s.dynamicRooms());
        assertEquals("Example Chatrooms", s.serviceName());
        assertEquals("<vCard xmlns='vcard-temp'><FN>Example Chatrooms</FN><DESC>Talk here</DESC></vCard>",
                s.vcard().toString());
        assertEquals(32, s.maxNickLength());
        assertEquals(500, s.maxParticipants());
        assertEquals(40, s.maxListedRooms());
        assertEquals(List.of(
                        new PredefinedRoom("lounge", "The Lounge", "pw", true, " arrives", null, null),
                        new PredefinedRoom("help", "Assistance Zone", null, false, null, null, null)),
                s.rooms());
        assertEquals("127.0.0.1", c.httpHost());
        assertEquals(8080, c.httpPort());
    }

    @Test
    void shippedConfigurationLoads() throws ConfigException {
        Path shipped = Path.of(System.getProperty("palaver.projectRoot", ".."), "cluster-config", "conference.xml");
        NodeConfig c = loader(Map.of()).load(shipped, Overrides.none());
        assertEquals("conference.localhost", c.service().domain());
        assertEquals(15347, c.router().port());
        assertTrue(c.service().publicService());
        assertEquals(2, c.service().rooms().size());
        assertEquals(9090, c.httpPort());
        assertEquals("127.0.0.1", c.httpHost(), "the quick start's endpoints stay on this machine");
    }

    @Test
    void shippedClusterConfigurationLoads() throws ConfigException {
        Path dir = Path.of(System.getProperty("palaver.projectRoot", ".."), "cluster-config");
        NodeConfig c = loader(Map.of()).load(dir.resolve("conference-cluster.xml"), Overrides.none());
        assertEquals(dir.resolve("hazelcast.yaml").toAbsolutePath(), c.cluster().hazelcastFile().toAbsolutePath());
        assertEquals("palaver", c.cluster().hazelcast().getClusterName());
        assertTrue(c.cluster().hazelcast().getNetworkConfig().getJoin().getTcpIpConfig().isEnabled());
        assertEquals(0, c.cluster().eventBusPort());
        assertNull(c.cluster().eventBusHost());
        assertEquals(10_000, c.cluster().handoffTimeoutMs());
        assertEquals(1, c.cluster().backups());
        NodeConfig k8s = loader(Map.of("PALAVER_SECRET", "s")).load(dir.resolveSibling("k8s").resolve("conference.xml"),
                Overrides.none());
        assertTrue(k8s.cluster().hazelcast().getNetworkConfig().getJoin().getKubernetesConfig().isEnabled());
        assertEquals(5710, k8s.cluster().eventBusPort());
    }

    @Test
    void withoutClusterSectionTheNodeIsSingle() throws ConfigException {
        assertNull(load(MINIMAL).cluster());
    }

    @Test
    void clusterFieldErrors(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("multicast.yaml"),
                "hazelcast:\n  network:\n    join:\n      multicast:\n        enabled: true\n");
        Files.writeString(dir.resolve("nojoin.yaml"), "hazelcast:\n  cluster-name: x\n");
        Files.writeString(dir.resolve("broken.yaml"), "hazelcast:\n  network: [oops\n");
        assertProblem(dir, "<cluster/>", "config error: <cluster><hazelcast-config> is missing");
        assertProblem(dir, "<cluster><hazelcast-config>nope.yaml</hazelcast-config></cluster>",
                "config error: <cluster><hazelcast-config> 'nope.yaml' cannot read");
        assertProblem(dir, "<cluster><hazelcast-config>multicast.yaml</hazelcast-config></cluster>",
                "config error: <cluster><hazelcast-config> 'multicast.yaml' enables multicast discovery");
        assertProblem(dir, "<cluster><hazelcast-config>nojoin.yaml</hazelcast-config></cluster>",
                "config error: <cluster><hazelcast-config> 'nojoin.yaml' enables neither join.tcp-ip nor join.kubernetes");
        assertProblem(dir, "<cluster><hazelcast-config>broken.yaml</hazelcast-config></cluster>",
                "config error: <cluster><hazelcast-config> 'broken.yaml' is not a valid Hazelcast configuration");
        Files.writeString(dir.resolve("ok.yaml"), "hazelcast:\n  network:\n    join:\n      multicast:\n"
                + "        enabled: false\n      tcp-ip:\n        enabled: true\n        member-list: [127.0.0.1]\n");
        assertProblem(dir, "<cluster><hazelcast-config>ok.yaml</hazelcast-config><event-bus-port>70000</event-bus-port></cluster>",
                "config error: <cluster><event-bus-port> must be 0..65535, got 70000");
        assertProblem(dir, "<cluster><hazelcast-config>ok.yaml</hazelcast-config><handoff-timeout-ms>5</handoff-timeout-ms></cluster>",
                "config error: <cluster><handoff-timeout-ms> must be 100..600000, got 5");
        assertProblem(dir, "<cluster><hazelcast-config>ok.yaml</hazelcast-config><backups>3</backups></cluster>",
                "config error: <cluster><backups> must be 0..2, got 3");
        assertProblem(dir, "<cluster><hazelcast-config>ok.yaml</hazelcast-config><backups>one</backups></cluster>",
                "config error: <cluster><backups> must be 0..2, got 'one'");
    }

    private void assertProblem(Path dir, String clusterXml, String expectedStart) {
        String xml = MINIMAL.replace("</conference-node>", clusterXml + "</conference-node>");
        ConfigException e = assertThrows(ConfigException.class,
                () -> new ConfigLoader(n -> null).load(xml, dir, Overrides.none()));
        assertTrue(e.problems().stream().anyMatch(p -> p.startsWith(expectedStart)),
                "expected '" + expectedStart + "' in " + e.problems());
    }

    @Test
    void minimalFileGetsDefaults() throws ConfigException {
        NodeConfig c = load(MINIMAL);
        RouterSettings r = c.router();
        assertEquals("127.0.0.1", r.host());
        assertEquals(5347, r.port());
        assertEquals(1, r.connections());
        assertEquals(1000, r.reconnectMinMs());
        assertEquals(30_000, r.reconnectMaxMs());
        assertEquals(XmlLimits.defaults(), r.xmlLimits());
        ServiceSettings s = c.service();
        ServiceSettings d = ServiceSettings.defaults("conference.localhost");
        assertFalse(s.publicService(), "no <public/>: private service (spec §1.2)");
        assertEquals(10, s.historySize());
        assertNull(s.joinNotice());
        assertTrue(s.dynamicRooms());
        assertEquals(d.serviceName(), s.serviceName());
        assertEquals(d.maxNickLength(), s.maxNickLength());
        assertEquals("0.0.0.0", c.httpHost());
        assertEquals(0, c.httpPort());
    }

    @Test
    void explicitNameWinsOverVcardFn() throws ConfigException {
        assertEquals("Chat", load(withService("<name>Chat</name><vCard><FN>Other</FN></vCard>")).service().serviceName());
    }

    @Test
    void nestedAndRepeatedVcardElementsAreKept() throws ConfigException {
        assertEquals("<vCard xmlns='vcard-temp'><EMAIL><USERID>a@b</USERID></EMAIL><URL>x</URL><URL>y</URL></vCard>",
                load(withService("<vCard><EMAIL><USERID>a@b</USERID></EMAIL><URL>x</URL><URL>y</URL></vCard>"))
                        .service().vcard().toString());
    }

    @Test
    void publicAcceptsTrueAndFalse() throws ConfigException {
        assertTrue(load(withService("<public>true</public>")).service().publicService());
        assertFalse(load(withService("<public>false</public>")).service().publicService());
    }

    // ---- secret -------------------------------------------------------------------------------

    @Test
    void secretFromFileRelativeToTheConfigFile() throws IOException, ConfigException {
        Files.writeString(dir.resolve("router.secret"), "from-file\n");
        Path conf = dir.resolve("conference.xml");
        Files.writeString(conf, MINIMAL.replace("<secret>s</secret>", "<secret file='router.secret'/>"));
        assertEquals("from-file", loader(Map.of()).load(conf, Overrides.none()).router().secret());
    }

    @Test
    void secretFromNamedEnvironmentVariable() throws ConfigException {
        String xml = MINIMAL.replace("<secret>s</secret>", "<secret env='ROUTER_SECRET'/>");
        assertEquals("from-env", loader(Map.of("ROUTER_SECRET", "from-env")).load(xml, null, Overrides.none())
                .router().secret());
    }

    @Test
    void secretFromDefaultEnvironmentVariable() throws ConfigException {
        String xml = MINIMAL.replace("<secret>s</secret>", "");
        assertEquals("dflt", loader(Map.of("PALAVER_SECRET", "dflt")).load(xml, null, Overrides.none())
                .router().secret());
    }

    @Test
    void missingSecret() {
        assertEquals("config error: <router><secret> is missing: write it inline, as file='...' or env='...',"
                        + " give --secret, or set the environment variable PALAVER_SECRET",
                problem(MINIMAL.replace("<secret>s</secret>", "")));
    }

    @Test
    void secretWithTwoForms() {
        assertEquals("config error: <router><secret> must have exactly one of: text, file='...', env='...'; got 2",
                problem(MINIMAL.replace("<secret>s</secret>", "<secret file='x' env='Y'/>")));
    }

    @Test
    void emptySecret() {
        assertEquals("config error: <router><secret> must have exactly one of: text, file='...', env='...'; got none",
                problem(MINIMAL.replace("<secret>s</secret>", "<secret> </secret>")));
    }

    @Test
    void unreadableSecretFile() {
        String p = problem(MINIMAL.replace("<secret>s</secret>", "<secret file='/nonexistent/secret'/>"));
        assertTrue(p.startsWith("config error: <router><secret file='/nonexistent/secret'> cannot be read: NoSuchFileException"), p);
    }

    @Test
    void unsetSecretVariable() {
        assertEquals("config error: <router><secret env='NOPE'> names an environment variable that is not set",
                problem(MINIMAL.replace("<secret>s</secret>", "<secret env='NOPE'/>")));
    }

    // ---- every checked field ------------------------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            <port>0</port>                      | <router><port> must be 1..65535, got 0
            <port>70000</port>                  | <router><port> must be 1..65535, got 70000
            <port>x</port>                      | <router><port> must be 1..65535, got 'x'
            <connections>0</connections>        | <router><connections> must be 1..64, got 0
            <reconnect><min-ms>0</min-ms></reconnect>       | <router><reconnect><min-ms> must be 1..3600000, got 0
            <reconnect><max-ms>9999999</max-ms></reconnect> | <router><reconnect><max-ms> must be 1..3600000, got 9999999
            <reconnect><min-ms>5000</min-ms><max-ms>100</max-ms></reconnect> | <router><reconnect><max-ms> must be at least <min-ms> (5000), got 100
            <write-queue-bytes>10</write-queue-bytes> | <router><write-queue-bytes> must be 4096..1073741824, got 10
            <turn-budget-bytes>100</turn-budget-bytes> | <router><turn-budget-bytes> must be 4096..1073741824, got 100
            <host> </host>                      | <router><host> must be a host name or address, got ' '
            """)
    void routerFieldErrors(String element, String message) {
        assertEquals("config error: " + message, problem(withRouter(element)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            <public>yes</public>                      | <service><public> must be empty, true or false, got 'yes'
            <history>-1</history>                     | <service><history> must be 0..10000, got -1
            <dynamic-rooms>maybe</dynamic-rooms>      | <service><dynamic-rooms> must be empty, true or false, got 'maybe'
            <max-nick-length>0</max-nick-length>      | <service><max-nick-length> must be 1..1023, got 0
            <max-participants>-5</max-participants>   | <service><max-participants> must be 0..1000000, got -5
            <max-listed-rooms>0</max-listed-rooms>    | <service><max-listed-rooms> must be 1..100000, got 0
            <room jid='lobby'/>                       | <service><room jid='lobby'> jid must be room@conference.localhost, got 'lobby'
            <room jid='lobby@elsewhere.org'/>         | <service><room jid='lobby@elsewhere.org'> jid must be room@conference.localhost, got 'lobby@elsewhere.org'
            <room jid='lobby@conference.localhost/x'/> | <service><room jid='lobby@conference.localhost/x'> jid must be room@conference.localhost, got 'lobby@conference.localhost/x'
            <room><name>x</name></room>               | <service><room jid='null'> jid must be room@conference.localhost, got 'null'
            <room jid='a@conference.localhost'/><room jid='A@conference.localhost'/> | <service><room jid='A@conference.localhost'> is configured twice
            <room jid='a@conference.localhost'><privacy>no</privacy></room> | <service><room jid='a@conference.localhost'><privacy> must be empty, true or false, got 'no'
            """)
    void serviceFieldErrors(String element, String message) {
        assertEquals("config error: " + message, problem(withService(element)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            <xml-limits><max-stanza-bytes>100</max-stanza-bytes></xml-limits> | <xml-limits><max-stanza-bytes> must be 1024..67108864, got 100
            <xml-limits><max-depth>1</max-depth></xml-limits>                 | <xml-limits><max-depth> must be 2..1024, got 1
            <xml-limits><max-attributes>0</max-attributes></xml-limits>       | <xml-limits><max-attributes> must be 1..1024, got 0
            <xml-limits><max-name-length>5</max-name-length></xml-limits>     | <xml-limits><max-name-length> must be 16..4096, got 5
            <limits><user-stanzas-per-second>-1</user-stanzas-per-second></limits> | <limits><user-stanzas-per-second> must be 0..1000000, got -1
            <limits><room-burst>0</room-burst></limits>                       | <limits><room-burst> must be 1..10000000, got 0
            <limits><max-status-chars>8</max-status-chars></limits>           | <limits><max-status-chars> must be 16..16777216, got 8
            <limits><max-room-name-chars>x</max-room-name-chars></limits>     | <limits><max-room-name-chars> must be 16..1048576, got 'x'
            <limits><max-topic-chars>0</max-topic-chars></limits>             | <limits><max-topic-chars> must be 16..16777216, got 0
            <limits><max-rooms-per-user>0</max-rooms-per-user></limits>       | <limits><max-rooms-per-user> must be 1..1000000, got 0
            <limits><max-registrations-per-user>-1</max-registrations-per-user></limits> | <limits><max-registrations-per-user> must be 1..10000000, got -1
            <limits><max-affiliations-per-room>0</max-affiliations-per-room></limits> | <limits><max-affiliations-per-room> must be 1..1000000, got 0
            <http><port>-1</port></http>                                      | <http><port> must be 0..65535, got -1
            <http><host>a b</host></http>                                     | <http><host> must be a host name or address, got 'a b'
            """)
    void otherFieldErrors(String element, String message) {
        assertEquals("config error: " + message, problem(withRoot(element)));
    }

    @Test
    void rateLimitsHaveSafeDefaultsAndCanBeSwitchedOff() throws Exception {
        assertEquals(org.palaver.core.Limits.defaults(), load(MINIMAL).service().limits());
        assertEquals(new org.palaver.core.Limits(0, 50, 0, 60, 4096), load(withRoot("<limits><user-stanzas-per-second>0"
                + "</user-stanzas-per-second><user-burst>50</user-burst><room-stanzas-per-second>0</room-stanzas-per-second>"
                + "<room-burst>60</room-burst><max-presence-chars>4096</max-presence-chars></limits>")).service().limits());
    }

    @Test
    void holdingLimitsHaveSafeDefaultsAndAreRead() throws Exception {
        org.palaver.core.Limits d = load(MINIMAL).service().limits();
        assertEquals(List.of(1024, 256, 4096, 100, 200, 1000), List.of(d.maxStatusChars(), d.maxRoomNameChars(),
                d.maxTopicChars(), d.maxRoomsPerUser(), d.maxRegistrationsPerUser(), d.maxAffiliationsPerRoom()));
        assertEquals(1000, load(MINIMAL).service().maxParticipants());
        assertEquals(d.withHoldings(100, 50, 200, 3, 7), load(withRoot("<limits><max-status-chars>100</max-status-chars>"
                + "<max-room-name-chars>50</max-room-name-chars><max-topic-chars>200</max-topic-chars>"
                + "<max-rooms-per-user>3</max-rooms-per-user><max-registrations-per-user>7</max-registrations-per-user>"
                + "</limits>")).service().limits());
        assertEquals(d.withAffiliations(5), load(withRoot("<limits><max-affiliations-per-room>5</max-affiliations-per-room>"
                + "</limits>")).service().limits());
    }

    @Test
    void missingDomain() {
        assertEquals("config error: <service><domain> is missing (or give --domain)",
                problem(MINIMAL.replace("<domain>conference.localhost</domain>", "")));
    }

    @Test
    void domainWithNode() {
        assertEquals("config error: <service><domain> must be a domain name like conference.example.org, got 'a@b.c'",
                problem(MINIMAL.replace("conference.localhost", "a@b.c")));
    }

    @Test
    void unknownElementIsNamedWithItsPath() {
        assertEquals("config error: unknown element <router><bogus> in configuration",
                problem(withRouter("<bogus>1</bogus>")));
    }

    @Test
    void malformedXmlNamesTheLine() {
        String p = problem("<conference-node>\n<router>\n</conference-node>");
        assertTrue(p.startsWith("config error: configuration is not well-formed XML: "), p);
        assertTrue(p.contains("line 3"), p);
    }

    @Test
    void unreadableFile() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> loader(Map.of()).load(dir.resolve("missing.xml"), Overrides.none()));
        assertTrue(e.getMessage().startsWith("config error: cannot read " + dir.resolve("missing.xml")), e.getMessage());
    }

    @Test
    void allProblemsAreReportedAtOnce() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> load("<conference-node><router><port>0</port></router><service><history>x</history></service></conference-node>"));
        assertEquals(4, e.problems().size(), e.problems().toString()); // domain, port, secret, history
    }

    // ---- command-line overrides ---------------------------------------------------------------

    @Test
    void overridesReplaceTheFile() throws ConfigException {
        NodeConfig c = loader(Map.of()).load(FULL, null,
                new Overrides("10.0.0.1", "15347", "cli-secret", "chat.example.net"));
        assertEquals("10.0.0.1", c.router().host());
        assertEquals(15347, c.router().port());
        assertEquals("cli-secret", c.router().secret());
        assertEquals("chat.example.net", c.router().domain());
        assertEquals("chat.example.net", c.service().domain());
    }

    @Test
    void roomsOfTheFilesDomainFollowAnOverriddenDomain() throws ConfigException {
        NodeConfig c = loader(Map.of()).load(FULL, null, new Overrides(null, null, null, "chat.example.net"));
        assertEquals(List.of("lounge", "help"), c.service().rooms().stream().map(PredefinedRoom::node).toList());
    }

    @Test
    void noFileNeedsOnlyCommandLine() throws ConfigException {
        NodeConfig c = loader(Map.of()).load((Path) null,
                new Overrides("127.0.0.1", "15347", "s", "conference.localhost"));
        assertEquals(15347, c.router().port());
        assertEquals("conference.localhost", c.service().domain());
    }

    @Test
    void overriddenPortIsChecked() {
        assertEquals("config error: <router><port> must be 1..65535, got 0",
                problem(MINIMAL, Map.of(), new Overrides(null, "0", null, null)));
    }

    @Test
    void emptyOverriddenSecret() {
        assertEquals("config error: --secret must not be empty", problem(MINIMAL, Map.of(), new Overrides(null, null, "", null)));
    }

    @Test
    void secretIsNeverPrinted() throws ConfigException {
        assertFalse(load(FULL).router().toString().contains("s3cr3t"));
    }
}

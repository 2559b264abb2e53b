package org.palaver.app;

import org.palaver.app.config.ConfigException;
import org.palaver.app.config.ConfigLoader;
import org.palaver.app.config.NodeConfig;
import org.palaver.app.config.Overrides;

/** Node configurations for tests, written as an operator would and read by the real loader. */
final class TestConfigs {
    static final String DOMAIN = "conference.localhost";

    private TestConfigs() {
    }

    /**
     * A public service with one predefined room (lounge), quick reconnects, and the ops endpoint on
     * loopback {@code httpPort} (0: off); no start-up warm-up.
     */
    static NodeConfig node(int routerPort, String secret, int httpPort) throws ConfigException {
        return node(routerPort, secret, httpPort, 0);
    }

    /** As {@link #node(int, String, int)} with a start-up warm-up of {@code warmupMs}. */
    static NodeConfig node(int routerPort, String secret, int httpPort, long warmupMs) throws ConfigException {
        String xml = """
                <conference-node>
                  <router>
                    <host>127.0.0.1</host><port>%d</port><secret>%s</secret>
                    <reconnect><min-ms>100</min-ms><max-ms>800</max-ms></reconnect>
                  </router>
                  <service>
                    <domain>%s</domain><public/>
                    <room jid='lounge@%s'/>
                  </service>
                  <http><host>127.0.0.1</host><port>%d</port></http>
                  <warmup><duration-ms>%d</duration-ms></warmup>
                </conference-node>
                """.formatted(routerPort, secret, DOMAIN, DOMAIN, httpPort, warmupMs);
        return new ConfigLoader(name -> null).load(xml, null, Overrides.none());
    }
}

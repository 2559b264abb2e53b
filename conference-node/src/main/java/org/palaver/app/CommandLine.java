package org.palaver.app;

import java.nio.file.Path;
import org.palaver.app.config.ConfigLoader;
import org.palaver.app.config.Overrides;

/**
 * The launcher's arguments: {@code --config FILE}, {@code --router HOST:PORT}, {@code --secret S},
 * {@code --domain D}, {@code --help}, {@code --version}. Router, secret and domain override the
 * configuration file.
 */
public record CommandLine(Path config, Overrides overrides, boolean help, boolean version) {
    public static final String USAGE = String.join("\n",
            "usage: java -jar conference-node.jar [--config FILE] [--router HOST:PORT] [--secret SECRET] [--domain DOMAIN]",
            "       java -jar conference-node.jar --version | --help",
            "  --config FILE       service configuration (conference.xml)",
            "  --router HOST:PORT  router address for XEP-0114 components (overrides <router><host>/<port>)",
            "  --secret SECRET     the router's <local><secret> (overrides <router><secret>)",
            "  --domain DOMAIN     component domain, e.g. conference.localhost (overrides <service><domain>)",
            "  --version           print the release version of this jar and exit",
            "  The secret may also come from the environment variable " + ConfigLoader.DEFAULT_SECRET_ENV + ".");

    /** @throws IllegalArgumentException with a readable message for unknown or incomplete options */
    public static CommandLine parse(String... args) {
        Path config = null;
        String host = null;
        String port = null;
        String secret = null;
        String domain = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return new CommandLine(null, Overrides.none(), true, false);
            }
            if (option.equals("--version")) {
                return new CommandLine(null, Overrides.none(), false, true);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(option.startsWith("--") ? option + " needs a value"
                        : "unexpected argument '" + option + "'");
            }
            String value = args[++i];
            switch (option) {
                case "--config" -> config = Path.of(value);
                case "--secret" -> secret = value;
                case "--domain" -> domain = value;
                case "--router" -> {
                    int colon = value.lastIndexOf(':');
                    if (colon <= 0 || colon == value.length() - 1) {
                        throw new IllegalArgumentException("--router must be HOST:PORT, got '" + value + "'");
                    }
                    host = stripBrackets(value.substring(0, colon));
                    port = value.substring(colon + 1);
                }
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        return new CommandLine(config, new Overrides(host, port, secret, domain), false, false);
    }

    /** {@code [::1]} to {@code ::1}. */
    private static String stripBrackets(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}

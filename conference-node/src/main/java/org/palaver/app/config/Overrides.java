package org.palaver.app.config;

/**
 * Values given on the command line; each replaces the file's value when not {@code null}.
 * The port stays raw text so that it is checked like the file's {@code <router><port>}.
 */
public record Overrides(String routerHost, String routerPort, String secret, String domain) {
    public static Overrides none() {
        return new Overrides(null, null, null, null);
    }
}

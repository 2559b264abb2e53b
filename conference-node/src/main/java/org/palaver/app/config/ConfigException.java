package org.palaver.app.config;

import java.util.List;

/** The configuration cannot be used; each problem is one readable line naming field and value. */
public final class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(String.join("\n", problems));
        this.problems = List.copyOf(problems);
    }

    public ConfigException(String problem) {
        this(List.of(problem));
    }

    /** One line per problem, each starting with {@code config error: }. */
    public List<String> problems() {
        return problems;
    }
}

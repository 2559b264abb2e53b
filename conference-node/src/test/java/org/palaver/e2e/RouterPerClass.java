package org.palaver.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.palaver.testkit.Jabberd2;

/**
 * One real jabberd2 for the tests of a class that run node processes behind it: started before the
 * class's first test (with Smack's log through SLF4J, as the tests' clients use Smack), closed after
 * its last. Register it as a static field with {@code @RegisterExtension}.
 */
final class RouterPerClass implements BeforeAllCallback, AfterAllCallback {
    private final String secret;
    private Jabberd2 jabberd2;

    /** @param secret the component secret the nodes authenticate with */
    RouterPerClass(String secret) {
        this.secret = secret;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        SmackClient.logThroughSlf4j();
        jabberd2 = Jabberd2.start(secret);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (jabberd2 != null) {
            jabberd2.close();
            jabberd2 = null;
        }
    }

    /** The running router; only between the class's first and last test. */
    Jabberd2 jabberd2() {
        return jabberd2;
    }
}

package org.palaver.ops;

/** The project version, as recorded in the jar manifest by the build. */
final class Version {
    private Version() {
    }

    static String current() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "dev";
    }
}

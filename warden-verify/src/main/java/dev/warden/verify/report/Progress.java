package dev.warden.verify.report;

/*
 * PLACEHOLDER on main until the policy and report output land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

import java.io.PrintStream;

public final class Progress {
    public static Progress start(PrintStream err, boolean enabled, int total) {
        return new Progress();
    }

    public void step() {}

    public void finish() {}
}

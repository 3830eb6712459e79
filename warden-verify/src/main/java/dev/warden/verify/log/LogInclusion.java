package dev.warden.verify.log;

/*
 * PLACEHOLDER on main until the trust material and log inclusion land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

import dev.warden.verify.Remote;
import dev.warden.verify.report.Finding;
import dev.warden.verify.trust.LogKeys;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

public final class LogInclusion {
    public record Claim(long index, String name, String version, String integrity) {}

    public static Map<Claim, Finding> check(
            LogKeys keys, List<Claim> claims, Remote remote, Path cacheDir, boolean offline) {
        return Map.of();
    }
}

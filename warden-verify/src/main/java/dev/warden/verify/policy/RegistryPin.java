package dev.warden.verify.policy;

/*
 * PLACEHOLDER on main until the policy and report output land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

import java.util.List;

public record RegistryPin(String url, List<String> keys, String tufRoot) {}

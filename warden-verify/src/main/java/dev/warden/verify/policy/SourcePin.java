package dev.warden.verify.policy;

/*
 * PLACEHOLDER on main until the policy and report output land: the engine compiles against it. Its owner replaces this
 * file whole (when merging main, keep your own version).
 */

public record SourcePin(String packages, String repository, String workflow, String builder) {}

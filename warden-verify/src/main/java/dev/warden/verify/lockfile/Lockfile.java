package dev.warden.verify.lockfile;

import java.nio.file.Path;
import java.util.List;

/**
 * A parsed lockfile: every package it pins, one entry per distinct (name, version, source), in the
 * lockfile's order.
 *
 * @param file the file read
 * @param format what it is, for the report: {@code "package-lock v3"}, {@code "npm-shrinkwrap v2"},
 *     {@code "pnpm-lock v9.0"}, {@code "yarn classic v1"}, {@code "yarn berry v8"}
 * @param packages the packages it pins (the project itself and its workspaces excluded)
 */
public record Lockfile(Path file, String format, List<LockedPackage> packages) {

    public Lockfile {
        packages = List.copyOf(packages);
    }
}

package dev.warden.registry;

import java.time.Duration;

/**
 * Settings of the registry domain.
 *
 * @param publicUrl the base URL clients reach the registry at; tarball URLs in packuments start
 *     with it
 * @param unpublishWindow how long after publishing a version may be unpublished freely (npm: 72
 *     hours)
 * @param unpublishMaxWeeklyDownloads after the window, unpublishing needs fewer weekly downloads
 *     than this (npm: 300)
 * @param republishBlock how long a fully unpublished name stays blocked (npm: 24 hours)
 * @param packumentCacheBytes memory given to precomputed packuments
 * @param names which new names are refused for resembling popular ones
 */
public record RegistrySettings(
        String publicUrl,
        TarballInspector.Limits tarballLimits,
        Duration unpublishWindow,
        long unpublishMaxWeeklyDownloads,
        Duration republishBlock,
        long packumentCacheBytes,
        LookalikeNames.Settings names) {

    /** Settings with the default refusal of lookalike names. */
    public RegistrySettings(
            String publicUrl,
            TarballInspector.Limits tarballLimits,
            Duration unpublishWindow,
            long unpublishMaxWeeklyDownloads,
            Duration republishBlock,
            long packumentCacheBytes) {
        this(
                publicUrl,
                tarballLimits,
                unpublishWindow,
                unpublishMaxWeeklyDownloads,
                republishBlock,
                packumentCacheBytes,
                LookalikeNames.Settings.defaults());
    }

    public RegistrySettings withNames(LookalikeNames.Settings names) {
        return new RegistrySettings(
                publicUrl,
                tarballLimits,
                unpublishWindow,
                unpublishMaxWeeklyDownloads,
                republishBlock,
                packumentCacheBytes,
                names);
    }

    public static RegistrySettings defaults(String publicUrl) {
        return new RegistrySettings(
                publicUrl,
                TarballInspector.Limits.defaults(),
                Duration.ofHours(72),
                300,
                Duration.ofHours(24),
                256L << 20);
    }
}

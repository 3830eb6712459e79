package dev.warden.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Signals that together are near-certain malware, though each alone can be innocent: install-time
 * code that reads secrets and talks to the network, a secret scanner with self-publishing or a
 * workflow write (a worm), publishing with a harvested token, obfuscation hooking wallets, and new
 * reach in the code that runs at install. Runs after the other detectors, on what they found.
 */
final class Combinations {

    private static final List<Cue> SECRETS =
            List.of(
                    Cue.CREDENTIAL_FILE,
                    Cue.ENV_DUMP,
                    Cue.WALLET_STORE,
                    Cue.BROWSER_STORE,
                    Cue.NPM_TOKEN,
                    Cue.GITHUB_TOKEN);

    private static final List<Cue> NETWORK =
            List.of(
                    Cue.DOWNLOAD,
                    Cue.RAW_IP_URL,
                    Cue.COLLECTOR,
                    Cue.CHAT_WEBHOOK,
                    Cue.PASTE_SITE,
                    Cue.TUNNEL,
                    Cue.GITHUB_REPO);

    private static final Set<String> REACH_IDS =
            Set.of(
                    "child-process",
                    "credential-file-access",
                    "browser-store-access",
                    "wallet-store-access",
                    "shell-rc-access",
                    "environment-serialised",
                    "raw-ip-address",
                    "tunnel-service",
                    "paste-site",
                    "chat-webhook",
                    "exfiltration-endpoint",
                    "secret-scanner-run",
                    "ai-agent-unsafe-flags",
                    "workflow-write",
                    "npm-publish-from-code",
                    "github-repo-creation",
                    "geolocation-lookup",
                    "crypto-miner",
                    "encoded-sensitive-string");

    String name() {
        return "combinations";
    }

    void examine(Release r, List<Finding> found, List<Finding> out) {
        installTimeExfiltration(r, out);
        boolean scanner = has(found, "secret-scanner-run", Severity.MEDIUM);
        boolean publish = has(found, "npm-publish-from-code", Severity.HIGH);
        boolean workflow = has(found, "workflow-write", Severity.MEDIUM);
        boolean npmrc = mentions(found, "credential-file-access", ".npmrc");
        if ((scanner || npmrc) && (publish || workflow)
                || (scanner
                        && (publish
                                || workflow
                                || has(found, "exfiltration-endpoint", Severity.HIGH)
                                || has(found, "github-repo-creation", Severity.MEDIUM)))) {
            out.add(
                    new Finding(
                            "worm-behaviour",
                            Severity.CRITICAL,
                            "The new code hunts for secrets and spreads itself (a secret scanner or"
                                    + " npm credentials together with publishing, a workflow or a"
                                    + " repository it creates).",
                            evidence(
                                    found,
                                    "secret-scanner-run",
                                    "npm-publish-from-code",
                                    "workflow-write",
                                    "credential-file-access",
                                    "github-repo-creation")));
        } else if (publish && (npmrc || installTouches(r, found, "npm-publish-from-code"))) {
            out.add(
                    new Finding(
                            "self-publishing",
                            Severity.CRITICAL,
                            "The new code publishes to npm with credentials it finds.",
                            evidence(found, "npm-publish-from-code", "credential-file-access")));
        }
        if (has(found, "string-array-obfuscation", Severity.HIGH)
                && (has(found, "wallet-hook", Severity.MEDIUM)
                        || has(found, "exfiltration-endpoint", Severity.HIGH)
                        || has(found, "raw-ip-address", Severity.MEDIUM)
                        || has(found, "wallet-store-access", Severity.HIGH))) {
            out.add(
                    new Finding(
                            "obfuscated-injection",
                            Severity.CRITICAL,
                            "Newly obfuscated code that hooks wallets or sends data out.",
                            evidence(
                                    found,
                                    "string-array-obfuscation",
                                    "wallet-hook",
                                    "exfiltration-endpoint",
                                    "raw-ip-address",
                                    "wallet-store-access")));
        }
        boolean installChanged =
                has(found, "install-script-added", Severity.LOW)
                        || has(found, "install-script-changed", Severity.LOW)
                        || has(found, "install-script", Severity.LOW);
        if (installChanged
                && (has(found, "new-maintainer-publish", Severity.MEDIUM)
                        || has(found, "provenance-downgrade", Severity.HIGH))) {
            out.add(
                    new Finding(
                            "install-script-by-new-publisher",
                            Severity.HIGH,
                            "An install script was added or changed in a release by a new"
                                    + " maintainer or without the usual provenance.",
                            evidence(
                                    found,
                                    "install-script-added",
                                    "install-script-changed",
                                    "new-maintainer-publish",
                                    "provenance-downgrade")));
        }
        List<Evidence> atInstall = new ArrayList<>();
        for (Finding f : found) {
            if (REACH_IDS.contains(f.id()) && f.severity().compareTo(Severity.HIGH) < 0) {
                for (Evidence e : f.evidence()) {
                    if (e.file() != null
                            && r.installFiles.contains(e.file())
                            && atInstall.size() < Detector.MAX_EVIDENCE) {
                        atInstall.add(e);
                    }
                }
            }
        }
        if (!atInstall.isEmpty()) {
            out.add(
                    new Finding(
                            "install-time-reach",
                            Severity.HIGH,
                            "Code that runs at install gained new reach (processes, credentials,"
                                    + " the network).",
                            atInstall));
        }
    }

    /** An install-time file, new or changed, naming secrets and the network, one of them new. */
    private static void installTimeExfiltration(Release r, List<Finding> out) {
        List<Evidence> ev = new ArrayList<>();
        for (String path : r.installFiles) {
            if (!r.changed(path)) {
                continue;
            }
            FileScan s = r.scan(path);
            FileScan.Hit secret = first(r, s, SECRETS);
            FileScan.Hit net = first(r, s, NETWORK);
            if (secret == null || net == null) {
                continue;
            }
            if (r.hadBefore(Keywords.ALL.get(secret.keyword()).cue(), secret.token())
                    && r.hadBefore(Keywords.ALL.get(net.keyword()).cue(), net.token())) {
                continue;
            }
            ev.add(r.evidence(path, secret));
            ev.add(r.evidence(path, net));
        }
        if (!ev.isEmpty()) {
            out.add(
                    new Finding(
                            "install-time-exfiltration",
                            Severity.CRITICAL,
                            "Code that runs at install reads secrets (credential files, tokens or"
                                    + " the environment) and talks to the network.",
                            ev.subList(0, Math.min(ev.size(), Detector.MAX_EVIDENCE))));
        }
    }

    private static FileScan.Hit first(Release r, FileScan s, List<Cue> cues) {
        FileScan.Hit old = null;
        for (Cue c : cues) {
            for (FileScan.Hit h : s.hits(c)) {
                if (!r.hadBefore(c, h.token())) {
                    return h;
                }
                if (old == null) {
                    old = h;
                }
            }
        }
        return old;
    }

    private static boolean installTouches(Release r, List<Finding> found, String id) {
        for (Finding f : found) {
            if (f.id().equals(id)) {
                for (Evidence e : f.evidence()) {
                    if (e.file() != null && r.installFiles.contains(e.file())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean has(List<Finding> found, String id, Severity atLeast) {
        for (Finding f : found) {
            if (f.id().equals(id) && f.severity().atLeast(atLeast)) {
                return true;
            }
        }
        return false;
    }

    private static boolean mentions(List<Finding> found, String id, String text) {
        for (Finding f : found) {
            if (f.id().equals(id) && f.summary().contains(text)) {
                return true;
            }
            if (f.id().equals(id)) {
                for (Evidence e : f.evidence()) {
                    if (e.excerpt().contains(text)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static List<Evidence> evidence(List<Finding> found, String... ids) {
        List<Evidence> out = new ArrayList<>();
        for (String id : ids) {
            for (Finding f : found) {
                if (f.id().equals(id)
                        && !f.evidence().isEmpty()
                        && out.size() < Detector.MAX_EVIDENCE) {
                    out.add(f.evidence().get(0));
                }
            }
        }
        return out;
    }
}

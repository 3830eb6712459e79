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
        entryMovedToHiddenCode(r, found, out);
        boolean scanner = has(found, "secret-scanner-run", Severity.MEDIUM);
        boolean publish = has(found, "npm-publish-from-code", Severity.HIGH);
        boolean workflow = has(found, "workflow-write", Severity.MEDIUM);
        boolean npmrc = inCode(r, found, "credential-file-access", ".npmrc");
        // Without a secret scanner, a worm shows all three in code: npm credentials read, a
        // workflow written and a publish with the token; one or two of them is an ordinary tool.
        if ((npmrc && publish && workflow)
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
        // prepare (LOW) does not run when installing from the registry: not install-time code.
        boolean installChanged =
                has(found, "install-script-added", Severity.MEDIUM)
                        || has(found, "install-script-changed", Severity.MEDIUM);
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
        if (has(found, "new-maintainer-publish", Severity.MEDIUM)
                && (has(found, "dependency-young", Severity.MEDIUM)
                        || has(found, "dependency-missing", Severity.MEDIUM))) {
            out.add(
                    new Finding(
                            "new-maintainer-adds-young-dependency",
                            Severity.HIGH,
                            "A maintainer's first release of the package adds a dependency that is"
                                    + " days old (event-stream 3.3.6 and flatmap-stream).",
                            evidence(
                                    found,
                                    "new-maintainer-publish",
                                    "dependency-young",
                                    "dependency-missing")));
        }
        fingerprinting(r, out);
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

    /**
     * Install-time code, new or changed, that collects who and where the machine is (host name,
     * user name, network interfaces) and sends it out: a dependency-confusion probe. Over DNS it is
     * CRITICAL: a lookup of a name built from the host name reaches out where HTTP is blocked.
     */
    private static void fingerprinting(Release r, List<Finding> out) {
        List<Evidence> ev = new ArrayList<>();
        boolean dns = false;
        for (String path : r.installFiles) {
            if (!r.changed(path)) {
                continue;
            }
            FileScan s = r.scan(path);
            if (s.binary()) {
                continue;
            }
            int kinds = 0;
            FileScan.Hit telling = null;
            for (int k : Keywords.BY_CUE.get(Cue.FINGERPRINT)) {
                if (s.counts()[k] > 0) {
                    kinds++;
                    String token = Keywords.ALL.get(k).token();
                    if (!token.equals("homedir()") && !r.hadBefore(Cue.FINGERPRINT, token)) {
                        telling =
                                s.hits(Cue.FINGERPRINT).stream()
                                        .filter(h -> h.keyword() == k)
                                        .findFirst()
                                        .orElse(null);
                    }
                }
            }
            if (kinds < 2 || telling == null) {
                continue;
            }
            FileScan.Hit lookup = s.hits(Cue.DNS).isEmpty() ? null : s.hits(Cue.DNS).get(0);
            FileScan.Hit net = first(r, s, NETWORK);
            if (lookup == null && net == null) {
                continue;
            }
            dns |= lookup != null;
            ev.add(r.evidence(path, telling));
            ev.add(r.evidence(path, lookup != null ? lookup : net));
        }
        if (!ev.isEmpty()) {
            out.add(
                    new Finding(
                            "install-time-fingerprinting",
                            dns ? Severity.CRITICAL : Severity.HIGH,
                            "Code that runs at install collects the machine's host name, user or"
                                    + " network interfaces and "
                                    + (dns
                                            ? "sends them out in DNS lookups."
                                            : "talks to the network."),
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

    /** A finding's evidence naming {@code text} in code, not in a comment. */
    private static boolean inCode(Release r, List<Finding> found, String id, String text) {
        for (Finding f : found) {
            if (!f.id().equals(id)) {
                continue;
            }
            for (Evidence e : f.evidence()) {
                byte[] data = e.file() == null ? null : r.now.files().get(e.file());
                if (e.excerpt().contains(text)
                        && data != null
                        && e.offset() >= 0
                        && e.offset() < data.length
                        && !Lexical.inComment(data, (int) e.offset())) {
                    return true;
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

    /** What hides code from a reader; a new entry point that hides code hides all of it. */
    private static final Set<String> HIDING =
            Set.of(
                    "string-array-obfuscation",
                    "code-past-padding",
                    "eval-of-decoded-data",
                    "encoded-sensitive-string",
                    "encoded-string",
                    "high-entropy-line",
                    "invisible-payload",
                    "invisible-identifier",
                    "bidi-control-in-code");

    /**
     * The package now starts from a file the previous release did not have (its {@code main},
     * {@code bin} or {@code exports} moved), and that file hides what it does: every user runs the
     * hidden code in place of the old entry point, while the old files read as before.
     */
    private static void entryMovedToHiddenCode(Release r, List<Finding> found, List<Finding> out) {
        if (!r.hasPrevious()) {
            return;
        }
        Set<String> was = entryPoints(r.previousManifest());
        for (String entry : entryPoints(r.subject.manifest())) {
            if (was.contains(entry) || r.before.has(entry) || !r.now.files().containsKey(entry)) {
                continue;
            }
            for (Finding f : found) {
                if (!HIDING.contains(f.id())) {
                    continue;
                }
                List<Evidence> in =
                        f.evidence().stream().filter(e -> entry.equals(e.file())).toList();
                if (!in.isEmpty()) {
                    List<Evidence> ev = new ArrayList<>();
                    ev.add(Evidence.of("package.json"));
                    ev.addAll(in.subList(0, Math.min(2, in.size())));
                    out.add(
                            new Finding(
                                    "entry-point-to-hidden-code",
                                    Severity.HIGH,
                                    "The package now starts from a new file, "
                                            + entry
                                            + ", whose code is hidden ("
                                            + f.id()
                                            + ").",
                                    ev));
                    return;
                }
            }
        }
    }

    /** The files a package.json starts from: main, bin and string exports, as tarball paths. */
    static Set<String> entryPoints(com.fasterxml.jackson.databind.JsonNode m) {
        Set<String> out = new java.util.LinkedHashSet<>();
        if (m == null) {
            return out;
        }
        addPath(out, m.get("main"));
        com.fasterxml.jackson.databind.JsonNode bin = m.get("bin");
        if (bin != null && bin.isObject()) {
            bin.forEach(v -> addPath(out, v));
        } else {
            addPath(out, bin);
        }
        com.fasterxml.jackson.databind.JsonNode exports = m.get("exports");
        if (exports != null && exports.isObject() && exports.has(".")) {
            exports = exports.get(".");
        }
        if (exports != null && exports.isObject()) {
            exports.forEach(v -> addPath(out, v));
        } else {
            addPath(out, exports);
        }
        return out;
    }

    private static void addPath(Set<String> out, com.fasterxml.jackson.databind.JsonNode v) {
        if (v == null || !v.isTextual()) {
            return;
        }
        String p = v.asText().replace('\\', '/');
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        if (!p.isEmpty() && !p.contains("..")) {
            out.add(p);
            if (!p.matches(".*\\.[A-Za-z0-9]+$")) {
                out.add(p + ".js");
            }
        }
    }
}

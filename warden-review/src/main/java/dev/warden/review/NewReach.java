package dev.warden.review;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * New reach: what the code can now touch that the previous release's code never named: processes,
 * credential and wallet files, the environment as a whole, raw addresses, tunnels, paste sites,
 * webhooks, secret scanners, local AI agents told to skip their permission checks, CI workflows,
 * and npm publishing. A keyword the previous release's code already had is not new.
 */
final class NewReach implements Detector {

    private record Kind(String id, Severity severity, String what) {}

    private static final Map<Cue, Kind> KINDS = new LinkedHashMap<>();

    static {
        KINDS.put(
                Cue.CHILD_PROCESS,
                new Kind("child-process", Severity.MEDIUM, "starts processes (child_process)"));
        KINDS.put(
                Cue.CREDENTIAL_FILE,
                new Kind("credential-file-access", Severity.MEDIUM, "names credential files"));
        KINDS.put(
                Cue.BROWSER_STORE,
                new Kind(
                        "browser-store-access",
                        Severity.MEDIUM,
                        "names browser password or cookie stores"));
        KINDS.put(
                Cue.WALLET_STORE,
                new Kind(
                        "wallet-store-access",
                        Severity.HIGH,
                        "names cryptocurrency wallet stores"));
        KINDS.put(
                Cue.SHELL_RC,
                new Kind("shell-rc-access", Severity.MEDIUM, "names shell start-up files"));
        KINDS.put(
                Cue.ENV_DUMP,
                new Kind(
                        "environment-serialised",
                        Severity.MEDIUM,
                        "serialises the whole environment"));
        KINDS.put(
                Cue.RAW_IP_URL,
                new Kind("raw-ip-address", Severity.MEDIUM, "calls a raw IP address"));
        KINDS.put(
                Cue.TUNNEL, new Kind("tunnel-service", Severity.MEDIUM, "names a tunnel service"));
        KINDS.put(Cue.PASTE_SITE, new Kind("paste-site", Severity.MEDIUM, "names a paste site"));
        KINDS.put(
                Cue.CHAT_WEBHOOK,
                new Kind("chat-webhook", Severity.MEDIUM, "posts to a chat webhook or bot API"));
        KINDS.put(
                Cue.COLLECTOR,
                new Kind(
                        "exfiltration-endpoint",
                        Severity.HIGH,
                        "names a request-collecting service used for exfiltration"));
        KINDS.put(
                Cue.SECRET_SCANNER,
                new Kind("secret-scanner-run", Severity.HIGH, "runs a secret scanner"));
        KINDS.put(
                Cue.AI_UNSAFE_FLAG,
                new Kind(
                        "ai-agent-unsafe-flags",
                        Severity.MEDIUM,
                        "passes permission-skipping flags"));
        KINDS.put(
                Cue.WORKFLOW,
                new Kind("workflow-write", Severity.MEDIUM, "names GitHub Actions workflow files"));
        KINDS.put(
                Cue.NPM_PUBLISH,
                new Kind("npm-publish-from-code", Severity.MEDIUM, "publishes to npm"));
        KINDS.put(
                Cue.GITHUB_REPO,
                new Kind("github-repo-creation", Severity.MEDIUM, "creates GitHub repositories"));
        KINDS.put(
                Cue.GEOLOCATION,
                new Kind("geolocation-lookup", Severity.MEDIUM, "looks up where the machine is"));
        KINDS.put(
                Cue.WALLET_HOOK,
                new Kind("wallet-hook", Severity.MEDIUM, "hooks a browser crypto wallet"));
        KINDS.put(
                Cue.PERSISTENCE,
                new Kind(
                        "persistence",
                        Severity.HIGH,
                        "sets itself up to outlive the package (an SSH authorized key, a cron job,"
                                + " a service or an autostart entry)"));
        KINDS.put(
                Cue.MINER,
                new Kind("crypto-miner", Severity.HIGH, "names a cryptocurrency miner or pool"));
    }

    /** Keywords that only give context to others and are no finding of their own. */
    private static final Set<String> CONTEXT_ONLY =
            Set.of("geoip", "country_code", "'publish'", "\"publish\"");

    private static final Pattern RAW_IP =
            Pattern.compile("^://(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?![\\d.])");

    private static final Pattern BROWSER_CONTEXT =
            Pattern.compile(
                    "(?i)chrom|brave|edge|firefox|mozilla|opera|vivaldi|user"
                            + " data|profiles|appdata|library/application support");

    private static final Pattern AI_COMMAND =
            Pattern.compile("(?i)\\b(claude|gemini|codex|cursor-agent|copilot)\\b|[\"']q[\"']");

    @Override
    public String name() {
        return "new-reach";
    }

    @Override
    public void examine(Release r, List<Finding> out) {
        Map<String, List<Evidence>> evidence = new LinkedHashMap<>();
        Map<String, Severity> severity = new LinkedHashMap<>();
        Map<String, String> summary = new LinkedHashMap<>();
        for (String path : r.changedFiles()) {
            byte[] data = r.now.files().get(path);
            if (!Release.isCode(path, data)) {
                continue;
            }
            FileScan s = r.scan(path);
            if (s.binary()) {
                continue;
            }
            for (Map.Entry<Cue, Kind> e : KINDS.entrySet()) {
                Cue cue = e.getKey();
                Kind kind = e.getValue();
                for (FileScan.Hit hit : s.hits(cue)) {
                    String token = hit.token();
                    if (CONTEXT_ONLY.contains(token) || r.hadBefore(cue, token)) {
                        continue;
                    }
                    Severity sev = severityOf(cue, kind, s, data, hit);
                    if (sev == null) {
                        continue;
                    }
                    String id = kind.id();
                    List<Evidence> ev = evidence.computeIfAbsent(id, k -> new ArrayList<>());
                    if (ev.size() < MAX_EVIDENCE) {
                        ev.add(r.evidence(path, hit));
                    }
                    if (severity.get(id) == null || sev.compareTo(severity.get(id)) > 0) {
                        severity.put(id, sev);
                    }
                    summary.putIfAbsent(
                            id,
                            "New code "
                                    + kind.what()
                                    + " ("
                                    + Excerpts.escape(token, 40)
                                    + " in "
                                    + path
                                    + ")");
                }
            }
        }
        for (String id : evidence.keySet()) {
            out.add(
                    new Finding(
                            id,
                            severity.get(id),
                            summary.get(id) + ", which the previous release did not.",
                            evidence.get(id)));
        }
    }

    private static Severity severityOf(
            Cue cue, Kind kind, FileScan s, byte[] data, FileScan.Hit hit) {
        String around = window(data, hit.offset(), 200);
        switch (cue) {
            case RAW_IP_URL -> {
                Matcher m = RAW_IP.matcher(window(data, hit.offset(), 0).substring(0));
                if (!m.find() || !publicAddress(m)) {
                    return null;
                }
                return kind.severity();
            }
            case CREDENTIAL_FILE -> {
                // id_ed25519 inside INVALID_ED25519_PUBLIC_KEY is part of a constant's name.
                int at = hit.offset();
                if (at > 0 && identifierChar(data[at - 1]) && identifierChar(data[at])) {
                    return null;
                }
                return kind.severity();
            }
            case ENV_DUMP -> {
                // Object.keys(process.env).filter(k => /^debug_/i.test(k)): a few chosen
                // variables, not the whole environment.
                String after = window(data, hit.offset(), 0);
                int close = after.indexOf(')');
                return close >= 0 && after.startsWith(").filter(", close)
                        ? Severity.LOW
                        : kind.severity();
            }
            case BROWSER_STORE -> {
                return BROWSER_CONTEXT.matcher(around).find() ? Severity.HIGH : kind.severity();
            }
            case SHELL_RC -> {
                return s.has(Cue.FILE_WRITE) ? Severity.HIGH : kind.severity();
            }
            case AI_UNSAFE_FLAG -> {
                if (!AI_COMMAND.matcher(around).find()) {
                    return kind.severity();
                }
                return s.has(Cue.CHILD_PROCESS) || s.has(Cue.EXEC_CALL)
                        ? Severity.CRITICAL
                        : Severity.HIGH;
            }
            case WORKFLOW -> {
                return s.has(Cue.FILE_WRITE) && (s.has(Cue.GITHUB_REPO) || s.has(Cue.GITHUB_TOKEN))
                        ? Severity.HIGH
                        : kind.severity();
            }
            case NPM_PUBLISH -> {
                return s.has(Cue.NPM_TOKEN) ? Severity.HIGH : kind.severity();
            }
            case SECRET_SCANNER -> {
                return s.has(Cue.CHILD_PROCESS) || s.has(Cue.EXEC_CALL) || s.has(Cue.DOWNLOAD)
                        ? kind.severity()
                        : Severity.MEDIUM;
            }
            default -> {
                return kind.severity();
            }
        }
    }

    private static boolean identifierChar(byte b) {
        return (b >= 'a' && b <= 'z')
                || (b >= 'A' && b <= 'Z')
                || (b >= '0' && b <= '9')
                || b == '_'
                || b == '$';
    }

    /** Loopback, private, link-local and unspecified addresses are no one's server. */
    private static boolean publicAddress(Matcher m) {
        int[] o = new int[4];
        for (int i = 0; i < 4; i++) {
            o[i] = Integer.parseInt(m.group(i + 1));
            if (o[i] > 255) {
                return false;
            }
        }
        return !(o[0] == 0
                || o[0] == 10
                || o[0] == 127
                || (o[0] == 169 && o[1] == 254)
                || (o[0] == 172 && o[1] >= 16 && o[1] <= 31)
                || (o[0] == 192 && o[1] == 168)
                || o[0] >= 224);
    }

    /** The bytes from {@code before} ahead of {@code offset} to 200 after it, as Latin-1. */
    static String window(byte[] data, int offset, int before) {
        int from = Math.max(0, offset - before);
        int to = Math.min(data.length, offset + 200);
        return new String(data, from, to - from, StandardCharsets.ISO_8859_1);
    }
}

package dev.warden.review;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Install-time code: the lifecycle scripts npm runs on {@code npm install} (and {@code prepare},
 * which runs for git and local installs), an added {@code binding.gyp} (npm runs node-gyp for it),
 * and install code that fetches something and runs it. A script unchanged since the previous
 * release is not a finding: a native module's long-standing {@code node-gyp rebuild} is normal.
 */
final class InstallScripts implements Detector {

    static final List<String> INSTALL = List.of("preinstall", "install", "postinstall");

    /** A fetch in a shell line: a downloader, or node/powershell given code inline. */
    static final Pattern FETCH =
            Pattern.compile(
                    "(?i)\\b(curl|wget|iwr|invoke-webrequest|invoke-restmethod|certutil|bitsadmin"
                            + "|downloadfile|downloadstring|start-bitstransfer)\\b");

    /** Running what was fetched: a pipe into an interpreter, chmod, ./x, start, iex, an .exe. */
    static final Pattern RUN =
            Pattern.compile(
                    "(?i)(\\|\\s*(sudo\\s+)?(ba|z|da)?sh\\b|\\|\\s*(node|python3?|perl|ruby|iex)\\b"
                        + "|chmod\\s+(\\+x|[0-7]{3})|(^|[\\s;&|])\\./[\\w.-]+|\\bstart\\s+(/b\\s+)?\\S"
                        + "|invoke-expression|\\biex\\b|\\.exe\\b|\\bsh\\s+-c\\b|execsync|execfile"
                        + "|spawn)");

    /** Inline code on a script line: it reads as a command but is a program. */
    static final Pattern INLINE =
            Pattern.compile(
                    "(?i)(\\bnode\\s+(-e|--eval|-p|--print)\\b|\\bpowershell\\b|\\bpwsh\\b"
                            + "|\\|\\s*(ba|z)?sh\\b|\\bpython3?\\s+-c\\b|base64\\s+(-d|--decode))");

    /** Making a fetched file runnable, or handing it to a shell. */
    private static final Pattern EXECUTABLE =
            Pattern.compile(
                    "(?i)chmod\\s+(\\+x|[0-7]*[157][0-7]*)|\\.exe\\b|\\|\\s*(sudo\\s+)?(ba|z)?sh\\b");

    /** A local file a script runs: {@code node x.js}, {@code sh ./x.sh}, {@code ./x}. */
    private static final Pattern RUNS_FILE =
            Pattern.compile(
                    "(?:\\b(?:node|sh|bash|zsh|python3?|perl|ruby|source|bun|deno\\s+run)\\s+"
                        + "(?:-[\\w-]+\\s+)*|(?:^|[\\s;&|(])(?=\\./))[\"']?(\\.?/?[\\w@][\\w./@-]*)");

    /** What an install file loads or starts: a local module, or a script named in a string. */
    private static final Pattern REQUIRES_LOCAL =
            Pattern.compile(
                    "(?:require\\(|import\\(|from\\s)\\s*[\"'](\\./[\\w./@-]+)[\"']"
                            + "|[\"'`\\s]((?:\\./)?[\\w./-]+\\.(?:sh|bat|cmd|ps1|js|cjs|mjs))\\b");

    /** {@code node -e "try{require('./x')}catch(e){}"}: inline code that only loads local files. */
    private static final Pattern NODE_E =
            Pattern.compile("\\bnode\\s+(?:-e|--eval)\\s+([\"'])(.*?)\\1");

    private static final Pattern LOCAL_REQUIRES =
            Pattern.compile(
                    "\\s*(?:try\\s*\\{)?\\s*(?:require\\(\\s*['\"](\\.{1,2}/[\\w./@-]+)['\"]\\s*\\)\\s*;?\\s*)+"
                        + "(?:\\}\\s*catch\\s*(?:\\(\\s*\\w*\\s*\\))?\\s*\\{\\s*\\}\\s*)?");

    private static final Pattern REQUIRED =
            Pattern.compile("require\\(\\s*['\"](\\.{1,2}/[\\w./@-]+)['\"]");

    /** A gyp command expansion: node-gyp runs it when the package is installed. */
    private static final Pattern GYP_COMMAND = Pattern.compile("<!@?\\(");

    @Override
    public String name() {
        return "install-scripts";
    }

    @Override
    public void examine(Release r, List<Finding> out) {
        JsonNode scripts = Release.scripts(r.subject.manifest());
        JsonNode old = Release.scripts(r.previousManifest());
        List<String> names = new ArrayList<>(INSTALL);
        names.add("prepare");
        for (String name : names) {
            String now = text(scripts, name);
            if (now == null) {
                continue;
            }
            String was = text(old, name);
            if (now.equals(was)) {
                continue;
            }
            boolean prepare = name.equals("prepare");
            Evidence e = scriptEvidence(r, name, now);
            if (fetchesAndRuns(now) || (INLINE.matcher(now).find() && !onlyRequiresLocal(now))) {
                out.add(
                        new Finding(
                                "install-script-fetches-and-runs",
                                Severity.HIGH,
                                "The "
                                        + name
                                        + " script runs code it fetches or carries inline: "
                                        + Excerpts.escape(now, 80),
                                List.of(e)));
            }
            String id;
            Severity severity;
            if (was != null) {
                id = "install-script-changed";
                severity = prepare ? Severity.LOW : Severity.MEDIUM;
            } else if (r.hasPrevious()) {
                id = "install-script-added";
                severity = prepare ? Severity.LOW : Severity.MEDIUM;
            } else {
                id = "install-script";
                severity = prepare ? Severity.INFO : Severity.LOW;
            }
            out.add(
                    new Finding(
                            id,
                            severity,
                            (was != null
                                            ? "The "
                                                    + name
                                                    + " script changed from "
                                                    + quote(was)
                                                    + " to "
                                            : "A " + name + " script runs at install: ")
                                    + quote(now),
                            List.of(e)));
        }
        byte[] gyp = r.now.files().get("binding.gyp");
        if (gyp != null && r.changed("binding.gyp")) {
            boolean implicit = noInstallScript(scripts);
            if (r.hasPrevious() && !r.before.has("binding.gyp")) {
                out.add(
                        new Finding(
                                "binding-gyp-added",
                                implicit ? Severity.MEDIUM : Severity.LOW,
                                "binding.gyp was added: node-gyp builds and runs its commands when"
                                        + " the package is installed",
                                List.of(Evidence.of("binding.gyp"))));
            }
            String text = new String(gyp, StandardCharsets.UTF_8);
            Matcher m = GYP_COMMAND.matcher(text);
            if (m.find() && fetchesAndRuns(text)) {
                out.add(
                        new Finding(
                                "install-script-fetches-and-runs",
                                Severity.HIGH,
                                "binding.gyp runs a command that fetches and runs code when the"
                                        + " package is built at install",
                                List.of(
                                        r.evidence(
                                                "binding.gyp",
                                                lineOf(gyp, m.start()),
                                                m.start(),
                                                3))));
            }
        }
        for (String path : r.installFiles) {
            if (!r.changed(path)) {
                continue;
            }
            byte[] data = r.now.files().get(path);
            FileScan s = r.scan(path);
            if (s.binary()) {
                continue;
            }
            String text =
                    new String(
                            data, 0, Math.min(data.length, 1 << 20), StandardCharsets.ISO_8859_1);
            boolean shellFetch = fetchesAndRuns(text);
            boolean jsFetch =
                    s.has(Cue.DOWNLOAD)
                            && (s.has(Cue.CHILD_PROCESS) || s.has(Cue.EXEC_CALL))
                            && (s.has(Cue.FILE_WRITE) || RUN.matcher(text).find());
            if ((shellFetch || jsFetch) && !fetchedBefore(r, path, data, shellFetch, jsFetch)) {
                List<FileScan.Hit> hits = s.hits(Cue.DOWNLOAD);
                Evidence e = hits.isEmpty() ? Evidence.of(path) : r.evidence(path, hits.get(0));
                boolean executable = s.has(Cue.MINER) || EXECUTABLE.matcher(text).find();
                out.add(
                        new Finding(
                                executable
                                        ? "install-downloads-executable"
                                        : "install-script-fetches-and-runs",
                                executable ? Severity.CRITICAL : Severity.HIGH,
                                path
                                        + ", run at install, downloads "
                                        + (executable
                                                ? "an executable and runs it"
                                                : "something and runs it"),
                                List.of(e)));
            }
        }
    }

    /**
     * Whether every inline program of the script only requires local files (which are then judged
     * as files run at install), and nothing else is inline.
     */
    static boolean onlyRequiresLocal(String script) {
        Matcher m = NODE_E.matcher(script);
        boolean any = false;
        while (m.find()) {
            if (!LOCAL_REQUIRES.matcher(m.group(2)).matches()) {
                return false;
            }
            any = true;
        }
        String rest = NODE_E.matcher(script).replaceAll("node");
        return any && !INLINE.matcher(rest).find();
    }

    static boolean fetchesAndRuns(String text) {
        return FETCH.matcher(text).find() && RUN.matcher(text).find();
    }

    /**
     * The previous release's file at this path fetched and ran something the same way, and this one
     * names no host it did not (esbuild's long-standing install.js fallback): not new.
     */
    private static boolean fetchedBefore(
            Release r, String path, byte[] data, boolean shellFetch, boolean jsFetch) {
        FileScan s = r.scanBefore(path);
        byte[] old = s == null ? null : r.before.bytes(path);
        if (old == null || s == null || s.binary()) {
            return false;
        }
        String text =
                new String(old, 0, Math.min(old.length, 1 << 20), StandardCharsets.ISO_8859_1);
        boolean oldShell = fetchesAndRuns(text);
        boolean oldJs =
                s.has(Cue.DOWNLOAD)
                        && (s.has(Cue.CHILD_PROCESS) || s.has(Cue.EXEC_CALL))
                        && (s.has(Cue.FILE_WRITE) || RUN.matcher(text).find());
        return (!shellFetch || oldShell)
                && (!jsFetch || oldJs)
                && SecretsSent.newHosts(data, old).isEmpty();
    }

    private static boolean noInstallScript(JsonNode scripts) {
        return text(scripts, "install") == null && text(scripts, "preinstall") == null;
    }

    /**
     * The files the install scripts run, and the local files those require (one level): what runs
     * on every machine that installs the package.
     */
    static Set<String> filesRunAtInstall(JsonNode scripts, Unpacked files) {
        Set<String> run = new LinkedHashSet<>();
        for (String name : INSTALL) {
            String s = text(scripts, name);
            if (s == null) {
                continue;
            }
            Matcher m = RUNS_FILE.matcher(s);
            while (m.find()) {
                String f = resolve("", m.group(1), files);
                if (f != null) {
                    run.add(f);
                }
            }
            Matcher inline = NODE_E.matcher(s);
            while (inline.find()) {
                Matcher req = REQUIRED.matcher(inline.group(2));
                while (req.find()) {
                    String f = resolve("", req.group(1), files);
                    if (f != null) {
                        run.add(f);
                    }
                }
            }
        }
        if (files.files().containsKey("binding.gyp") && noInstallScript(scripts)) {
            run.add("binding.gyp");
        }
        for (String f : List.copyOf(run)) {
            byte[] data = files.files().get(f);
            String text =
                    new String(
                            data, 0, Math.min(data.length, 1 << 20), StandardCharsets.ISO_8859_1);
            Matcher m = REQUIRES_LOCAL.matcher(text);
            String dir = f.contains("/") ? f.substring(0, f.lastIndexOf('/') + 1) : "";
            int n = 0;
            while (m.find() && n++ < 20) {
                String g = resolve(dir, m.group(1) != null ? m.group(1) : m.group(2), files);
                if (g != null) {
                    run.add(g);
                }
            }
        }
        return run;
    }

    private static String resolve(String dir, String ref, Unpacked files) {
        String p = dir + ref;
        List<String> parts = new ArrayList<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(seg);
        }
        String base = String.join("/", parts);
        for (String candidate :
                List.of(base, base + ".js", base + ".cjs", base + ".mjs", base + "/index.js")) {
            if (files.files().containsKey(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static String text(JsonNode scripts, String name) {
        JsonNode n = scripts == null ? null : scripts.get(name);
        return n != null && n.isTextual() ? n.asText() : null;
    }

    private static String quote(String s) {
        return "\"" + Excerpts.escape(s, 60) + "\"";
    }

    private static Evidence scriptEvidence(Release r, String name, String script) {
        byte[] pj = r.now.files().get("package.json");
        if (pj != null) {
            byte[] key = ("\"" + name + "\"").getBytes(StandardCharsets.UTF_8);
            int at = indexOf(pj, key);
            if (at >= 0) {
                return new Evidence(
                        "package.json",
                        lineOf(pj, at),
                        at,
                        key.length,
                        Excerpts.around(pj, at, key.length));
            }
        }
        return new Evidence(
                "package.json",
                0,
                -1,
                0,
                Excerpts.escape(name + ": " + script, Evidence.MAX_EXCERPT));
    }

    static int indexOf(byte[] data, byte[] key) {
        outer:
        for (int i = 0; i + key.length <= data.length; i++) {
            for (int j = 0; j < key.length; j++) {
                if (data[i + j] != key[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static int lineOf(byte[] data, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < data.length; i++) {
            if (data[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}

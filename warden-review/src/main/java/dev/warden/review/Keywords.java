package dev.warden.review;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The keywords the scanner looks for in one pass, each with its {@link Cue}. Matching is
 * case-insensitive; a keyword is a fixed string, and detectors confirm a match with a pattern on
 * the few bytes around it only when it matters (a URL's host, a tool's flags).
 */
final class Keywords {

    record Keyword(Cue cue, String token, byte[] bytes) {}

    static final List<Keyword> ALL = new ArrayList<>();

    static {
        add(Cue.CHILD_PROCESS, "child_process", "node:child_process");
        add(
                Cue.EXEC_CALL,
                "exec(",
                "execsync(",
                "spawn(",
                "spawnsync(",
                "execfile(",
                "execfilesync(",
                "fork(",
                "bun.spawn",
                "deno.command");
        add(
                Cue.CREDENTIAL_FILE,
                ".npmrc",
                ".ssh/",
                "'.ssh'",
                "\".ssh\"",
                "id_rsa",
                "id_ed25519",
                ".aws/credentials",
                "'.aws'",
                "\".aws\"",
                ".config/gcloud",
                "application_default_credentials",
                ".azure/",
                "'.azure'",
                "\".azure\"",
                ".kube/config",
                "'.kube'",
                "\".kube\"",
                ".docker/config.json",
                ".git-credentials",
                ".netrc");
        add(
                Cue.BROWSER_STORE,
                "login data",
                "logins.json",
                "key4.db",
                "local state",
                "cookies.sqlite");
        add(
                Cue.WALLET_STORE,
                "nkbihfbeogaeaoehlefnkodbefgpgknn",
                "exodus.wallet",
                "exodus/exodus",
                "electrum/wallets",
                "wallet.dat",
                ".ethereum/keystore",
                "solana/id.json",
                "atomic/local storage",
                "bfnaelmomeimhlpmgjnjophhpkkoljpa",
                "ibnejdfjmmkpcnlpebklmnkoeoihofec");
        add(
                Cue.SHELL_RC,
                ".bashrc",
                ".zshrc",
                ".bash_profile",
                "/.profile",
                "'.profile'",
                "\".profile\"");
        add(
                Cue.ENV_DUMP,
                "stringify(process.env",
                "entries(process.env",
                "keys(process.env",
                "values(process.env",
                "...process.env}",
                "stringify(process[\"env\"]",
                "stringify(process['env']");
        // A URL whose host starts with a digit: confirmed as a raw IP address around the match.
        add(
                Cue.RAW_IP_URL,
                "://0",
                "://1",
                "://2",
                "://3",
                "://4",
                "://5",
                "://6",
                "://7",
                "://8",
                "://9");
        add(
                Cue.TUNNEL,
                "ngrok.io",
                "ngrok.app",
                "ngrok-free.app",
                "serveo.net",
                "loca.lt",
                "localtunnel.me",
                "trycloudflare.com",
                "localhost.run");
        add(
                Cue.PASTE_SITE,
                "pastebin.com",
                "hastebin.com",
                "paste.ee",
                "ghostbin.",
                "termbin.com",
                "rentry.co",
                "dpaste.");
        add(
                Cue.CHAT_WEBHOOK,
                "discord.com/api/webhooks",
                "discordapp.com/api/webhooks",
                "hooks.slack.com",
                "api.telegram.org/bot");
        add(
                Cue.COLLECTOR,
                "webhook.site",
                "requestbin",
                "pipedream.net",
                "interact.sh",
                "interactsh",
                "burpcollaborator",
                "oastify.com",
                ".oast.",
                "canarytokens",
                "beeceptor.com");
        add(Cue.SECRET_SCANNER, "trufflehog", "gitleaks", "detect-secrets");
        add(
                Cue.AI_TOOL,
                "claude",
                "gemini",
                "cursor-agent",
                "codex",
                "copilot",
                "'q'",
                "\"q\"",
                "q chat");
        add(
                Cue.AI_UNSAFE_FLAG,
                "--dangerously-skip-permissions",
                "--yolo",
                "--trust-all-tools",
                "--allow-all-tools",
                "--dangerously-bypass-approvals-and-sandbox",
                "--approval-mode=yolo",
                "--force --print");
        add(Cue.WORKFLOW, ".github/workflows");
        add(Cue.NPM_PUBLISH, "npm publish", "'publish'", "\"publish\"", "pnpm publish");
        add(
                Cue.NPM_TOKEN,
                "npm_token",
                "_authtoken",
                "/-/whoami",
                "/-/npm/v1/tokens",
                "npm token",
                "npm whoami");
        add(
                Cue.GITHUB_REPO,
                "api.github.com/user/repos",
                "/user/repos",
                "repos.createforauthenticateduser",
                "gh repo create");
        add(Cue.GITHUB_TOKEN, "github_token", "gh auth token", "ghp_", "gho_");
        add(
                Cue.GEOLOCATION,
                "ipgeolocation",
                "ip-api.com",
                "ipinfo.io",
                "ipapi.co",
                "geoip",
                "country_code");
        add(
                Cue.WALLET_HOOK,
                "window.ethereum",
                "eth_sendtransaction",
                "ethereum.request",
                "solana.signtransaction",
                "phantom.solana");
        add(
                Cue.MINER,
                "stratum+tcp",
                "stratum+ssl",
                "xmrig",
                "minexmr",
                "nicehash",
                "cryptonight",
                "--donate-level");
        add(
                Cue.DOWNLOAD,
                "curl ",
                "wget ",
                "invoke-webrequest",
                "iwr ",
                "downloadfile(",
                "downloadstring(",
                "certutil",
                "bitsadmin",
                "https.get(",
                "http.get(",
                "https.request(",
                "http.request(",
                "fetch(",
                "axios",
                "net.connect(",
                "net.socket(");
        add(Cue.FILE_WRITE, "writefile", "appendfile", "createwritestream", "chmod", "renamesync(");
        add(
                Cue.EVAL_SINK,
                "eval(",
                "new function(",
                "function(\"return",
                "vm.runin",
                "runinthiscontext",
                "runinnewcontext",
                "_compile(",
                "module.constructor",
                "import(\"data:",
                "import('data:");
        add(
                Cue.DECODER,
                "atob(",
                "'base64'",
                "\"base64\"",
                "fromcharcode",
                "'hex'",
                "\"hex\"",
                "createdecipher",
                "decodeuricomponent(escape",
                "zlib.inflate",
                "zlib.gunzip");
        add(Cue.OBFUSCATED_NAME, "_0x");
        // javascript-obfuscator writes the rotation's names as escapes when asked to
        // (unicodeEscapeSequence): the same rotation, spelled in hex.
        add(
                Cue.ARRAY_ROTATION,
                "['push'](",
                "[\"push\"](",
                "['shift']()",
                "[\"shift\"]()",
                "['\\x70\\x75\\x73\\x68'](",
                "['\\x73\\x68\\x69\\x66\\x74']()");
        // Ways to come back after the package is gone: a key that lets someone log in, a scheduled
        // job, a service or an autostart entry.
        add(
                Cue.PERSISTENCE,
                "authorized_keys",
                "crontab -",
                "/etc/cron.",
                "/etc/systemd/system",
                "/library/launchagents",
                "/library/launchdaemons",
                ".config/autostart",
                "currentversion\\\\run",
                "currentversion\\run");
        addBytes(
                Cue.BIDI,
                utf8(0x202A),
                utf8(0x202B),
                utf8(0x202C),
                utf8(0x202D),
                utf8(0x202E),
                utf8(0x2066),
                utf8(0x2067),
                utf8(0x2068),
                utf8(0x2069));
        addBytes(Cue.ZERO_WIDTH, utf8(0x200B), utf8(0x200C), utf8(0x200D), utf8(0x2060));
        addBytes(Cue.BOM, utf8(0xFEFF));
        // Variation selectors other than the emoji ones (FE0E, FE0F), and the supplementary
        // selectors and tag characters (E0000-E01EF): runs of them carry hidden data.
        List<byte[]> payload = new ArrayList<>();
        for (int c = 0xFE00; c <= 0xFE0D; c++) {
            payload.add(utf8(c));
        }
        payload.add(new byte[] {(byte) 0xF3, (byte) 0xA0, (byte) 0x80});
        payload.add(new byte[] {(byte) 0xF3, (byte) 0xA0, (byte) 0x81});
        payload.add(new byte[] {(byte) 0xF3, (byte) 0xA0, (byte) 0x84});
        payload.add(new byte[] {(byte) 0xF3, (byte) 0xA0, (byte) 0x85});
        payload.add(new byte[] {(byte) 0xF3, (byte) 0xA0, (byte) 0x86});
        payload.add(new byte[] {(byte) 0xF3, (byte) 0xA0, (byte) 0x87});
        addBytes(Cue.INVISIBLE_PAYLOAD, payload.toArray(new byte[0][]));
        // Characters that render as nothing yet are letters to a JavaScript parser: an identifier
        // made of them is invisible in review (the Hangul fillers, the braille blank, Khmer
        // vowels).
        addBytes(
                Cue.INVISIBLE_IDENTIFIER,
                utf8(0x115F),
                utf8(0x1160),
                utf8(0x3164),
                utf8(0xFFA0),
                utf8(0x2800),
                utf8(0x180E),
                utf8(0x17B4),
                utf8(0x17B5));
        // What identifies the machine and its user: a dependency-confusion probe reports these.
        add(
                Cue.FINGERPRINT,
                "hostname()",
                "userinfo()",
                "networkinterfaces()",
                "homedir()",
                "process.env.user",
                "process.env.logname",
                "process.env.computername");
        add(
                Cue.DNS,
                "dns.lookup(",
                "dns.resolve",
                "require('dns')",
                "require(\"dns\")",
                "node:dns",
                "resolvetxt(");
        add(
                Cue.KEY_MATERIAL,
                "secretkey",
                "privatekey",
                "private_key",
                "secret_key",
                "mnemonic",
                "seedphrase",
                "seed_phrase");
        add(
                Cue.ENDLESS_LOOP,
                "for(;;",
                "for (;;",
                "while(true)",
                "while (true)",
                "while(1)",
                "while (1)",
                "while(!0)",
                "<infinity",
                "< infinity");
    }

    static final Automaton AUTOMATON;

    /** The keyword indexes of each cue. */
    static final Map<Cue, int[]> BY_CUE = new EnumMap<>(Cue.class);

    static {
        List<byte[]> bytes = new ArrayList<>();
        for (Keyword k : ALL) {
            bytes.add(k.bytes());
        }
        AUTOMATON = new Automaton(bytes);
        for (Cue c : Cue.values()) {
            BY_CUE.put(
                    c,
                    java.util.stream.IntStream.range(0, ALL.size())
                            .filter(i -> ALL.get(i).cue() == c)
                            .toArray());
        }
    }

    private Keywords() {}

    private static void add(Cue cue, String... tokens) {
        for (String t : tokens) {
            ALL.add(new Keyword(cue, t, t.getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static void addBytes(Cue cue, byte[]... tokens) {
        for (byte[] t : tokens) {
            ALL.add(new Keyword(cue, hexName(t), t));
        }
    }

    private static String hexName(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        if (s.codePointCount(0, s.length()) == 1) {
            return String.format("U+%04X", s.codePointAt(0));
        }
        StringBuilder h = new StringBuilder();
        for (byte x : b) {
            h.append(String.format("%02X", x & 0xFF));
        }
        return h.toString();
    }

    private static byte[] utf8(int codePoint) {
        return new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
    }
}

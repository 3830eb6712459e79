package dev.warden.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What one {@code warden verify --json} run gave, and the reading of its report. */
record Verified(int exit, String out, String err, JsonNode report) {

    List<String> specs() {
        List<String> out = new ArrayList<>();
        report.path("packages").forEach(p -> out.add(spec(p)));
        return out;
    }

    /** The packages whose status is FAIL, as name@version. */
    List<String> failing() {
        List<String> out = new ArrayList<>();
        report.path("packages")
                .forEach(
                        p -> {
                            if (p.path("status").asText().equalsIgnoreCase("FAIL")) {
                                out.add(spec(p));
                            }
                        });
        return out;
    }

    /** Every FAIL finding, one line each (for assertion messages). */
    String failures() {
        StringBuilder b = new StringBuilder();
        report.path("packages")
                .forEach(
                        p ->
                                p.path("findings")
                                        .forEach(
                                                f -> {
                                                    if (f.path("status")
                                                            .asText()
                                                            .equalsIgnoreCase("FAIL")) {
                                                        b.append(spec(p))
                                                                .append(' ')
                                                                .append(f.path("check").asText())
                                                                .append(": ")
                                                                .append(f.path("message").asText())
                                                                .append('\n');
                                                    }
                                                }));
        return b.toString();
    }

    String packageStatus(String spec) {
        return pkg(spec).path("status").asText().toUpperCase(java.util.Locale.ROOT);
    }

    /** The status of {@code check} for {@code spec}: its worst finding's. */
    String status(String spec, String check) {
        String worst = null;
        for (JsonNode f : pkg(spec).path("findings")) {
            if (f.path("check").asText().equals(check)) {
                String s = f.path("status").asText().toUpperCase(java.util.Locale.ROOT);
                if (worst == null || s.equals("FAIL")) {
                    worst = s;
                }
            }
        }
        assertThat(worst)
                .as("a finding of " + check + " for " + spec + " in " + pkg(spec))
                .isNotNull();
        return worst;
    }

    /** The message of the FAIL finding of {@code check} for {@code spec}. */
    String message(String spec, String check) {
        for (JsonNode f : pkg(spec).path("findings")) {
            if (f.path("check").asText().equals(check)
                    && f.path("status").asText().equalsIgnoreCase("FAIL")) {
                return f.path("message").asText();
            }
        }
        throw new AssertionError("no FAIL of " + check + " for " + spec + " in " + pkg(spec));
    }

    JsonNode pkg(String spec) {
        for (JsonNode p : report.path("packages")) {
            if (spec(p).equals(spec)) {
                return p;
            }
        }
        throw new AssertionError("no " + spec + " in the report: " + specs());
    }

    private static String spec(JsonNode p) {
        return p.path("name").asText() + "@" + p.path("version").asText();
    }

    /**
     * Runs {@code warden verify --json --no-progress} (warden.jar, as a user would) in {@code cwd}.
     */
    static Verified run(Path cwd, Path target, Path cache, String... more) throws Exception {
        List<String> args =
                new ArrayList<>(
                        List.of(
                                "verify",
                                target.toString(),
                                "--json",
                                "--no-progress",
                                "--cache",
                                cache.toString()));
        args.addAll(List.of(more));
        Clients.Run r = TransparencyLogTest.java(cwd, args.toArray(String[]::new));
        JsonNode report =
                r.exit() == 2 || r.out().isBlank()
                        ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
                        : dev.warden.server.testing.TestServer.parse(r.out());
        return new Verified(r.exit(), r.out(), r.err(), report);
    }
}

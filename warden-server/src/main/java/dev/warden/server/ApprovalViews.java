package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;

import dev.warden.web.Highlight;
import dev.warden.web.ReleaseDiff;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What the approvals pages show ({@code approvals*.jte}, {@code diff.jte}): plain values gathered
 * by {@link ApprovalPages}, rendered and escaped by the templates alone.
 */
final class ApprovalViews {

    private ApprovalViews() {}

    /**
     * A maintainer's queue.
     *
     * @param truncated whether there were more stages than the page lists
     */
    record Queue(List<PackageQueue> packages, boolean truncated) {}

    /**
     * @param path the package's name as one path segment
     */
    record PackageQueue(
            String name, String path, List<QueuedStage> stages, List<QueuedRequest> requests) {}

    /**
     * @param coolOff when it may go live after its approvals, in words
     * @param reviewAction what the release review decided, or null when not reviewed
     */
    record QueuedStage(
            String id,
            String version,
            String actor,
            String state,
            int approvals,
            int approvalsRequired,
            String coolOff,
            String reviewAction,
            int findings) {}

    record QueuedRequest(
            String id,
            String change,
            String requestedBy,
            int approvals,
            int approvalsRequired,
            String expires) {}

    /**
     * One stage with its review material.
     *
     * @param open whether it waits for a decision (the form is shown)
     * @param done the decision just made ("approve", "reject"), or null
     * @param review the review material's fields (empty for a closed stage: compared with itself)
     * @param diff the diff, or null for a closed stage
     */
    record StagePage(
            String id,
            String name,
            String path,
            String version,
            String tag,
            String state,
            String actor,
            String created,
            String expires,
            int approvals,
            int approvalsRequired,
            List<String> approvedBy,
            String coolOff,
            String heldBecause,
            String integrity,
            String reviewAction,
            List<Views.Finding> findings,
            List<Views.ReviewField> review,
            Diff diff,
            boolean open,
            String done,
            String csrf) {}

    /**
     * One change request.
     *
     * @param payload the requested change as indented JSON
     */
    record RequestPage(
            String id,
            String name,
            String path,
            String change,
            String payload,
            String state,
            String requestedBy,
            String created,
            String expires,
            int approvals,
            int approvalsRequired,
            List<String> approvedBy,
            boolean open,
            String done,
            String csrf) {}

    /**
     * A release's diff against the one it follows, as the page shows it.
     *
     * @param baseline the version compared with, or null for a first release
     * @param note why the diff is missing or partial, or null
     */
    record Diff(
            String baseline,
            List<File> files,
            int added,
            int removed,
            int changed,
            int unchanged,
            boolean truncated,
            String note) {

        /** A diff that could not be made, saying why. */
        static Diff missing(String baseline, String note) {
            return new Diff(baseline, List.of(), 0, 0, 0, 0, false, note);
        }

        static Diff of(ReleaseDiff d, String baseline, String note) {
            List<File> files = new ArrayList<>();
            int[] counts = new int[ReleaseDiff.Kind.values().length];
            for (ReleaseDiff.FileChange f : d.files()) {
                counts[f.kind().ordinal()]++;
                files.add(File.of(files.size(), f));
            }
            return new Diff(
                    baseline,
                    files,
                    counts[ReleaseDiff.Kind.ADDED.ordinal()],
                    counts[ReleaseDiff.Kind.REMOVED.ordinal()],
                    counts[ReleaseDiff.Kind.CHANGED.ordinal()],
                    counts[ReleaseDiff.Kind.UNCHANGED.ordinal()],
                    d.truncated(),
                    note);
        }
    }

    /**
     * One file of the diff.
     *
     * @param anchor its element id on the page (paths may hold any character: never used as ids)
     * @param kind "added", "removed", "changed" or "unchanged"
     * @param sizes its size on each side, in words
     * @param withoutLines why its lines are not shown (binary, too large), or null
     */
    record File(
            String anchor,
            String path,
            String kind,
            String sizes,
            String withoutLines,
            List<Hunk> hunks) {

        static File of(int index, ReleaseDiff.FileChange f) {
            String sizes =
                    switch (f.kind()) {
                        case ADDED -> bytes(f.sizeAfter());
                        case REMOVED -> bytes(f.sizeBefore());
                        case CHANGED -> bytes(f.sizeBefore()) + " -> " + bytes(f.sizeAfter());
                        case UNCHANGED -> bytes(f.sizeAfter());
                    };
            String without =
                    f.binary()
                            ? "binary file: no lines shown"
                            : f.tooLarge() ? "too large to show its lines" : null;
            List<Hunk> hunks = new ArrayList<>();
            if (without == null) {
                f.hunks().forEach(h -> hunks.add(Hunk.of(h)));
            }
            return new File(
                    "file-" + index,
                    f.path(),
                    f.kind().name().toLowerCase(Locale.ROOT),
                    sizes,
                    without,
                    hunks);
        }
    }

    /**
     * @param header the hunk's range, as {@code @@ -old,count +new,count @@}
     */
    record Hunk(String header, List<Row> rows) {

        static Hunk of(ReleaseDiff.Hunk h) {
            List<Row> rows = new ArrayList<>();
            for (ReleaseDiff.Line l : h.lines()) {
                rows.add(Row.of(l));
            }
            return new Hunk(
                    "@@ -"
                            + h.oldStart()
                            + ","
                            + h.oldLines()
                            + " +"
                            + h.newStart()
                            + ","
                            + h.newLines()
                            + " @@",
                    rows);
        }
    }

    /**
     * One line: marked by its sign as well as its colour.
     *
     * @param kind "add", "del" or "ctx" (its CSS class)
     * @param oldNumber its number in the older file, or "" for an added line
     */
    record Row(
            String kind,
            String sign,
            String oldNumber,
            String newNumber,
            List<Highlight.Token> tokens) {

        static Row of(ReleaseDiff.Line l) {
            return new Row(
                    switch (l.kind()) {
                        case ADDED -> "add";
                        case REMOVED -> "del";
                        case CONTEXT -> "ctx";
                    },
                    switch (l.kind()) {
                        case ADDED -> "+";
                        case REMOVED -> "-";
                        case CONTEXT -> " ";
                    },
                    l.oldNumber() == 0 ? "" : Integer.toString(l.oldNumber()),
                    l.newNumber() == 0 ? "" : Integer.toString(l.newNumber()),
                    l.tokens());
        }
    }

    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        if (n < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", n / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", n / (1024.0 * 1024));
    }

    /** The release review's findings with their evidence, as the stage page shows them. */
    static List<Views.Finding> findings(JsonNode review) {
        List<Views.Finding> out = new ArrayList<>();
        if (review == null) {
            return out;
        }
        for (JsonNode f : review.path("findings")) {
            List<Views.Evidence> evidence = new ArrayList<>();
            for (JsonNode e : f.path("evidence")) {
                String where = e.path("file").asText("(the release)");
                if (e.has("line")) {
                    where += ":" + e.path("line").asInt();
                }
                if (e.has("offset")) {
                    where +=
                            " [bytes "
                                    + e.path("offset").asLong()
                                    + "+"
                                    + e.path("length").asInt()
                                    + "]";
                }
                evidence.add(new Views.Evidence(where, e.path("excerpt").asText("")));
            }
            out.add(
                    new Views.Finding(
                            f.path("id").asText(),
                            f.path("severity").asText(),
                            f.path("action").asText(),
                            f.path("summary").asText(),
                            evidence));
        }
        return out;
    }

    static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}

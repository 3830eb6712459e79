package dev.warden.web;

import com.github.difflib.DiffUtils;
import com.github.difflib.algorithm.DiffAlgorithmListener;
import com.github.difflib.algorithm.myers.MeyersDiff;
import com.github.difflib.patch.AbstractDelta;

import dev.warden.web.Highlight.Token;
import dev.warden.web.ReleaseDiff.Hunk;
import dev.warden.web.ReleaseDiff.Line;
import dev.warden.web.ReleaseDiff.LineKind;

import java.util.ArrayList;
import java.util.List;

/**
 * Hunks of a unified diff (3 lines of context, neighbours closer than twice that joined) from two
 * texts, their lines highlighted, within a budget of lines shared by a whole release diff.
 *
 * <p>Myers' algorithm costs time and memory in the square of the number of edits, so it runs on the
 * texts without their common start and end and gives up past {@link #MAX_EDITS}: the differing
 * middle is then shown as removed and added whole, which is true if not minimal.
 */
final class Hunks {

    static final int CONTEXT = 3;
    static final int MAX_EDITS = 2_000;

    private int budget;
    private boolean truncated;

    Hunks(int budget) {
        this.budget = budget;
    }

    boolean truncated() {
        return truncated;
    }

    boolean exhausted() {
        return budget <= 0;
    }

    /** Records that a file's lines were left out for want of budget. */
    void cut() {
        truncated = true;
    }

    /** An edit: old lines [oldFrom, oldTo) became new lines [newFrom, newTo), 0-based. */
    private record Edit(int oldFrom, int oldTo, int newFrom, int newTo) {}

    List<Hunk> between(String language, String before, String after) {
        List<String> old = Highlight.split(before);
        List<String> neu = Highlight.split(after);
        List<Edit> edits = edits(old, neu);
        if (edits.isEmpty()) {
            return List.of();
        }
        var oldTokens = before == null ? List.<List<Token>>of() : Highlight.lines(language, before);
        var newTokens = after == null ? List.<List<Token>>of() : Highlight.lines(language, after);
        var hunks = new ArrayList<Hunk>();
        for (int first = 0; first < edits.size() && budget > 0; ) {
            int last = first;
            while (last + 1 < edits.size()
                    && edits.get(last + 1).oldFrom - edits.get(last).oldTo <= 2 * CONTEXT) {
                last++;
            }
            hunks.add(hunk(edits.subList(first, last + 1), old.size(), oldTokens, newTokens));
            first = last + 1;
            if (budget <= 0 && first < edits.size()) {
                truncated = true;
            }
        }
        return hunks;
    }

    private Hunk hunk(
            List<Edit> group,
            int oldSize,
            List<List<Token>> oldTokens,
            List<List<Token>> newTokens) {
        Edit head = group.getFirst();
        int context = Math.min(CONTEXT, head.oldFrom);
        int o = head.oldFrom - context;
        int n = head.newFrom - context;
        int oldStart = o;
        int newStart = n;
        var lines = new ArrayList<Line>();
        for (Edit edit : group) {
            while (o < edit.oldFrom && add(lines, LineKind.CONTEXT, o, n, newTokens.get(n))) {
                o++;
                n++;
            }
            while (o < edit.oldTo && add(lines, LineKind.REMOVED, o, -1, oldTokens.get(o))) {
                o++;
            }
            while (n < edit.newTo && add(lines, LineKind.ADDED, -1, n, newTokens.get(n))) {
                n++;
            }
        }
        int end = Math.min(oldSize, group.getLast().oldTo + CONTEXT);
        while (o < end && add(lines, LineKind.CONTEXT, o, n, newTokens.get(n))) {
            o++;
            n++;
        }
        int oldLines = o - oldStart;
        int newLines = n - newStart;
        // Unified diff numbering: an empty side is numbered by the line before it.
        return new Hunk(
                oldLines == 0 ? oldStart : oldStart + 1,
                oldLines,
                newLines == 0 ? newStart : newStart + 1,
                newLines,
                List.copyOf(lines));
    }

    /** Adds a line if the budget allows; numbers are 0-based here, -1 for none. */
    private boolean add(List<Line> lines, LineKind kind, int o, int n, List<Token> tokens) {
        if (budget <= 0) {
            truncated = true;
            return false;
        }
        budget--;
        lines.add(new Line(kind, o + 1, n + 1, tokens));
        return true;
    }

    private static List<Edit> edits(List<String> old, List<String> neu) {
        int start = 0;
        while (start < old.size() && start < neu.size() && old.get(start).equals(neu.get(start))) {
            start++;
        }
        int oldEnd = old.size();
        int newEnd = neu.size();
        while (oldEnd > start
                && newEnd > start
                && old.get(oldEnd - 1).equals(neu.get(newEnd - 1))) {
            oldEnd--;
            newEnd--;
        }
        if (start == oldEnd && start == newEnd) {
            return List.of();
        }
        List<String> oldMiddle = old.subList(start, oldEnd);
        List<String> newMiddle = neu.subList(start, newEnd);
        var whole = List.of(new Edit(start, oldEnd, start, newEnd));
        if (oldMiddle.isEmpty() || newMiddle.isEmpty()) {
            return whole;
        }
        try {
            var patch =
                    DiffUtils.diff(oldMiddle, newMiddle, new MeyersDiff<String>(), new GiveUp());
            var edits = new ArrayList<Edit>();
            for (AbstractDelta<String> delta : patch.getDeltas()) {
                int oldFrom = start + delta.getSource().getPosition();
                int newFrom = start + delta.getTarget().getPosition();
                edits.add(
                        new Edit(
                                oldFrom,
                                oldFrom + delta.getSource().size(),
                                newFrom,
                                newFrom + delta.getTarget().size()));
            }
            return edits;
        } catch (GiveUp.TooManyEdits e) {
            return whole;
        }
    }

    /** Stops Myers' search once it has looked for more than {@link #MAX_EDITS} edits. */
    private static final class GiveUp implements DiffAlgorithmListener {

        static final class TooManyEdits extends RuntimeException {
            private static final long serialVersionUID = 1L;

            TooManyEdits() {
                super("too many edits", null, false, false);
            }
        }

        @Override
        public void diffStart() {}

        @Override
        public void diffStep(int value, int max) {
            if (value > MAX_EDITS) {
                throw new TooManyEdits();
            }
        }

        @Override
        public void diffEnd() {}
    }
}

package dev.warden.review;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Aho-Corasick over bytes, compiled to a full transition table: one array read per input byte finds
 * every keyword at once, whatever their number. ASCII letters are matched case-insensitively (the
 * keywords are lower case, the input is folded by {@link #FOLD}).
 */
final class Automaton {

    static final byte[] FOLD = new byte[256];

    static {
        for (int b = 0; b < 256; b++) {
            FOLD[b] = (byte) (b >= 'A' && b <= 'Z' ? b + 32 : b);
        }
    }

    /** next state = delta[state << 8 | folded byte] */
    final int[] delta;

    /** The keywords (indexes into the list given) that end at each state, or null. */
    final int[][] outputs;

    /**
     * The scanner's table: {@code step[row | raw byte]} is the next state's row ({@code state <<
     * 8}), negative when keywords end there (then {@code outputs[(step & MASK) >>> 8]}). The case
     * fold and the output check are folded into the one read per byte.
     */
    final int[] step;

    static final int MASK = 0x7FFFFFFF;

    Automaton(List<byte[]> keywords) {
        List<int[]> next = new ArrayList<>();
        List<int[]> out = new ArrayList<>();
        next.add(newRow());
        out.add(null);
        for (int k = 0; k < keywords.size(); k++) {
            int s = 0;
            for (byte raw : keywords.get(k)) {
                int b = FOLD[raw & 0xFF] & 0xFF;
                if (next.get(s)[b] < 0) {
                    next.get(s)[b] = next.size();
                    next.add(newRow());
                    out.add(null);
                }
                s = next.get(s)[b];
            }
            out.set(s, append(out.get(s), k));
        }
        int n = next.size();
        int[] fail = new int[n];
        delta = new int[n << 8];
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        for (int b = 0; b < 256; b++) {
            int t = next.get(0)[b];
            if (t < 0) {
                delta[b] = 0;
            } else {
                delta[b] = t;
                fail[t] = 0;
                queue.add(t);
            }
        }
        while (!queue.isEmpty()) {
            int s = queue.poll();
            int f = fail[s];
            if (out.get(f) != null) {
                for (int k : out.get(f)) {
                    out.set(s, append(out.get(s), k));
                }
            }
            for (int b = 0; b < 256; b++) {
                int t = next.get(s)[b];
                if (t < 0) {
                    delta[s << 8 | b] = delta[f << 8 | b];
                } else {
                    delta[s << 8 | b] = t;
                    fail[t] = delta[f << 8 | b];
                    queue.add(t);
                }
            }
        }
        outputs = out.toArray(new int[0][]);
        step = new int[n << 8];
        for (int s = 0; s < n; s++) {
            for (int b = 0; b < 256; b++) {
                int t = delta[s << 8 | (FOLD[b] & 0xFF)];
                step[s << 8 | b] = t << 8 | (outputs[t] != null ? ~MASK : 0);
            }
        }
    }

    private static int[] newRow() {
        int[] row = new int[256];
        Arrays.fill(row, -1);
        return row;
    }

    private static int[] append(int[] a, int k) {
        if (a == null) {
            return new int[] {k};
        }
        for (int x : a) {
            if (x == k) {
                return a;
            }
        }
        int[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = k;
        return b;
    }
}

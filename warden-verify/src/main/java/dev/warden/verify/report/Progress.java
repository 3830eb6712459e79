package dev.warden.verify.report;

import java.io.PrintStream;

/**
 * A one-line progress bar redrawn in place with {@code \r}: {@code [#####-----] 120/1000
 * left-pad@1.3.0}. It writes only to the stream it is given (the command gives stderr, so it never
 * mixes into a report on stdout or in a file) and {@link #finish()} clears its line, so call finish
 * before printing the report. Disabled (no terminal, {@code --no-progress}), it writes nothing.
 *
 * <p>Workers call {@link #begin} and {@link #step} from many threads; the bar is redrawn only when
 * the count moves by a tenth of a percent (and at the start and end), so a run of 500,000 packages
 * draws about a thousand times, not a million. No clock is needed for that.
 */
public final class Progress {

    /** One column short of 80, so the line never wraps and {@code \r} returns to its start. */
    static final int WIDTH = 79;

    private static final int BAR = 20;

    private final PrintStream out;
    private final boolean enabled;
    private final int total;
    private int done;
    private String current = "";
    private long drawnPermille = -1;
    private int drawnLength;
    private boolean finished;

    private Progress(PrintStream out, boolean enabled, int total) {
        this.out = out;
        this.enabled = enabled;
        this.total = Math.max(0, total);
    }

    /**
     * @param err where to draw (stderr)
     * @param enabled whether to draw at all: the caller decides whether err is a terminal
     * @param total how many steps make the whole
     */
    public static Progress start(PrintStream err, boolean enabled, int total) {
        Progress p = new Progress(err, enabled, total);
        synchronized (p) {
            p.draw(true);
        }
        return p;
    }

    /** The package now being checked: shown at the next redraw. */
    public synchronized void begin(String spec) {
        if (spec != null) {
            current = Text.safe(spec);
        }
    }

    /**
     * One more done, and {@code spec} the package to show: for a caller that hears of a package
     * only when its checks end (many run at once, so the last to end stands for those running).
     */
    public synchronized void step(String spec) {
        begin(spec);
        step();
    }

    /** One more done. */
    public synchronized void step() {
        if (done < total) {
            done++;
        }
        draw(done == total);
    }

    /** Clears the line; later calls draw nothing. */
    public synchronized void finish() {
        if (finished) {
            return;
        }
        finished = true;
        if (enabled && drawnLength > 0) {
            out.print("\r" + " ".repeat(drawnLength) + "\r");
            out.flush();
            drawnLength = 0;
        }
    }

    private void draw(boolean force) {
        if (!enabled || finished) {
            return;
        }
        long permille = total == 0 ? 1000 : done * 1000L / total;
        if (!force && permille == drawnPermille) {
            return;
        }
        drawnPermille = permille;
        int filled = (int) (permille * BAR / 1000);
        String counts = done + "/" + total;
        String head = "[" + "#".repeat(filled) + "-".repeat(BAR - filled) + "] " + counts;
        String line =
                current.isEmpty()
                        ? head
                        : head + " " + Text.fit(current, WIDTH - head.length() - 1);
        int length = Text.length(line);
        String clear = length < drawnLength ? " ".repeat(drawnLength - length) : "";
        out.print("\r" + line + clear);
        out.flush();
        drawnLength = Math.max(length, drawnLength);
    }
}

package dev.warden.server;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A configuration mistake: its message is one line that names the setting and where its value came
 * from (the config file, an environment variable or a flag), fit to print as it is.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    /** " (did you mean X?)" when a known name is close to the mistyped one, else nothing. */
    static String suggestion(String given, List<String> known) {
        return nearest(given, known).map(n -> " (did you mean " + n + "?)").orElse("");
    }

    /** The known name within a small edit distance of the mistyped one, if there is one. */
    public static Optional<String> nearest(String given, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(given.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = k;
                bestDistance = d;
            }
        }
        int allowed = given.length() <= 3 ? 1 : given.length() < 10 ? 2 : 3;
        return best != null && bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] row = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            row[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                row[j] =
                        Math.min(Math.min(row[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] t = previous;
            previous = row;
            row = t;
        }
        return previous[b.length()];
    }
}

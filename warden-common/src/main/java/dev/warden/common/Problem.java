package dev.warden.common;

/**
 * A failure the client caused or must act on, with a message meant for the person at the client.
 * The HTTP layer maps the kind to a status in one place; domain code never speaks HTTP.
 */
public final class Problem extends RuntimeException {

    /** What went wrong, in the terms a client acts on. */
    public enum Kind {
        BAD_REQUEST(400),
        UNAUTHORIZED(401),
        OTP_REQUIRED(401),
        FORBIDDEN(403),
        NOT_FOUND(404),
        REQUEST_TIMEOUT(408),
        CONFLICT(409),
        TOO_LARGE(413),
        UNSUPPORTED_MEDIA_TYPE(415),
        UNPROCESSABLE(422),
        TOO_MANY_REQUESTS(429),
        /** An upstream registry failed and nothing it served before can stand in. */
        BAD_GATEWAY(502),
        UNAVAILABLE(503);

        private final int status;

        Kind(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Kind kind;
    private final java.util.Map<String, String> details = new java.util.LinkedHashMap<>();
    private java.time.Duration retryAfter;

    /**
     * A value from the client as it may appear in a message: at most 64 characters, no control
     * characters.
     */
    public static String clip(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return t.replaceAll("\\p{Cntrl}", "?");
    }

    public Problem(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    /**
     * Adds a field to the error body beside {@code error} (for example npm's {@code authUrl} and
     * {@code doneUrl}).
     */
    public Problem with(String field, String value) {
        details.put(field, value);
        return this;
    }

    public java.util.Map<String, String> details() {
        return java.util.Collections.unmodifiableMap(details);
    }

    public Kind kind() {
        return kind;
    }

    /** For a 429: how long the client should wait (the {@code Retry-After} header), if known. */
    public java.util.Optional<java.time.Duration> retryAfter() {
        return java.util.Optional.ofNullable(retryAfter);
    }

    /**
     * A 429 whose message ends with when to try again; {@code retryAfter} is rounded up to whole
     * seconds, at least one.
     */
    public static Problem tooManyRequests(String reason, java.time.Duration retryAfter) {
        long seconds = Math.max(1, retryAfter.toSeconds() + (retryAfter.toNanosPart() > 0 ? 1 : 0));
        String when =
                seconds < 120
                        ? seconds + (seconds == 1 ? " second" : " seconds")
                        : (seconds + 59) / 60 + " minutes";
        Problem p = new Problem(Kind.TOO_MANY_REQUESTS, reason + "; try again in " + when);
        p.retryAfter = java.time.Duration.ofSeconds(seconds);
        return p;
    }

    public static Problem badRequest(String message) {
        return new Problem(Kind.BAD_REQUEST, message);
    }

    public static Problem unauthorized(String message) {
        return new Problem(Kind.UNAUTHORIZED, message);
    }

    public static Problem forbidden(String message) {
        return new Problem(Kind.FORBIDDEN, message);
    }

    public static Problem notFound(String message) {
        return new Problem(Kind.NOT_FOUND, message);
    }

    public static Problem conflict(String message) {
        return new Problem(Kind.CONFLICT, message);
    }

    public static Problem tooLarge(String message) {
        return new Problem(Kind.TOO_LARGE, message);
    }

    public static Problem badGateway(String message) {
        return new Problem(Kind.BAD_GATEWAY, message);
    }
}

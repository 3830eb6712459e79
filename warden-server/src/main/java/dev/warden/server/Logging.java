package dev.warden.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;

import org.slf4j.LoggerFactory;

/**
 * Logs on standard output: readable lines for a person at a terminal, one JSON object per line for
 * a machine (standard output redirected, or {@code log.format = "json"}).
 */
public final class Logging {

    /**
     * Time, level, the logger's class name, the formatted message, key=value pairs; stack traces
     * follow.
     */
    static final String TEXT_PATTERN =
            "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} %msg %kvp%n";

    private Logging() {}

    /**
     * @param terminal whether standard output is a terminal (decided once, at start: {@link
     *     #stdoutIsTerminal()})
     */
    public static void configure(Config.Log log, boolean terminal) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Encoder<ILoggingEvent> encoder =
                json(log.format(), terminal) ? new JsonLineEncoder() : text();
        encoder.setContext(ctx);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(ctx);
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(log.level(), Level.INFO));
        root.addAppender(console);
        ctx.getLogger("org.eclipse.jetty").setLevel(Level.WARN);
        ctx.getLogger("org.flywaydb").setLevel(Level.WARN);
        ctx.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
    }

    /**
     * {@code log.format}: "json" or "text" choose; "auto" is text at a terminal and JSON otherwise.
     */
    static boolean json(String format, boolean terminal) {
        return switch (format.toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> true;
            case "text" -> false;
            default -> !terminal;
        };
    }

    private static PatternLayoutEncoder text() {
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setPattern(TEXT_PATTERN);
        return text;
    }

    /**
     * Whether standard input and output are a terminal. Before JDK 22 {@code System.console()} is
     * null unless they are; from JDK 22 it may return a console anyway, and {@code
     * Console.isTerminal()} (not in the Java 21 API this compiles against, hence reflection) tells.
     */
    public static boolean stdoutIsTerminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}

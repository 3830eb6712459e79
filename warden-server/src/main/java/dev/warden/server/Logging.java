package dev.warden.server;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import org.slf4j.LoggerFactory;

/** Structured logs on standard output: one JSON object per line by default. */
final class Logging {

    private Logging() {}

    static void configure(Config.Log log) {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        Encoder<ILoggingEvent> encoder;
        if (log.format().equalsIgnoreCase("text")) {
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} %msg %kvp%n");
            text.setContext(ctx);
            text.start();
            encoder = text;
        } else {
            JsonEncoder jsonEncoder = new JsonEncoder();
            jsonEncoder.setWithSequenceNumber(false);
            jsonEncoder.setWithContext(false);
            jsonEncoder.setContext(ctx);
            jsonEncoder.start();
            encoder = jsonEncoder;
        }
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
}

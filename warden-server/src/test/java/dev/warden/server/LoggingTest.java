package dev.warden.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

/** Log lines: formatted messages in JSON, readable text at a terminal. */
class LoggingTest {

    private final LoggerContext context = new LoggerContext();

    LoggingTest() {
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    }

    private LoggingEvent published(Throwable thrown) {
        LoggingEvent event =
                new LoggingEvent(
                        LoggingTest.class.getName(),
                        context.getLogger("dev.warden.registry.Registry"),
                        Level.INFO,
                        "published {}@{} by {}",
                        thrown,
                        new Object[] {"a", "1.0.0", "alice"});
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("client", "npm/11.0.0"));
        return event;
    }

    @Test
    void aJsonLineCarriesTheFormattedMessageAndKeepsTheArgumentsApart() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        String line = new String(encoder.encode(published(null)), StandardCharsets.UTF_8);
        assertThat(line).endsWith("}\n").doesNotContain("{}").hasLineCount(1);
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("message").asText()).isEqualTo("published a@1.0.0 by alice");
        assertThat(json.path("arguments").toString()).isEqualTo("[\"a\",\"1.0.0\",\"alice\"]");
        assertThat(json.path("kvpList").toString()).isEqualTo("[{\"client\":\"npm/11.0.0\"}]");
        assertThat(json.path("level").asText()).isEqualTo("INFO");
        assertThat(json.path("loggerName").asText()).isEqualTo("dev.warden.registry.Registry");
        assertThat(json.has("throwable")).isFalse();
    }

    @Test
    void aJsonLineCarriesTheStackTraceOnOneLine() throws Exception {
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        String line =
                new String(
                        encoder.encode(published(new IllegalStateException("disk full"))),
                        StandardCharsets.UTF_8);
        assertThat(line).hasLineCount(1);
        JsonNode thrown = new ObjectMapper().readTree(line).path("throwable");
        assertThat(thrown.path("className").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(thrown.path("message").asText()).isEqualTo("disk full");
        assertThat(thrown.path("stackTrace").asText())
                .contains(
                        "at dev.warden.server.LoggingTest.aJsonLineCarriesTheStackTraceOnOneLine");
    }

    @Test
    void aTextLineIsReadable() {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setPattern(Logging.TEXT_PATTERN);
        encoder.setContext(context);
        encoder.start();
        String text =
                new String(
                        encoder.encode(published(new IllegalStateException("disk full"))),
                        StandardCharsets.UTF_8);
        assertThat(text)
                .containsPattern(
                        "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  Registry"
                                + " published a@1.0.0 by alice client=\"npm/11.0.0\"\n");
        assertThat(text)
                .contains("java.lang.IllegalStateException: disk full")
                .contains("\tat dev.warden.server.LoggingTest.aTextLineIsReadable");
    }

    @Test
    void theFormatIsTextAtATerminalAndJsonOtherwiseUnlessChosen() {
        assertThat(Logging.json("auto", true)).isFalse();
        assertThat(Logging.json("auto", false)).isTrue();
        assertThat(Logging.json("json", true)).isTrue();
        assertThat(Logging.json("JSON", true)).isTrue();
        assertThat(Logging.json("text", false)).isFalse();
        assertThat(Logging.json("Text", false)).isFalse();
    }
}

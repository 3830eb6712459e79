package dev.warden.server;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.slf4j.event.KeyValuePair;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * One JSON object per log event and line, with logback's field names, except that {@code message}
 * is the formatted message ("published a@1.0.0 by alice"), so a reader needs no pattern to make
 * sense of it; the arguments stay apart in {@code arguments}, and key-value pairs in {@code
 * kvpList}.
 */
final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] NONE = new byte[0];

    @Override
    public byte[] headerBytes() {
        return NONE;
    }

    @Override
    public byte[] footerBytes() {
        return NONE;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("timestamp", event.getTimeStamp());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("threadName", event.getThreadName());
            g.writeStringField("loggerName", event.getLoggerName());
            Map<String, String> mdc = event.getMDCPropertyMap();
            if (mdc != null && !mdc.isEmpty()) {
                g.writeObjectFieldStart("mdc");
                for (Map.Entry<String, String> e : mdc.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            if (event.getKeyValuePairs() != null && !event.getKeyValuePairs().isEmpty()) {
                g.writeArrayFieldStart("kvpList");
                for (KeyValuePair kv : event.getKeyValuePairs()) {
                    g.writeStartObject();
                    g.writeStringField(kv.key, String.valueOf(kv.value));
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeStringField("message", event.getFormattedMessage());
            Object[] arguments = event.getArgumentArray();
            if (arguments != null && arguments.length > 0) {
                g.writeArrayFieldStart("arguments");
                for (Object a : arguments) {
                    g.writeString(String.valueOf(a));
                }
                g.writeEndArray();
            }
            IThrowableProxy thrown = event.getThrowableProxy();
            if (thrown != null) {
                g.writeObjectFieldStart("throwable");
                g.writeStringField("className", thrown.getClassName());
                g.writeStringField("message", thrown.getMessage());
                g.writeStringField("stackTrace", ThrowableProxyUtil.asString(thrown));
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }
}

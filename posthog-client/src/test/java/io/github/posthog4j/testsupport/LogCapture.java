package io.github.posthog4j.testsupport;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Captures what the client logs (through {@link System.Logger}, which defaults to
 * {@code java.util.logging}) during one test, for a {@link CapturedLog} parameter. The
 * client needs no logging library, so neither do its tests.
 */
public final class LogCapture implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LogCapture.class);

    @Override
    public void beforeEach(ExtensionContext context) {
        CapturedLog log = new CapturedLog();
        log.install();
        context.getStore(NAMESPACE).put("log", log);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        CapturedLog log = context.getStore(NAMESPACE).remove("log", CapturedLog.class);
        if (log != null) {
            log.uninstall();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext extension) {
        return parameter.getParameter().getType() == CapturedLog.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext extension) {
        return extension.getStore(NAMESPACE).get("log", CapturedLog.class);
    }

    /**
     * The captured lines, one per record: {@code LEVEL message} and the stack trace of a
     * thrown exception.
     */
    public static final class CapturedLog implements CharSequence {

        private final Logger logger = Logger.getLogger("io.github.posthog4j");

        private final StringBuffer lines = new StringBuffer();

        private final Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                StringBuilder line = new StringBuilder(record.getLevel().getName()).append(' ')
                    .append(record.getMessage())
                    .append('\n');
                if (record.getThrown() != null) {
                    StringWriter trace = new StringWriter();
                    record.getThrown().printStackTrace(new PrintWriter(trace));
                    line.append(trace);
                }
                CapturedLog.this.lines.append(line);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };

        private Level previous;

        void install() {
            this.previous = this.logger.getLevel();
            this.handler.setLevel(Level.ALL);
            this.logger.addHandler(this.handler);
        }

        void uninstall() {
            this.logger.removeHandler(this.handler);
            this.logger.setLevel(this.previous);
        }

        /**
         * Also captures DEBUG (FINE) records.
         * @return this
         */
        public CapturedLog withDebug() {
            this.logger.setLevel(Level.ALL);
            return this;
        }

        /**
         * @return everything captured so far
         */
        public String getAll() {
            return this.lines.toString();
        }

        @Override
        public int length() {
            return this.lines.length();
        }

        @Override
        public char charAt(int index) {
            return this.lines.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return this.lines.subSequence(start, end);
        }

        @Override
        public String toString() {
            return getAll();
        }

    }

}

package io.github.atprotospring.test;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggerContextListener;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;
import org.slf4j.Marker;
import org.slf4j.event.KeyValuePair;
import org.slf4j.helpers.FormattingTuple;
import org.slf4j.helpers.MessageFormatter;

/**
 * Sees every log call of every logger, at every level, as if all were at TRACE, and hands
 * its formatted message and its exception to {@link Secrets}, while the appenders go on
 * printing only what their levels let through.
 * <p>
 * A turbo filter rather than an appender: an appender sees only what the levels let
 * through, and setting every level to TRACE would also flood the console. The filter
 * answers "enabled" to every {@code isTraceEnabled()}-like question, so that code guarded
 * by one logs too; it captures each log call, then lets the logger's level decide as
 * usual.
 * <p>
 * Spring Boot's logging system resets Logback as an application starts ({@code stop()}
 * then {@code reset()}), which removes turbo filters and context listeners. The filter is
 * put back at once: a reset stops each turbo filter (this one then registers itself as a
 * reset-resistant listener again) and then tells the listeners (this one then adds the
 * filter again), so no log call of the application is missed. {@link #installed()} says
 * whether that held.
 */
final class LogbackCapture extends TurboFilter implements LoggerContextListener {

	private final LoggerContext context;

	private final Secrets secrets;

	private volatile boolean closed;

	private LogbackCapture(LoggerContext context, Secrets secrets) {
		this.context = context;
		this.secrets = secrets;
		setName("secrets-check");
		setContext(context);
	}

	/**
	 * Starts capturing into the given secrets.
	 * @throws IllegalStateException if SLF4J does not log through Logback
	 */
	static LogbackCapture install(Secrets secrets) {
		ILoggerFactory factory = LoggerFactory.getILoggerFactory();
		if (!(factory instanceof LoggerContext context)) {
			throw new IllegalStateException("SecretsCheckExtension reads every log line through Logback, but SLF4J "
					+ "logs through " + factory.getClass().getName() + ": add ch.qos.logback:logback-classic to the "
					+ "test classpath (and no other SLF4J provider)");
		}
		LogbackCapture capture = new LogbackCapture(context, secrets);
		capture.attach();
		return capture;
	}

	/** Whether the capture is still in place. */
	boolean installed() {
		return this.context.getTurboFilterList().contains(this);
	}

	void uninstall() {
		this.closed = true;
		this.context.getTurboFilterList().remove(this);
		this.context.removeListener(this);
	}

	private void attach() {
		if (!this.closed && !this.context.getTurboFilterList().contains(this)) {
			// First, so that no other filter decides before this one has seen the call.
			this.context.getTurboFilterList().add(0, this);
		}
		listen();
	}

	private void listen() {
		if (!this.closed && !this.context.getCopyOfListenerList().contains(this)) {
			this.context.addListener(this);
		}
	}

	// --- the filter

	@Override
	public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params,
			Throwable thrown) {
		if (this.closed) {
			return FilterReply.NEUTRAL;
		}
		if (format == null && params == null && thrown == null) {
			// An is...Enabled() question: yes, so that the code it guards runs and logs.
			return FilterReply.ACCEPT;
		}
		capture(logger, level, format, params, thrown, null);
		return byLevel(logger, level);
	}

	@Override
	public FilterReply decide(Logger logger, org.slf4j.event.LoggingEvent event) {
		if (this.closed) {
			return FilterReply.NEUTRAL;
		}
		Level level = Level.convertAnSLF4JLevel(event.getLevel());
		capture(logger, level, event.getMessage(), event.getArgumentArray(), event.getThrowable(),
				event.getKeyValuePairs());
		return byLevel(logger, level);
	}

	/**
	 * What the logger would have done without this filter: its level decides. (A fluent
	 * call, whose level was checked when it began, is not checked again.)
	 */
	private static FilterReply byLevel(Logger logger, Level level) {
		return level.isGreaterOrEqual(logger.getEffectiveLevel()) ? FilterReply.NEUTRAL : FilterReply.DENY;
	}

	private void capture(Logger logger, Level level, String format, Object[] params, Throwable thrown,
			List<KeyValuePair> keyValues) {
		String source = level + " log " + logger.getName();
		FormattingTuple formatted = MessageFormatter.arrayFormat(format, params);
		this.secrets.capture(source, logger.getName(), formatted.getMessage());
		if (keyValues != null) {
			for (KeyValuePair pair : keyValues) {
				this.secrets.capture(source, logger.getName(), String.valueOf(pair));
			}
		}
		Throwable logged = (thrown != null) ? thrown : formatted.getThrowable();
		if (logged != null) {
			this.secrets.captureThrowable(source, logger.getName(), logged);
		}
	}

	// --- staying in place through resets

	@Override
	public void start() {
		// Always on: a filter that is not started is asked all the same.
	}

	@Override
	public boolean isStarted() {
		return !this.closed;
	}

	/**
	 * Called when a reset clears the turbo filters; the listeners are told of the reset
	 * after that, so listening again here is in time to put the filter back.
	 */
	@Override
	public void stop() {
		listen();
	}

	@Override
	public boolean isResetResistant() {
		return true;
	}

	@Override
	public void onStart(LoggerContext context) {
	}

	@Override
	public void onReset(LoggerContext context) {
		attach();
	}

	@Override
	public void onStop(LoggerContext context) {
	}

	@Override
	public void onLevelChange(Logger logger, Level level) {
	}

}

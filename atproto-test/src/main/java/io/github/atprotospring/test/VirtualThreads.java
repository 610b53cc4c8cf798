package io.github.atprotospring.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.stream.Collectors;

import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Virtual threads for tests and benchmarks that are compiled for Java 17 and run on Java
 * 21 or later too: the executors and thread factories of {@code Thread.ofVirtual()},
 * reached by reflection, and a recording of the times a virtual thread pinned its carrier
 * (the JFR event {@code jdk.VirtualThreadPinned}: a virtual thread that blocked where it
 * could not let its carrier go, such as inside a {@code synchronized} block before Java
 * 24, or under a native frame).
 */
public final class VirtualThreads {

	private static final String PINNED = "jdk.VirtualThreadPinned";

	private VirtualThreads() {
	}

	/**
	 * Whether this JVM has virtual threads (Java 21 or later).
	 * @return {@code true} if it has
	 */
	public static boolean available() {
		return ofVirtual() != null;
	}

	/**
	 * Whether a thread is virtual.
	 * @param thread the thread
	 * @return {@code true} if it is a virtual thread; always {@code false} before Java 21
	 */
	public static boolean isVirtual(Thread thread) {
		if (!available()) {
			return false;
		}
		return (Boolean) invoke(method(Thread.class, "isVirtual"), thread);
	}

	/**
	 * An executor that starts a virtual thread per task.
	 * @return the executor; close or shut it down after use
	 * @throws UnsupportedOperationException before Java 21
	 */
	public static ExecutorService newPerTaskExecutor() {
		return (ExecutorService) invoke(method(Executors.class, "newVirtualThreadPerTaskExecutor"), null);
	}

	/**
	 * A factory of unstarted virtual threads named {@code prefix0}, {@code prefix1}, ...
	 * @param prefix the start of the threads' names
	 * @return the factory
	 * @throws UnsupportedOperationException before Java 21
	 */
	public static ThreadFactory factory(String prefix) {
		Object builder = invoke(method(Thread.class, "ofVirtual"), null);
		Class<?> builderType = type("java.lang.Thread$Builder");
		builder = invoke(method(builderType, "name", String.class, long.class), builder, prefix, 0L);
		return (ThreadFactory) invoke(method(builderType, "factory"), builder);
	}

	/**
	 * Starts recording the times a virtual thread pins its carrier, with their stacks.
	 * @return the recording; {@link PinningRecording#stop()} it to read what it saw
	 */
	public static PinningRecording recordPinning() {
		Recording recording = new Recording();
		recording.enable(PINNED).withThreshold(Duration.ZERO).withStackTrace();
		recording.start();
		return new PinningRecording(recording);
	}

	private static Method ofVirtual() {
		try {
			return Thread.class.getMethod("ofVirtual");
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

	private static Method method(Class<?> type, String name, Class<?>... parameters) {
		try {
			return type.getMethod(name, parameters);
		}
		catch (NoSuchMethodException ex) {
			throw unsupported();
		}
	}

	private static Class<?> type(String name) {
		try {
			return Class.forName(name);
		}
		catch (ClassNotFoundException ex) {
			throw unsupported();
		}
	}

	private static Object invoke(Method method, Object target, Object... arguments) {
		try {
			return method.invoke(target, arguments);
		}
		catch (IllegalAccessException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InvocationTargetException ex) {
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime : new IllegalStateException(ex);
		}
	}

	private static UnsupportedOperationException unsupported() {
		return new UnsupportedOperationException("Virtual threads need Java 21 or later; this JVM is Java "
				+ Runtime.version().feature() + " (" + System.getProperty("java.home") + ")");
	}

	/**
	 * A JFR recording of the times virtual threads pinned their carriers.
	 */
	public static final class PinningRecording implements AutoCloseable {

		private final Recording recording;

		private List<String> pinned;

		private PinningRecording(Recording recording) {
			this.recording = recording;
		}

		/**
		 * Stops the recording and reads it.
		 * @return one line per pinning: how long, and the top frames of the virtual
		 * thread's stack; empty if none happened
		 */
		public List<String> stop() {
			if (this.pinned != null) {
				return this.pinned;
			}
			this.recording.stop();
			try {
				Path file = Files.createTempFile("virtual-thread-pinning", ".jfr");
				try {
					this.recording.dump(file);
					List<String> lines = new ArrayList<>();
					for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
						if (PINNED.equals(event.getEventType().getName())) {
							lines.add(describe(event));
						}
					}
					this.pinned = List.copyOf(lines);
				}
				finally {
					Files.deleteIfExists(file);
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Could not read the JFR recording of pinned virtual threads", ex);
			}
			finally {
				this.recording.close();
			}
			return this.pinned;
		}

		private static String describe(RecordedEvent event) {
			String stack = (event.getStackTrace() != null) ? event.getStackTrace()
				.getFrames()
				.stream()
				.limit(12)
				.map(PinningRecording::frame)
				.collect(Collectors.joining(" <- ")) : "no stack";
			return "pinned for " + event.getDuration().toNanos() / 1000 + " us: " + stack;
		}

		private static String frame(RecordedFrame frame) {
			return frame.getMethod().getType().getName() + "." + frame.getMethod().getName() + ":"
					+ frame.getLineNumber();
		}

		@Override
		public void close() {
			stop();
		}

	}

}

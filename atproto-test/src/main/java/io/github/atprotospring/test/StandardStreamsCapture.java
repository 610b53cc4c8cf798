package io.github.atprotospring.test;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Copies everything written to {@code System.out} and {@code System.err} while it is in
 * place, and still passes it on. Logback's console appender looks the streams up at each
 * write, so what it prints is copied too.
 */
final class StandardStreamsCapture {

	private final PrintStream originalOut;

	private final PrintStream originalErr;

	private final Copy out;

	private final Copy err;

	private StandardStreamsCapture(Secrets secrets) {
		this.originalOut = System.out;
		this.originalErr = System.err;
		this.out = new Copy(this.originalOut);
		this.err = new Copy(this.originalErr);
		Charset charset = Charset.defaultCharset();
		secrets.captureStream("System.out", () -> this.out.text(charset));
		secrets.captureStream("System.err", () -> this.err.text(charset));
	}

	static StandardStreamsCapture install(Secrets secrets) {
		StandardStreamsCapture capture = new StandardStreamsCapture(secrets);
		System.setOut(new PrintStream(capture.out, true, Charset.defaultCharset()));
		System.setErr(new PrintStream(capture.err, true, Charset.defaultCharset()));
		return capture;
	}

	void uninstall() {
		System.setOut(this.originalOut);
		System.setErr(this.originalErr);
	}

	/** Passes bytes on and keeps a copy. */
	private static final class Copy extends OutputStream {

		private final PrintStream target;

		private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

		Copy(PrintStream target) {
			this.target = target;
		}

		@Override
		public void write(int b) {
			synchronized (this.copy) {
				this.copy.write(b);
			}
			this.target.write(b);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) {
			synchronized (this.copy) {
				this.copy.write(bytes, offset, length);
			}
			this.target.write(bytes, offset, length);
		}

		@Override
		public void flush() {
			this.target.flush();
		}

		String text(Charset charset) {
			synchronized (this.copy) {
				String text = this.copy.toString(charset);
				// A console that is not UTF-8 still gets UTF-8 from some writers.
				return charset.equals(StandardCharsets.UTF_8) ? text
						: text + "\n" + this.copy.toString(StandardCharsets.UTF_8);
			}
		}

	}

}

package io.github.atprotospring.test;

import java.util.Objects;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a {@link PdsDouble} before the tests of a class and closes it after them.
 * Register it on a static field:
 *
 * <pre>{@code
 * &#64;RegisterExtension
 * static final PdsDoubleExtension PDS = PdsDoubleExtension.create(b -> b.clock(clock));
 * }</pre>
 *
 * <p>
 * One double serves the whole class (and its {@code @Nested} classes): starting a server
 * per test would be slow, so tests that need a clean state should use fresh accounts or
 * {@link PdsDouble#resetCounters()}.
 */
public final class PdsDoubleExtension implements BeforeAllCallback, AfterAllCallback {

	private final Consumer<PdsDouble.Builder> customizer;

	private volatile PdsDouble pds;

	private volatile String ownerId;

	private PdsDoubleExtension(Consumer<PdsDouble.Builder> customizer) {
		this.customizer = customizer;
	}

	/**
	 * An extension for a double with the default settings.
	 * @return a new extension
	 */
	public static PdsDoubleExtension create() {
		return create(builder -> {
		});
	}

	/**
	 * An extension for a double configured by {@code customizer} before it starts.
	 * @param customizer adjusts the builder, e.g.
	 * {@code b -> b.clock(clock).rateLimits(true)}
	 * @return a new extension
	 */
	public static PdsDoubleExtension create(Consumer<PdsDouble.Builder> customizer) {
		return new PdsDoubleExtension(Objects.requireNonNull(customizer, "customizer"));
	}

	/**
	 * Starts the double, unless an enclosing class already did (nested classes inherit
	 * it).
	 * @param context the class's context
	 */
	@Override
	public void beforeAll(ExtensionContext context) {
		if (pds == null) {
			PdsDouble.Builder builder = PdsDouble.builder();
			customizer.accept(builder);
			pds = builder.start();
			ownerId = context.getUniqueId();
		}
	}

	/**
	 * Closes the double when the class that started it is done.
	 * @param context the class's context
	 */
	@Override
	public void afterAll(ExtensionContext context) {
		if (pds != null && context.getUniqueId().equals(ownerId)) {
			pds.close();
			pds = null;
			ownerId = null;
		}
	}

	/**
	 * The running double.
	 * @return the double
	 * @throws IllegalStateException outside the registering class's lifecycle, e.g. when
	 * the field is not static
	 */
	public PdsDouble pds() {
		PdsDouble current = pds;
		if (current == null) {
			throw new IllegalStateException("PdsDouble not started: register the extension on a static field");
		}
		return current;
	}

	/**
	 * The running double's base URL.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return pds().url();
	}

}

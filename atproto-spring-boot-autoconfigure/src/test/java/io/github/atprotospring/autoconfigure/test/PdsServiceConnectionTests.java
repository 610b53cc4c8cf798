package io.github.atprotospring.autoconfigure.test;

import java.util.List;

import io.github.atprotospring.autoconfigure.AtprotoConnectionDetails;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ContextCustomizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A Spring Boot test with a {@code PdsDouble} marked {@code @PdsServiceConnection}: the
 * auto-configured client logs in to the double, with no {@code atproto.service}; and
 * fields the factory cannot use are refused with a message that says why.
 */
@SpringBootTest(classes = PdsServiceConnectionTests.Application.class, properties = { "atproto.handle=alice.test",
		"atproto.password=app-password-1234", "atproto.session.store=memory" })
class PdsServiceConnectionTests {

	@PdsServiceConnection
	static final PdsDouble pds = PdsDouble.builder().start();

	static {
		pds.createAccount("alice.test", "alice@example.com", "app-password-1234");
	}

	@AfterAll
	static void stopPds() {
		pds.close();
	}

	@Autowired
	AtprotoClient client;

	@Autowired
	AtprotoConnectionDetails connectionDetails;

	@Test
	void theClientLogsInToTheDoubleWithNoServiceProperty() {
		assertThat(this.connectionDetails.getService()).isEqualTo(pds.url());
		assertThat(this.client.service()).isEqualTo(pds.url());
		assertThat(this.client.getSession().handle()).isEqualTo("alice.test");
		assertThat(pds.callCount("com.atproto.server.createSession")).isOne();
	}

	@Nested
	class InANestedClass {

		@Autowired
		AtprotoClient nestedClient;

		@Test
		void theEnclosingClassesDoubleIsUsed() {
			assertThat(this.nestedClient.service()).isEqualTo(pds.url());
		}

	}

	@Test
	void aTestClassWithoutTheAnnotationIsLeftAlone() {
		assertThat(customizer(Plain.class)).isNull();
	}

	@Test
	void twoTestClassesWithTheSameDoubleShareAContextAndOthersDoNot() {
		ContextCustomizer mine = customizer(PdsServiceConnectionTests.class);
		assertThat(customizer(SameDouble.class)).isEqualTo(mine).hasSameHashCodeAs(mine);
		try (PdsDouble other = PdsDouble.builder().start()) {
			OtherDouble.other = other;
			assertThat(customizer(OtherDouble.class)).isNotEqualTo(mine);
		}
	}

	@Test
	void anInstanceFieldIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> customizer(InstanceField.class))
			.withMessageContaining("'pds'")
			.withMessageContaining("must be static");
	}

	@Test
	void aFieldThatHoldsNoDoubleIsRefused() {
		assertThatIllegalStateException().isThrownBy(() -> customizer(NotADouble.class))
			.withMessageContaining("must hold a started PdsDouble, but holds java.lang.String");
	}

	@Test
	void twoFieldsAreRefused() {
		assertThatIllegalStateException().isThrownBy(() -> customizer(TwoDoubles.class))
			.withMessageContaining("one @PdsServiceConnection field")
			.withMessageContaining("[first, second]");
	}

	private static ContextCustomizer customizer(Class<?> testClass) {
		return new PdsServiceConnectionContextCustomizerFactory().createContextCustomizer(testClass, List.of());
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class Application {

	}

	static class Plain {

	}

	static class SameDouble {

		@PdsServiceConnection
		static final PdsDouble same = PdsServiceConnectionTests.pds;

	}

	static class OtherDouble {

		@PdsServiceConnection
		static PdsDouble other;

	}

	static class InstanceField {

		@PdsServiceConnection
		final PdsDouble pds = PdsServiceConnectionTests.pds;

	}

	static class NotADouble {

		@PdsServiceConnection
		static final String pds = "http://127.0.0.1:2583";

	}

	static class TwoDoubles {

		@PdsServiceConnection
		static final PdsDouble first = PdsServiceConnectionTests.pds;

		@PdsServiceConnection
		static final PdsDouble second = PdsServiceConnectionTests.pds;

	}

}

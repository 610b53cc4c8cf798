package io.github.atprotospring.autoconfigure;

import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A whole Spring application with wrong credentials: it does not start, and Boot's
 * failure report names the properties to fix and never the password.
 */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

	@Test
	void wrongCredentialsAreReportedWithThePropertyToFix(CapturedOutput output) {
		try (PdsDouble pds = PdsDouble.builder().start()) {
			pds.createAccount("alice.test", "alice@example.com", "right-password");
			assertThatExceptionOfType(RuntimeException.class)
				.isThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
					.properties("atproto.service=" + pds.url(), "atproto.handle=alice.test",
							"atproto.password=wrong-password-123", "spring.datasource.url=jdbc:h2:mem:startup-failure")
					.run());
		}
		assertThat(output).contains("APPLICATION FAILED TO START", "atproto.handle", "atproto.password",
				"AuthenticationRequired");
		assertThat(output).doesNotContain("wrong-password-123");
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

}

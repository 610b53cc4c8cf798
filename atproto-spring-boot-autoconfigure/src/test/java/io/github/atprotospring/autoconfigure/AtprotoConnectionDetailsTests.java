package io.github.atprotospring.autoconfigure;

import java.time.Clock;
import java.time.Instant;

import javax.sql.DataSource;

import io.github.atprotospring.autoconfigure.jpa.AtprotoJdbcAutoConfiguration;
import io.github.atprotospring.autoconfigure.jpa.JdbcLoginBudget;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.test.MutableClock;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link AtprotoConnectionDetails} in place of {@code atproto.service}: the client logs
 * in to their service, and the login budget is kept under it.
 */
class AtprotoConnectionDetailsTests {

	static final String PASSWORD = "app-password-1234";

	final MutableClock clock = MutableClock.at(Instant.parse("2026-11-23T12:00:00Z"));

	PdsDouble pds;

	ApplicationContextRunner runner;

	@BeforeEach
	void start() {
		this.pds = PdsDouble.builder().clock(this.clock).start();
		this.pds.createAccount("alice.test", "alice@example.com", PASSWORD);
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(AtprotoAutoConfiguration.class,
					AtprotoConnectionDetailsAutoConfiguration.class))
			.withBean(Clock.class, () -> this.clock)
			.withPropertyValues("atproto.handle=alice.test", "atproto.password=" + PASSWORD);
	}

	@AfterEach
	void stop() {
		this.pds.close();
	}

	@Test
	void connectionDetailsNameTheServiceWithNoProperty() {
		this.runner.withBean(AtprotoConnectionDetails.class, () -> this.pds::url).run((context) -> {
			AtprotoClient client = context.getBean(AtprotoClient.class);
			assertThat(client.service()).isEqualTo(this.pds.url());
			assertThat(client.session()).isPresent();
			assertThat(this.pds.callCount("com.atproto.server.createSession")).isOne();
		});
	}

	@Test
	void connectionDetailsWinOverTheProperty() {
		this.runner.withBean(AtprotoConnectionDetails.class, () -> this.pds::url)
			.withPropertyValues("atproto.service=https://bsky.social")
			.run((context) -> assertThat(context.getBean(AtprotoClient.class).service()).isEqualTo(this.pds.url()));
	}

	@Test
	void withoutConnectionDetailsThePropertyNamesTheService() {
		this.runner.withPropertyValues("atproto.service=" + this.pds.url()).run((context) -> {
			assertThat(context).doesNotHaveBean(AtprotoClientBuilderCustomizer.class);
			assertThat(context.getBean(AtprotoClient.class).service()).isEqualTo(this.pds.url());
		});
	}

	@Test
	void connectionDetailsThatNameNoUrlFailTheStartWithAClearMessage() {
		this.runner.withBean(AtprotoConnectionDetails.class, () -> () -> "ftp://pds.example")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("AtprotoConnectionDetails")
				.hasMessageContaining("not an http or https URL: 'ftp://pds.example'"));
	}

	@Test
	void theLoginBudgetIsKeptUnderTheServiceOfTheConnectionDetails() {
		this.runner
			.withConfiguration(
					AutoConfigurations.of(DataSourceAutoConfiguration.class, AtprotoJdbcAutoConfiguration.class))
			.withBean(AtprotoConnectionDetails.class, () -> this.pds::url)
			.withPropertyValues("spring.datasource.url=jdbc:h2:mem:details-" + System.nanoTime())
			.run((context) -> {
				assertThat(context).hasSingleBean(JdbcLoginBudget.class);
				assertThat(new JdbcTemplate(context.getBean(DataSource.class))
					.queryForList("select distinct service from atproto_login_attempt", String.class))
					.containsExactly(this.pds.url());
			});
	}

}

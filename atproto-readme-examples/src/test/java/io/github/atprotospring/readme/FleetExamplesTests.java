package io.github.atprotospring.readme;

import com.example.fleet.Fleet;
import com.example.fleet.FleetApplication;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's example of many accounts against a {@link PdsDouble}: a named account
 * from properties beside the primary one, and customers' accounts added at runtime.
 */
@SpringBootTest(classes = FleetApplication.class)
class FleetExamplesTests {

	static final PdsDouble pds = PdsDouble.builder().start();

	static final PdsDouble.Account main = pds.createAccount("main.test", "main@example.test", "main-password");

	static final PdsDouble.Account news = pds.createAccount("news.test", "news@example.test", "news-password");

	static final PdsDouble.Account customer = pds.createAccount("customer.test", "customer@example.test",
			"customer-app-password");

	@DynamicPropertySource
	static void atproto(DynamicPropertyRegistry registry) {
		registry.add("atproto.service", pds::url);
		registry.add("atproto.handle", () -> "main.test");
		registry.add("atproto.password", () -> "main-password");
		registry.add("atproto.accounts.news.handle", () -> "news.test");
		registry.add("atproto.accounts.news.password", () -> "news-password");
		registry.add("spring.datasource.url", () -> "jdbc:h2:mem:fleet-examples");
	}

	@AfterAll
	static void stopPds() {
		pds.close();
	}

	@Autowired
	Fleet fleet;

	@Autowired
	AtprotoClient primary;

	@Test
	void theNamedAccountPostsAsItselfAndThePrimaryStaysTheDefault() {
		assertThat(this.fleet.announce("Today's news")).startsWith("at://" + news.did() + "/");
		assertThat(this.primary.session().orElseThrow().did()).isEqualTo(main.did());
	}

	@Test
	void aCustomerConnectsPostsAndDisconnects() {
		String did = this.fleet.connect("customer.test", "customer-app-password");
		assertThat(did).isEqualTo(customer.did());
		assertThat(this.fleet.postFor(did, "Hello")).startsWith("at://" + did + "/");
		assertThat(this.fleet.connected()).contains("customer.test", "news.test", "main.test");
		assertThat(this.fleet.disconnect(did)).isTrue();
		assertThat(this.fleet.connected()).doesNotContain("customer.test");
		assertThat(pds.callCount("com.atproto.server.deleteSession")).isEqualTo(1);
	}

}

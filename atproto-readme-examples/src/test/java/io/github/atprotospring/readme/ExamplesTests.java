package io.github.atprotospring.readme;

import com.example.bot.BotApplication;
import com.example.bot.ProfileReader;
import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.model.Profile;
import io.github.atprotospring.client.model.RecordResponse;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the README's examples that {@code GreeterTests} (itself an example) does not,
 * against a {@link PdsDouble}: they must do what the README says they do.
 */
@SpringBootTest(classes = BotApplication.class)
@ExtendWith(OutputCaptureExtension.class)
class ExamplesTests {

	static final PdsDouble pds = PdsDouble.builder().start();

	static final PdsDouble.Account account = pds.createAccount("alice.test", "alice@example.test", "alice-password");

	@DynamicPropertySource
	static void atproto(DynamicPropertyRegistry registry) {
		registry.add("atproto.service", pds::url);
		registry.add("atproto.handle", () -> "alice.test");
		registry.add("atproto.password", () -> "alice-password");
	}

	@AfterAll
	static void stopPds() {
		pds.close();
	}

	@Autowired
	ProfileReader profiles;

	@Autowired
	AtprotoClient client;

	@Test
	void profileReaderReadsTheProfileTypedAndAsJson() {
		Profile me = this.profiles.me();
		assertThat(me.did()).isEqualTo(account.did());
		assertThat(me.handle()).isEqualTo("alice.test");
		assertThat(this.profiles.followers("alice.test")).isZero();
		assertThat(pds.callCount("app.bsky.actor.getProfile")).isEqualTo(2);
	}

	@Test
	void profileReaderPostsThroughTheGenericProcedure() {
		String uri = this.profiles.postInFrench("Bonjour");
		String rkey = uri.substring(uri.lastIndexOf('/') + 1);
		RecordResponse stored = this.client.getRecord(account.did(), "app.bsky.feed.post", rkey);
		assertThat(stored.value().get("text").stringValue()).isEqualTo("Bonjour");
		assertThat(stored.value().get("langs").get(0).stringValue()).isEqualTo("fr");
	}

	@Test
	void sessionLoggerLogsTheEventAndTheDidButNoToken(CapturedOutput output) {
		this.client.refreshSession();
		assertThat(output).contains("REFRESH for " + account.did());
		assertThat(output.getAll()).doesNotContain(this.client.session().orElseThrow().refreshJwt())
			.doesNotContain(this.client.session().orElseThrow().accessJwt());
	}

}

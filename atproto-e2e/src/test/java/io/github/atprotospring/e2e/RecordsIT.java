package io.github.atprotospring.e2e;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.model.CreateRecordResponse;
import io.github.atprotospring.client.model.RecordResponse;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.test.MutableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scenario 7: a post made with {@code createPost} reads back with {@code getRecord}.
 */
@ExtendWith(ReferencePdsExtension.class)
class RecordsIT {

	private static final String POST = "app.bsky.feed.post";

	@Test
	void aPostReadsBackWithGetRecord(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		MutableClock clock = MutableClock.at(Instant.now().truncatedTo(ChronoUnit.MILLIS));
		AtprotoClient client = pds.clientBuilder().clock(clock).build();
		client.login(account.handle(), account.password());

		CreateRecordResponse created = client.createPost("Hello from the end-to-end tests");

		assertThat(created.uri()).isEqualTo("at://" + account.did() + "/" + POST + "/" + created.rkey());
		assertThat(created.rkey()).matches("[2-7a-z]{13}");
		assertThat(created.cid()).startsWith("bafyrei");
		assertThat(created.validationStatus()).isEqualTo("valid");

		RecordResponse read = client.getRecord(account.did(), POST, created.rkey());
		assertThat(read.uri()).isEqualTo(created.uri());
		assertThat(read.cid()).isEqualTo(created.cid());
		assertThat(read.value().path("$type").asString()).isEqualTo(POST);
		assertThat(read.value().path("text").asString()).isEqualTo("Hello from the end-to-end tests");
		assertThat(read.value().path("createdAt").asString()).isEqualTo(clock.instant().toString());

		RecordResponse byHandle = client.getRecord(account.handle(), POST, created.rkey());
		assertThat(byHandle.uri()).isEqualTo(created.uri());
	}

}

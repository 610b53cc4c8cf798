package io.github.atprotospring.e2e;

import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.Session;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.e2e.support.CountingProxy;
import io.github.atprotospring.e2e.support.RecordedEvents;
import io.github.atprotospring.e2e.support.ReferencePds;
import io.github.atprotospring.e2e.support.ReferencePdsExtension;
import io.github.atprotospring.e2e.support.TypeScriptSdk;
import io.github.atprotospring.e2e.support.Xrpc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sessions in the JSON form move between the official TypeScript SDK
 * ({@code @atproto/api}), the PHP SDK's form (the {@code createSession} answer as it
 * came) and this client, against the reference PDS, without a second login.
 */
@ExtendWith(ReferencePdsExtension.class)
class SessionJsonIT {

	static final String CREATE = "com.atproto.server.createSession";

	static final String REFRESH = "com.atproto.server.refreshSession";

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void aSessionOfTheTypeScriptSdkWorksInTheClientAndComesBackWithOneLoginInAll(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		try (CountingProxy proxy = new CountingProxy(pds.url()); TypeScriptSdk typeScript = TypeScriptSdk.start()) {
			TypeScriptSdk.LoggedIn loggedIn = typeScript.login(proxy.url(), account.handle(), account.password(),
					ReferencePds.newClientIp());
			JsonNode persisted = JSON.readTree(loggedIn.sessionJson());
			assertThat(loggedIn.events()).containsExactly("create");
			// AtpSessionData: no didDoc and no PDS URL, though the SDK itself found one.
			assertThat(List.copyOf(persisted.propertyNames()))
				.contains("accessJwt", "refreshJwt", "handle", "did", "active")
				.doesNotContain("didDoc");
			assertThat(loggedIn.pdsUrl()).isEqualTo(pds.publicUrl() + "/");

			RecordedEvents events = new RecordedEvents();
			AtprotoClient client = pds.clientBuilder().service(proxy.url()).sessionChangeListener(events).build();
			Session imported = client.importSession(loggedIn.sessionJson());

			assertThat(imported.did()).isEqualTo(account.did());
			assertThat(imported.accessJwt()).isEqualTo(persisted.get("accessJwt").stringValue());
			assertThat(imported.pdsEndpoint()).isEqualTo(proxy.url());
			assertThat(client.getSession().handle()).isEqualTo(account.handle());
			assertThat(client.createPost("posted with the TypeScript SDK's session").uri())
				.startsWith("at://" + account.did());
			assertThat(events.events()).containsExactly(SessionEvent.IMPORT);
			assertThat(proxy.count(CREATE)).isEqualTo(1);
			assertThat(proxy.count(REFRESH)).isZero();

			String exported = client.exportSessionJson();
			TypeScriptSdk.Inspected inspected = typeScript.inspect(exported);
			assertThat(inspected.validDidDoc()).isTrue();
			assertThat(inspected.pdsEndpoint()).isEqualTo(proxy.url());

			TypeScriptSdk.Resumed resumed = typeScript.resume(proxy.url(), exported, ReferencePds.newClientIp(),
					"posted by @atproto/api with our session");

			assertThat(resumed.did()).isEqualTo(account.did());
			assertThat(resumed.handle()).isEqualTo(account.handle());
			assertThat(resumed.uri()).startsWith("at://" + account.did() + "/app.bsky.feed.post/");
			assertThat(resumed.events()).containsExactly("update");
			assertThat(proxy.count(CREATE)).isEqualTo(1);
			// resumeSession always refreshes: its one call of its own.
			assertThat(proxy.count(REFRESH)).isEqualTo(1);
		}
	}

	@Test
	void theCreateSessionAnswerAsThePhpSdkKeepsItWorksInTheClientAndThenInTheTypeScriptSdk(ReferencePds pds) {
		ReferencePds.Account account = pds.createAccount();
		try (CountingProxy proxy = new CountingProxy(pds.url()); TypeScriptSdk typeScript = TypeScriptSdk.start()) {
			Xrpc.Response answer = new Xrpc(proxy.url()).post(CREATE,
					Map.of("identifier", account.handle(), "password", account.password()), null,
					Map.of("X-Forwarded-For", ReferencePds.newClientIp()));
			assertThat(answer.status()).isEqualTo(200);
			assertThat(answer.body().has("didDoc")).isTrue();

			RecordedEvents events = new RecordedEvents();
			AtprotoClient client = pds.clientBuilder().service(proxy.url()).sessionChangeListener(events).build();
			Session imported = client.importSession(answer.rawBody());

			assertThat(imported.pdsEndpoint()).isEqualTo(pds.publicUrl());
			assertThat(imported.email()).isEqualTo(account.email());
			assertThat(client.getSession().did()).isEqualTo(account.did());
			assertThat(events.events()).containsExactly(SessionEvent.IMPORT);

			String exported = client.exportSessionJson();
			assertThat(typeScript.inspect(exported).pdsEndpoint()).isEqualTo(pds.publicUrl());
			TypeScriptSdk.Resumed resumed = typeScript.resume(proxy.url(), exported, ReferencePds.newClientIp(),
					"posted by @atproto/api with a PHP-form session");
			assertThat(resumed.did()).isEqualTo(account.did());
			assertThat(resumed.pdsUrl()).isEqualTo(pds.publicUrl() + "/");
			assertThat(proxy.count(CREATE)).isEqualTo(1);
		}
	}

}

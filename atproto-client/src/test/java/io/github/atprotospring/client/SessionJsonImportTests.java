package io.github.atprotospring.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import io.github.atprotospring.test.PdsDouble.RecordedCall;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@link AtprotoClient#importSession(String)} with the JSON form, and
 * {@link AtprotoClient#exportSessionJson()}, against the PDS double.
 */
class SessionJsonImportTests extends PdsDoubleSupport {

	static final String CREATE = "com.atproto.server.createSession";

	static final JsonMapper JSON = JsonMapper.builder().build();

	/** The createSession answer as the PHP SDK keeps it: the answer's JSON as it came. */
	private String createSessionAnswer() {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		try {
			HttpResponse<String> answer = http
				.send(HttpRequest.newBuilder(URI.create(this.pds.url() + "/xrpc/" + CREATE))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers
						.ofString("{\"identifier\":\"" + HANDLE + "\",\"password\":\"" + PASSWORD + "\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).isEqualTo(200);
			return answer.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Test
	void theCreateSessionAnswerIsImportedWithoutANetworkCallAndItsDidDocsPds() {
		String pdsByName = "http://localhost:" + this.pds.port();
		this.pds.setDidDocPdsEndpoint(pdsByName);
		String answer = createSessionAnswer();
		assertThat(JSON.readTree(answer).has("didDoc")).isTrue();
		this.pds.resetCounters();
		Events events = new Events();
		AtprotoClient client = client((builder) -> builder.sessionChangeListener(events));

		Session imported = client.importSession(answer);

		assertThat(this.pds.totalCalls()).isZero();
		assertThat(events.events()).containsExactly(SessionEvent.IMPORT);
		assertThat(imported.did()).isEqualTo(this.did);
		assertThat(imported.email()).isEqualTo(EMAIL);
		assertThat(imported.pdsEndpoint()).isEqualTo(pdsByName);
		assertThat(client.getSession().handle()).isEqualTo(HANDLE);
		assertThat(this.pds.calls()).extracting(RecordedCall::host).containsExactly("localhost:" + this.pds.port());
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void aSessionJsonWithoutDidDocUsesTheClientsService() {
		ObjectNode answer = (ObjectNode) JSON.readTree(createSessionAnswer());
		answer.remove("didDoc");
		this.pds.resetCounters();
		AtprotoClient client = client();

		Session imported = client.importSession(answer.toString());

		assertThat(imported.pdsEndpoint()).isEqualTo(this.pds.url());
		assertThat(client.createPost("from a TypeScript session").uri()).startsWith("at://" + this.did);
		assertThat(this.pds.callCount(CREATE)).isZero();
	}

	@Test
	void anExportedSessionJsonKeepsThePdsInAnotherClientOfAnotherService() {
		String pdsByName = "http://localhost:" + this.pds.port();
		this.pds.setDidDocPdsEndpoint(pdsByName);
		AtprotoClient first = client();
		Session created = first.login(HANDLE, PASSWORD);
		String exported = first.exportSessionJson();
		JsonNode tree = JSON.readTree(exported);
		assertThat(tree.get("accessJwt").stringValue()).isEqualTo(created.accessJwt());
		assertThat(tree.at("/didDoc/service/0/serviceEndpoint").stringValue()).isEqualTo(pdsByName);

		// Plain http, as the PDS: an https service would not hand its tokens to a
		// plain-http PDS.
		AtprotoClient second = AtprotoClient.builder().service("http://entryway.example.com").clock(this.clock).build();
		Session imported = second.importSession(exported);

		assertThat(imported.pdsEndpoint()).isEqualTo(pdsByName);
		assertThat(imported.sameTokensAs(created)).isTrue();
		assertThat(second.getSession().did()).isEqualTo(this.did);
		assertThat(second.exportSessionJson()).isEqualTo(exported);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void anImportedSessionJsonIsSavedToTheStore() {
		InMemorySessionStore store = new InMemorySessionStore();
		AtprotoClient client = client((builder) -> builder.sessionStore(store));
		client.importSession(createSessionAnswer());

		Events events = new Events();
		AtprotoClient restarted = client(
				(builder) -> builder.sessionStore(store).account(HANDLE).sessionChangeListener(events));

		assertThat(events.events()).containsExactly(SessionEvent.IMPORT);
		assertThat(restarted.session()).get().extracting(Session::did).isEqualTo(this.did);
		assertThat(restarted.getSession().handle()).isEqualTo(HANDLE);
		assertThat(this.pds.callCount(CREATE)).isEqualTo(1);
	}

	@Test
	void aMalformedSessionJsonIsRefusedAndTheHeldSessionKept() {
		AtprotoClient client = client();
		Session held = client.login(HANDLE, PASSWORD);
		ObjectNode broken = (ObjectNode) JSON.readTree(client.exportSessionJson());
		broken.remove("refreshJwt");

		assertThatIllegalArgumentException().isThrownBy(() -> client.importSession(broken.toString()))
			.withMessageContaining("refreshJwt")
			.withMessageNotContaining(held.accessJwt());
		assertThat(client.session()).contains(held);
	}

	@Test
	void aSessionStringIsStillReadAsOne() {
		AtprotoClient first = client();
		first.login(HANDLE, PASSWORD);
		AtprotoClient second = client();
		assertThat(second.importSession("  " + first.exportSessionString()).did()).isEqualTo(this.did);
		assertThatIllegalArgumentException().isThrownBy(() -> second.importSession("[" + first.exportSessionJson()))
			.withMessageContaining("session string");
	}

	@Test
	void thereIsNoJsonToExportWithoutASession() {
		assertThatIllegalStateException().isThrownBy(() -> client().exportSessionJson())
			.withMessageContaining("no session");
	}

	@Test
	void everyFieldOfTheServersAnswerIsExportedThatASessionKeeps() {
		AtprotoClient client = client();
		client.login(HANDLE, PASSWORD);
		JsonNode exported = JSON.readTree(client.exportSessionJson());
		assertThat(List.copyOf(exported.propertyNames())).containsExactly("accessJwt", "refreshJwt", "handle", "did",
				"didDoc", "email", "emailConfirmed", "active");
	}

}

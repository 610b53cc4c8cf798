package io.github.atprotospring.client;

import java.util.List;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.atprotospring.test.HostilePds;
import io.github.atprotospring.test.HostilePds.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The PDS endpoint of a session answer's DID document is used only when it passes the
 * reference client's checks and ours: otherwise the session keeps the service that
 * answered, and a warning (that names no token) says why.
 */
class DidDocumentTests extends HostileServerSupport {

	static final String CREATE_SESSION = "com.atproto.server.createSession";

	static final String PDS = "http://pds.example:2583";

	private final ListAppender<ILoggingEvent> warnings = new ListAppender<>();

	private Logger logger;

	@BeforeEach
	void captureWarnings() {
		this.logger = (Logger) LoggerFactory.getLogger(Endpoints.class);
		this.logger.setLevel(Level.DEBUG);
		this.warnings.start();
		this.logger.addAppender(this.warnings);
	}

	@AfterEach
	void stopCapturing() {
		this.logger.detachAppender(this.warnings);
		this.logger.setLevel(null);
	}

	@Test
	void theEndpointOfTheSessionsOwnDocumentIsUsed() {
		Session session = login(HostilePds.didDoc(DID, "#atproto_pds", "AtprotoPersonalDataServer", PDS + "/"));

		assertThat(session.pdsEndpoint()).isEqualTo(PDS);
		assertThat(warnings()).isEmpty();
	}

	@Test
	void aServiceIdWithTheSessionsDidIsAccepted() {
		Session session = login(
				HostilePds.didDoc(DID, DID + "#atproto_pds", "AtprotoPersonalDataServer", "https://pds.example"));

		assertThat(session.pdsEndpoint()).isEqualTo("https://pds.example");
	}

	static Stream<Arguments> foreignDocuments() {
		return Stream.of(
				Arguments.of("of another DID",
						HostilePds.didDoc("did:plc:someoneelse", "#atproto_pds", "AtprotoPersonalDataServer", PDS),
						"not of the session's DID"),
				Arguments.of("with a service id of another DID",
						HostilePds.didDoc(DID, "did:plc:someoneelse#atproto_pds", "AtprotoPersonalDataServer", PDS),
						"names no #atproto_pds service"),
				Arguments.of("with another service type", HostilePds.didDoc(DID, "#atproto_pds", "SomethingElse", PDS),
						"not of type"),
				Arguments.of("with an endpoint that is not http",
						HostilePds.didDoc(DID, "#atproto_pds", "AtprotoPersonalDataServer", "ftp://pds.example"),
						"not an http or https URL"),
				Arguments.of("with an endpoint without a host",
						HostilePds.didDoc(DID, "#atproto_pds", "AtprotoPersonalDataServer", "https:///xrpc"),
						"not an http or https URL"),
				Arguments.of("with an endpoint with user-info",
						HostilePds.didDoc(DID, "#atproto_pds", "AtprotoPersonalDataServer",
								"https://user:pw@pds.example"),
						"user-info"),
				Arguments.of("with an endpoint that is an object",
						"{\"id\":\"" + DID + "\",\"service\":[{\"id\":\"#atproto_pds\",\"type\":"
								+ "\"AtprotoPersonalDataServer\",\"serviceEndpoint\":{\"uri\":\"" + PDS + "\"}}]}",
						"has no URL"),
				Arguments.of("that is not an object", "[\"" + PDS + "\"]", "not a JSON object"),
				Arguments.of("without an id", "{\"service\":[]}", "has no id"),
				Arguments.of("with a malformed alsoKnownAs",
						"{\"id\":\"" + DID + "\",\"alsoKnownAs\":\"at://x\",\"service\":[]}", "alsoKnownAs"),
				Arguments.of("with a malformed verification method",
						"{\"id\":\"" + DID + "\",\"verificationMethod\":[{\"id\":1}],\"service\":[]}",
						"verificationMethod"),
				Arguments.of("with a service list that is no list",
						"{\"id\":\"" + DID + "\",\"service\":{\"id\":\"#atproto_pds\"}}", "service list"),
				Arguments.of(
						"with a service entry without a type", "{\"id\":\"" + DID
								+ "\",\"service\":[{\"id\":\"#atproto_pds\",\"serviceEndpoint\":\"" + PDS + "\"}]}",
						"service list"));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("foreignDocuments")
	void aDocumentThatFailsACheckIsIgnoredWithAWarning(String what, String didDoc, String reason) {
		Session session = login(didDoc);

		assertThat(session.pdsEndpoint()).isEqualTo(this.hostile.url());
		assertThat(this.warnings.list).anySatisfy((event) -> assertThat(event.getFormattedMessage())
			.contains(CREATE_SESSION, DID, reason, this.hostile.url()));
		assertThat(this.warnings.list)
			.allSatisfy((event) -> assertThat(event.getFormattedMessage()).doesNotContain("eyJ", PASSWORD, "pw@"));
	}

	@Test
	void onlyTheFirstPdsServiceCounts() {
		String didDoc = "{\"id\":\"" + DID + "\",\"service\":[{\"id\":\"#atproto_pds\",\"type\":\"Other\","
				+ "\"serviceEndpoint\":\"http://first.example\"},{\"id\":\"#atproto_pds\",\"type\":"
				+ "\"AtprotoPersonalDataServer\",\"serviceEndpoint\":\"http://second.example\"}]}";

		assertThat(login(didDoc).pdsEndpoint()).isEqualTo(this.hostile.url());
	}

	@Test
	void aPlainHttpEndpointIsRefusedForAnHttpsService() {
		JsonNode answer = JsonMapper.builder()
			.build()
			.readTree(HostilePds.sessionJson(DID, HANDLE, token(), token(),
					HostilePds.didDoc(DID, "#atproto_pds", "AtprotoPersonalDataServer", "http://pds.example")));

		Session overHttps = SessionAnswers.toSession(CREATE_SESSION, answer, "https://entryway.example", null);
		Session overHttp = SessionAnswers.toSession(CREATE_SESSION, answer, "http://entryway.example", null);

		assertThat(overHttps.pdsEndpoint()).isEqualTo("https://entryway.example");
		assertThat(warnings()).anySatisfy((message) -> assertThat(message).contains("plain http"));
		assertThat(overHttp.pdsEndpoint()).isEqualTo("http://pds.example");
	}

	@Test
	void anHttpsEndpointIsAcceptedForAnHttpsService() {
		JsonNode answer = JsonMapper.builder()
			.build()
			.readTree(HostilePds.sessionJson(DID, HANDLE, token(), token(),
					HostilePds.didDoc(DID, "#atproto_pds", "AtprotoPersonalDataServer", "https://pds.example/")));

		assertThat(SessionAnswers.toSession(CREATE_SESSION, answer, "https://entryway.example", null).pdsEndpoint())
			.isEqualTo("https://pds.example");
	}

	@Test
	void aRefreshWithAForeignDocumentKeepsTheEndpointItHad() {
		this.hostile.on("com.atproto.server.refreshSession",
				Answer.json(200,
						HostilePds.sessionJson(DID, HANDLE, token(), token(), HostilePds.didDoc("did:plc:someoneelse",
								"#atproto_pds", "AtprotoPersonalDataServer", "http://elsewhere.example"))));
		AtprotoClient client = client();
		client.importSession(session());

		assertThat(client.refreshSession().pdsEndpoint()).isEqualTo(this.hostile.url());
	}

	private Session login(String didDoc) {
		this.hostile.on(CREATE_SESSION, Answer.json(200, "{\"accessJwt\":\"" + token() + "\",\"refreshJwt\":\""
				+ token() + "\",\"did\":\"" + DID + "\",\"handle\":\"" + HANDLE + "\",\"didDoc\":" + didDoc + "}"));
		return client().login(HANDLE, PASSWORD);
	}

	private List<String> warnings() {
		return this.warnings.list.stream()
			.filter((event) -> event.getLevel() == Level.WARN)
			.map(ILoggingEvent::getFormattedMessage)
			.toList();
	}

}

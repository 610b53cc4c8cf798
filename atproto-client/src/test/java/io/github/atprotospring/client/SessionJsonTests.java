package io.github.atprotospring.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The JSON form of the PHP and TypeScript SDKs, read and written.
 * <p>
 * The two fixtures are real output with the tokens swapped:
 * {@code php-create-session.json} is a {@code createSession} answer of the reference PDS
 * ({@code @atproto/pds} 0.4.217 with {@code PDS_ENABLE_DID_DOC_WITH_SESSION=true})
 * written the way PHP's {@code json_encode} writes it (compact, slashes escaped);
 * {@code ts-atp-session-data.json} is what {@code @atproto/api} 0.19.19 handed to its
 * {@code persistSession} after a login there, through {@code JSON.stringify}. Their
 * tokens were minted for the tests with the same claims as the server's, signed with a
 * secret no server uses.
 */
class SessionJsonTests {

	// Plain http, as the fixture's PDS: a client refuses a plain-http PDS named by the
	// DID document of a session that came over https.
	static final String SERVICE = "http://entryway.example.com";

	static final String PHP_FIXTURE = "session-json/php-create-session.json";

	static final String TS_FIXTURE = "session-json/ts-atp-session-data.json";

	static final String ACCESS = SessionStringTests.ACCESS;

	static final String REFRESH = SessionStringTests.REFRESH;

	static final JsonMapper JSON = JsonMapper.builder().build();

	static String fixture(String name) {
		try (InputStream in = SessionJsonTests.class.getResourceAsStream(name)) {
			assertThat(in).as(name).isNotNull();
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static ObjectNode tree(String json) {
		return (ObjectNode) JSON.readTree(json);
	}

	/** A valid JSON form with the test tokens, in the TypeScript SDK's shape. */
	static ObjectNode minimal() {
		ObjectNode node = JSON.createObjectNode();
		node.put("accessJwt", ACCESS);
		node.put("refreshJwt", REFRESH);
		node.put("handle", "alice.test");
		node.put("did", "did:plc:abc");
		node.put("active", true);
		return node;
	}

	@Test
	void readsThePhpFormWithThePdsOfItsDidDoc() {
		String json = fixture(PHP_FIXTURE);
		JsonNode expected = tree(json);
		assertThat(json).contains("https:\\/\\/");
		assertThat(SessionJson.isJson(json)).isTrue();

		Session session = SessionJson.parse(json, SERVICE);

		assertThat(session.handle()).isEqualTo("alice-php.test");
		assertThat(session.did()).isEqualTo(expected.get("did").stringValue());
		assertThat(session.accessJwt()).isEqualTo(expected.get("accessJwt").stringValue());
		assertThat(session.refreshJwt()).isEqualTo(expected.get("refreshJwt").stringValue());
		assertThat(session.pdsEndpoint()).isEqualTo(expected.at("/didDoc/service/0/serviceEndpoint").stringValue())
			.isNotEqualTo(SERVICE);
		assertThat(session.email()).isEqualTo("alice-php@example.com");
		assertThat(session.emailConfirmed()).isFalse();
		assertThat(session.active()).isTrue();
		assertThat(session.status()).isNull();
		assertThat(session.accessExpiresAt()).isPresent();
		assertThat(session.refreshExpiresAt()).isPresent();
	}

	@Test
	void readsTheTypeScriptFormWithTheServiceAsItsPds() {
		String json = fixture(TS_FIXTURE);
		JsonNode expected = tree(json);

		Session session = SessionJson.parse(json, SERVICE + "/");

		assertThat(session.handle()).isEqualTo("bob-ts.test");
		assertThat(session.did()).isEqualTo(expected.get("did").stringValue());
		assertThat(session.accessJwt()).isEqualTo(expected.get("accessJwt").stringValue());
		assertThat(session.refreshJwt()).isEqualTo(expected.get("refreshJwt").stringValue());
		assertThat(session.pdsEndpoint()).isEqualTo(SERVICE);
		assertThat(session.email()).isEqualTo("bob-ts@example.com");
		assertThat(session.emailConfirmed()).isFalse();
		assertThat(session.active()).isTrue();
	}

	@Test
	void ignoresUnknownFieldsAndNullOptionalOnes() {
		ObjectNode node = minimal();
		node.put("emailAuthFactor", false);
		node.putNull("email");
		node.putNull("status");
		node.put("someFieldOfANewerSdk", "x");
		node.putObject("nested").put("accessJwt", 42);

		Session session = SessionJson.parse(node.toString(), SERVICE);

		assertThat(session.did()).isEqualTo("did:plc:abc");
		assertThat(session.email()).isNull();
		assertThat(session.status()).isNull();
	}

	@Test
	void aDidDocWithoutAPdsServiceLeavesTheService() {
		ObjectNode node = minimal();
		node.putObject("didDoc").put("id", "did:plc:abc").putArray("service");
		assertThat(SessionJson.parse(node.toString(), SERVICE).pdsEndpoint()).isEqualTo(SERVICE);
	}

	@Test
	void writesThePhpFormWithAMinimalDidDocThatNamesThePds() {
		Session session = new Session("alice.test", "did:plc:abc", ACCESS, REFRESH, "https://pds.example.com/",
				"alice@example.com", true, null, null);

		JsonNode written = tree(SessionJson.format(session));

		assertThat(written.get("accessJwt").stringValue()).isEqualTo(ACCESS);
		assertThat(written.get("refreshJwt").stringValue()).isEqualTo(REFRESH);
		assertThat(written.get("handle").stringValue()).isEqualTo("alice.test");
		assertThat(written.get("did").stringValue()).isEqualTo("did:plc:abc");
		assertThat(written.get("email").stringValue()).isEqualTo("alice@example.com");
		assertThat(written.get("emailConfirmed").booleanValue()).isTrue();
		// AtpSessionData requires active; the TypeScript SDK assumes true when unknown.
		assertThat(written.get("active").booleanValue()).isTrue();
		assertThat(written.has("status")).isFalse();
		assertThat(written.at("/didDoc/id").stringValue()).isEqualTo("did:plc:abc");
		assertThat(written.at("/didDoc/service")).hasSize(1);
		assertThat(written.at("/didDoc/service/0/id").stringValue()).isEqualTo("#atproto_pds");
		assertThat(written.at("/didDoc/service/0/type").stringValue()).isEqualTo("AtprotoPersonalDataServer");
		assertThat(written.at("/didDoc/service/0/serviceEndpoint").stringValue()).isEqualTo("https://pds.example.com");
	}

	@Test
	void whatIsWrittenIsReadBackWithItsPdsWhateverTheFallback() {
		Session session = new Session("alice.test", "did:plc:abc", ACCESS, REFRESH, "https://pds.example.com", null,
				null, false, "deactivated");

		Session read = SessionJson.parse(SessionJson.format(session), SERVICE);

		assertThat(read).isEqualTo(session);
	}

	@Test
	void thePhpFixtureSurvivesARoundTripExceptItsFullDidDoc() {
		Session session = SessionJson.parse(fixture(PHP_FIXTURE), SERVICE);
		assertThat(SessionJson.parse(SessionJson.format(session), "http://elsewhere.example.com")).isEqualTo(session);
	}

	@Test
	void noticesTheJsonShapeAfterBlanksOnly() {
		assertThat(SessionJson.isJson("  \n{\"a\":1}")).isTrue();
		assertThat(SessionJson.isJson("alice.test:::did:plc:abc:::a:::b:::https://x")).isFalse();
		assertThat(SessionJson.isJson("[{}]")).isFalse();
		assertThat(SessionJson.isJson(null)).isFalse();
	}

	static Stream<Arguments> malformed() {
		List<Arguments> cases = new ArrayList<>();
		for (String field : List.of("accessJwt", "refreshJwt", "handle", "did")) {
			cases.add(Arguments.of(field + " missing", edit((node) -> node.remove(field)), field, "missing"));
			cases.add(Arguments.of(field + " null", edit((node) -> node.putNull(field)), field, "missing"));
			cases.add(Arguments.of(field + " a number", edit((node) -> node.put(field, 42)), field,
					"must be a string, but is a number"));
			cases.add(Arguments.of(field + " an object", edit((node) -> node.putObject(field)), field,
					"must be a string, but is an object"));
			cases.add(Arguments.of(field + " empty", edit((node) -> node.put(field, " ")), field, "empty"));
		}
		for (String field : List.of("accessJwt", "refreshJwt")) {
			String token = (field.equals("accessJwt")) ? ACCESS : REFRESH;
			cases.add(Arguments.of(field + " with CR LF", edit((node) -> node.put(field, token + "\r\nX-Evil: 1")),
					field, "a character a JWT cannot have"));
			cases.add(Arguments.of(field + " with a trailing LF", edit((node) -> node.put(field, token + "\n")), field,
					"a character a JWT cannot have"));
			cases.add(Arguments.of(field + " not a JWT", edit((node) -> node.put(field, "bm90LWEtand0.secret-part")),
					field, "not a JWT"));
			cases.add(Arguments.of(field + " with a payload that is no JSON",
					edit((node) -> node.put(field, "aGVhZGVy.bm90LWpzb24.c2ln")), field, "not a JWT"));
		}
		cases.add(Arguments.of("did without did:", edit((node) -> node.put("did", "plc:abc")), "did", "did:"));
		cases.add(Arguments.of("handle with LF", edit((node) -> node.put("handle", "alice.test\nINFO forged")),
				"handle", "control character"));
		cases.add(Arguments.of("did too long", edit((node) -> node.put("did", "did:plc:" + "a".repeat(3000))), "did",
				"at most 2048"));
		cases.add(Arguments.of("active a string", edit((node) -> node.put("active", "true")), "active",
				"must be true or false, but is a string"));
		cases.add(Arguments.of("emailConfirmed a number", edit((node) -> node.put("emailConfirmed", 1)),
				"emailConfirmed", "must be true or false, but is a number"));
		cases.add(Arguments.of("emailAuthFactor a string", edit((node) -> node.put("emailAuthFactor", "no")),
				"emailAuthFactor", "must be true or false"));
		cases.add(Arguments.of("email an array", edit((node) -> node.putArray("email")), "email",
				"must be a string, but is an array"));
		cases.add(Arguments.of("status a boolean", edit((node) -> node.put("status", false)), "status",
				"must be a string, but is a boolean"));
		cases.add(Arguments.of("email with CR", edit((node) -> node.put("email", "a@example.com\r")), "email",
				"control character"));
		cases.add(Arguments.of("didDoc a string", edit((node) -> node.put("didDoc", "https://pds.example.com")),
				"didDoc", "must be an object"));
		cases.add(Arguments.of("didDoc of another DID",
				edit((node) -> node.set("didDoc", pdsDidDoc("did:plc:other", "https://pds.example.com"))), "didDoc.id",
				"does not name the DID"));
		cases.add(Arguments.of("didDoc.service an object",
				edit((node) -> node.putObject("didDoc").put("id", "did:plc:abc").putObject("service")),
				"didDoc.service", "must be an array"));
		return cases.stream();
	}

	static String edit(Consumer<ObjectNode> change) {
		ObjectNode node = minimal();
		change.accept(node);
		return node.toString();
	}

	static ObjectNode pdsDidDoc(String did, String endpoint) {
		ObjectNode didDoc = JSON.createObjectNode();
		didDoc.put("id", did);
		ObjectNode service = didDoc.putArray("service").addObject();
		service.put("id", "#atproto_pds");
		service.put("type", "AtprotoPersonalDataServer");
		service.put("serviceEndpoint", endpoint);
		return didDoc;
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("malformed")
	void refusesAMalformedFieldByNameWithoutEchoingATokenOrTheText(String name, String json, String field,
			String what) {
		IllegalArgumentException ex = catchThrowableOfType(IllegalArgumentException.class,
				() -> SessionJson.parse(json, SERVICE));
		assertThat(ex).as(name).isNotNull();
		assertThat(ex.getMessage()).contains("Field " + field + " ").contains(what);
		assertNoSecretIn(ex);
	}

	@ParameterizedTest
	@ValueSource(strings = { "{", "{\"accessJwt\": \"%s\", }", "{\"accessJwt\": \"%s\" \"refreshJwt\": 1}",
			"{\"accessJwt\": %s}", "{\"accessJwt\": \"%s\"} trailing", "{\"accessJwt\": \"%s\"}{}" })
	void refusesTextThatIsNotOneJsonObjectWithoutQuotingIt(String template) {
		String json = template.replace("%s", ACCESS);
		IllegalArgumentException ex = catchThrowableOfType(IllegalArgumentException.class,
				() -> SessionJson.parse(json, SERVICE));
		assertThat(ex).isNotNull();
		assertThat(ex.getMessage()).startsWith("The session JSON is not one well-formed JSON object");
		assertNoSecretIn(ex);
	}

	@Test
	void refusesAFieldGivenTwice() {
		String json = "{\"accessJwt\":\"" + ACCESS + "\",\"refreshJwt\":\"" + REFRESH
				+ "\",\"handle\":\"alice.test\",\"did\":\"did:plc:abc\",\"accessJwt\":\"" + REFRESH + "\"}";
		assertThatIllegalArgumentException().isThrownBy(() -> SessionJson.parse(json, SERVICE))
			.withMessageContaining("a field is given twice")
			.withMessageContaining("line 1")
			.withMessageNotContaining(ACCESS)
			.withMessageNotContaining(REFRESH);
	}

	@Test
	void refusesHugeTextBeforeParsingIt() {
		ObjectNode node = minimal();
		node.put("padding", "x".repeat(SessionJson.MAX_LENGTH));
		assertThatIllegalArgumentException().isThrownBy(() -> SessionJson.parse(node.toString(), SERVICE))
			.withMessageContaining("characters long")
			.withMessageContaining("at most " + SessionJson.MAX_LENGTH)
			.withMessageNotContaining(ACCESS);
	}

	@Test
	void refusesDeepNesting() {
		String deep = "[".repeat(SessionJson.MAX_DEPTH * 4) + "]".repeat(SessionJson.MAX_DEPTH * 4);
		String json = edit((node) -> node.putNull("x")).replace("null", deep);
		assertThatIllegalArgumentException().isThrownBy(() -> SessionJson.parse(json, SERVICE))
			.withMessageContaining("nesting")
			.withMessageNotContaining(ACCESS);
	}

	@ParameterizedTest
	@ValueSource(strings = { "[]", "\"a session\"", "42", "null" })
	void refusesJsonThatIsNoObject(String json) {
		assertThatIllegalArgumentException().isThrownBy(() -> SessionJson.parse(json, SERVICE))
			.withMessageStartingWith("The session JSON must be a JSON object");
	}

	@Test
	void refusesEmptyText() {
		assertThatIllegalArgumentException().isThrownBy(() -> SessionJson.parse("  ", SERVICE))
			.withMessage("The session JSON is empty");
	}

	@Test
	void refusesAFallbackThatIsNoHttpUrl() {
		assertThatIllegalArgumentException().isThrownBy(() -> SessionJson.parse(minimal().toString(), "ftp://x"))
			.withMessageContaining("fallback PDS endpoint");
	}

	private static void assertNoSecretIn(Throwable ex) {
		for (Throwable t = ex; t != null; t = t.getCause()) {
			assertThat(t.getMessage()).doesNotContain(ACCESS)
				.doesNotContain(REFRESH)
				.doesNotContain(ACCESS.substring(ACCESS.lastIndexOf('.') + 1))
				.doesNotContain("secret-part")
				.doesNotContain("X-Evil");
		}
		assertThat(ex.getCause()).isNull();
	}

}

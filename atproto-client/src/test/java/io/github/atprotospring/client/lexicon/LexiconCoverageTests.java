package io.github.atprotospring.client.lexicon;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.lexicon.generator.LexiconDocuments;
import io.github.atprotospring.lexicon.generator.LexiconPackage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every lexicon document of the pinned package has its generated class, and every query
 * and procedure a call method on the group of its namespace, reached from the client. The
 * documents are read from the package itself, and the names the contract gives computed
 * here, apart from the generator's own naming.
 */
class LexiconCoverageTests {

	private static final String PACKAGE = "io.github.atprotospring.client.lexicon.";

	private static LexiconDocuments documents;

	@BeforeAll
	static void readLexicons() {
		String localRepository = System.getProperty("atproto.lexicons.localRepository",
				Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
		documents = LexiconPackage.ATPROTO_API.documents(LexiconPackage.cacheIn(Path.of(localRepository)));
	}

	@Test
	void thePinnedPackageHasEveryNamespace() {
		assertThat(documents.size()).isEqualTo(387);
		assertThat(documents.byId().keySet()).anyMatch((id) -> id.startsWith("app.bsky."))
			.anyMatch((id) -> id.startsWith("chat.bsky."))
			.anyMatch((id) -> id.startsWith("com.atproto."))
			.anyMatch((id) -> id.startsWith("tools.ozone."));
	}

	@Test
	void everyDocumentAndDefinitionHasItsGeneratedType() {
		List<String> missing = new ArrayList<>();
		for (Map.Entry<String, JsonNode> document : documents.byId().entrySet()) {
			String id = document.getKey();
			Class<?> type = load(className(id));
			if (type == null) {
				missing.add(id + " (class " + className(id) + ")");
				continue;
			}
			for (Map.Entry<String, JsonNode> def : document.getValue().path("defs").properties()) {
				String name = def.getKey();
				String ref = "main".equals(name) ? id : id + "#" + name;
				switch (def.getValue().path("type").asString()) {
					case "record" -> {
						Class<?> record = nested(type, "Record");
						if (record == null || !record.isRecord() || !ref.equals(constant(record, "TYPE"))) {
							missing.add(ref + " (Record with TYPE)");
						}
					}
					case "object" -> {
						Class<?> object = nested(type, "main".equals(name) ? "Main" : upperCamel(name));
						if (object == null || !object.isRecord()) {
							missing.add(ref + " (record)");
						}
					}
					case "token" -> {
						if (!ref.equals(constant(type, constantName(name)))) {
							missing.add(ref + " (constant " + constantName(name) + ")");
						}
					}
					case "string" -> {
						JsonNode known = def.getValue().has("knownValues") ? def.getValue().get("knownValues")
								: def.getValue().get("enum");
						if (known != null && known.size() > 0) {
							List<String> values = new ArrayList<>();
							known.forEach((value) -> values.add(value.asString()));
							Class<?> holder = nested(type, upperCamel(name));
							if (holder == null || !stringConstants(holder).containsAll(values)
									|| stringConstants(holder).size() != values.size()) {
								missing.add(ref + " (" + upperCamel(name) + " with a constant per value)");
							}
						}
					}
					case "query", "procedure" -> {
						JsonNode schema = def.getValue();
						if (schema.path("parameters").path("properties").size() > 0
								&& !hasMethod(nested(type, "Params"), "toQuery")) {
							missing.add(ref + " (Params with toQuery)");
						}
						if (isJsonObject(schema.path("input")) && nested(type, "Input") == null) {
							missing.add(ref + " (Input)");
						}
						if (isJsonObject(schema.path("output")) && nested(type, "Output") == null) {
							missing.add(ref + " (Output)");
						}
					}
					default -> {
					}
				}
			}
		}
		assertThat(missing).as("lexicon definitions without a generated type").isEmpty();
	}

	@Test
	void everyQueryAndProcedureHasItsCallOnTheGroupOfItsNamespace() throws ReflectiveOperationException {
		List<String> missing = new ArrayList<>();
		int calls = 0;
		for (Map.Entry<String, JsonNode> document : documents.byId().entrySet()) {
			String id = document.getKey();
			String type = document.getValue().path("defs").path("main").path("type").asString("");
			if (!type.equals("query") && !type.equals("procedure")) {
				continue;
			}
			calls++;
			String[] segments = id.split("\\.");
			// client.app().bsky().feed().getTimeline(...)
			Class<?> group = AtprotoClient.class.getMethod(segments[0]).getReturnType();
			for (int i = 1; i < segments.length - 1 && group != null; i++) {
				Method child = findMethod(group, segments[i]);
				group = (child != null) ? child.getReturnType() : null;
			}
			String expectedGroup = className(String.join(".", Arrays.copyOf(segments, segments.length - 1))) + "Calls";
			if (group == null || !group.getSimpleName().equals(expectedGroup)
					|| findMethod(group, segments[segments.length - 1]) == null) {
				missing.add(id + " (" + expectedGroup + "." + segments[segments.length - 1] + ")");
			}
		}
		assertThat(calls).isEqualTo(177 + 142);
		assertThat(missing).as("queries and procedures without a call method").isEmpty();
	}

	@Test
	void knownValuesOfStringDefinitionsAreConstantsNamedAfterTheValue() {
		assertThat(ComAtprotoLabelDefs.LabelValue.PORN).isEqualTo("porn");
		assertThat(ComAtprotoLabelDefs.LabelValue.NO_UNAUTHENTICATED).isEqualTo("!no-unauthenticated");
		assertThat(ChatBskyConvoDefs.ConvoLockStatus.LOCKED_PERMANENTLY).isEqualTo("locked-permanently");
		assertThat(AppBskyGraphDefs.ListPurpose.MODLIST).isEqualTo(AppBskyGraphDefs.MODLIST);
		assertThat(ComAtprotoModerationDefs.ReasonType.REASON_SPAM).isEqualTo(ComAtprotoModerationDefs.REASON_SPAM);
		assertThat(ComAtprotoModerationDefs.ReasonType.REASON_APPEAL).isEqualTo(ComAtprotoModerationDefs.REASON_APPEAL);
		assertThat(ComAtprotoModerationDefs.ReasonType.OZONE_REPORT_REASON_APPEAL)
			.isEqualTo(ToolsOzoneReportDefs.REASON_APPEAL);
	}

	@Test
	void subscriptionsHaveNoCallMethod() {
		assertThat(findMethod(ComAtprotoSyncCalls.class, "subscribeRepos")).isNull();
		assertThat(findMethod(ComAtprotoLabelCalls.class, "subscribeLabels")).isNull();
	}

	private static boolean isJsonObject(JsonNode body) {
		return "application/json".equals(body.path("encoding").asString(""))
				&& "object".equals(body.path("schema").path("type").asString(""));
	}

	private static String className(String nsid) {
		StringBuilder name = new StringBuilder();
		for (String segment : nsid.split("\\.")) {
			name.append(upperCamel(segment));
		}
		return name.toString();
	}

	private static String upperCamel(String name) {
		return Character.toUpperCase(name.charAt(0)) + name.substring(1);
	}

	private static String constantName(String name) {
		return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(java.util.Locale.ROOT);
	}

	private static Class<?> load(String simpleName) {
		try {
			return Class.forName(PACKAGE + simpleName);
		}
		catch (ClassNotFoundException ex) {
			return null;
		}
	}

	private static Class<?> nested(Class<?> type, String simpleName) {
		if (type == null) {
			return null;
		}
		return Arrays.stream(type.getDeclaredClasses())
			.filter((nested) -> nested.getSimpleName().equals(simpleName))
			.findFirst()
			.orElse(null);
	}

	private static Object constant(Class<?> type, String name) {
		try {
			Field field = type.getField(name);
			return Modifier.isStatic(field.getModifiers()) ? field.get(null) : null;
		}
		catch (ReflectiveOperationException ex) {
			return null;
		}
	}

	/** The values of a class's public static final {@code String} fields. */
	private static List<Object> stringConstants(Class<?> type) {
		return Arrays.stream(type.getFields())
			.filter((field) -> field.getType() == String.class && Modifier.isStatic(field.getModifiers())
					&& Modifier.isFinal(field.getModifiers()))
			.map((field) -> constant(type, field.getName()))
			.toList();
	}

	private static boolean hasMethod(Class<?> type, String name) {
		return type != null && findMethod(type, name) != null;
	}

	private static Method findMethod(Class<?> type, String name) {
		return Arrays.stream(type.getMethods())
			.filter((method) -> method.getName().equals(name))
			.findFirst()
			.orElse(null);
	}

}

package io.github.atprotospring.lexicon.generator;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generator's output depends on the lexicons alone: two runs give the same bytes, and
 * so does the package's documents given in another order, with their definitions in
 * another order.
 */
class JavaGeneratorTests {

	private static Path tarball;

	private static LexiconDocuments documents;

	@BeforeAll
	static void readPinnedPackage() {
		String localRepository = System.getProperty("atproto.lexicons.localRepository",
				Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
		tarball = LexiconPackage.ATPROTO_API.fetch(LexiconPackage.cacheIn(Path.of(localRepository)));
		documents = LexiconDocuments.parse(LexiconPackage.readEntry(tarball, LexiconPackage.LEXICONS_ENTRY));
	}

	@Test
	void thePinnedPackageIsTheOneItsIntegrityNames() throws IOException {
		assertThat(LexiconPackage.integrityOf(Files.readAllBytes(tarball)))
			.isEqualTo(LexiconPackage.ATPROTO_API.integrity());
		assertThat(documents.size()).isEqualTo(387);
	}

	@Test
	void knownValuesBecomeConstantsAndTokensOfAnotherDocumentSayWhichOne() {
		String document = "com.atproto.moderation.defs";
		assertThat(JavaGenerator.knownValueConstant("com.atproto.label.defs", "!no-unauthenticated"))
			.isEqualTo("NO_UNAUTHENTICATED");
		assertThat(JavaGenerator.knownValueConstant("chat.bsky.convo.defs", "locked-permanently"))
			.isEqualTo("LOCKED_PERMANENTLY");
		assertThat(JavaGenerator.knownValueConstant(document, document + "#reasonAppeal")).isEqualTo("REASON_APPEAL");
		assertThat(JavaGenerator.knownValueConstant(document, "tools.ozone.report.defs#reasonChildSafetyCSAM"))
			.isEqualTo("OZONE_REPORT_REASON_CHILD_SAFETY_CSAM");
	}

	@Test
	void twoRunsWriteTheSameBytes() {
		SortedMap<String, String> first = generate(documents);
		SortedMap<String, String> second = generate(
				LexiconDocuments.parse(LexiconPackage.readEntry(tarball, LexiconPackage.LEXICONS_ENTRY)));
		assertThat(second).isEqualTo(first);
		assertThat(first).hasSizeGreaterThan(387)
			.containsKey("io/github/atprotospring/client/lexicon/AppBskyFeedPost.java")
			.containsKey("io/github/atprotospring/client/lexicon/AppBskyFeedCalls.java");
	}

	@Test
	void theOrderOfDocumentsAndDefinitionsDoesNotChangeTheOutput() {
		List<JsonNode> shuffled = new ArrayList<>();
		for (JsonNode document : documents.byId().values()) {
			ObjectNode copy = (ObjectNode) document.deepCopy();
			ObjectNode defs = copy.objectNode();
			List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(document.path("defs").properties());
			Collections.reverse(entries);
			entries.forEach((entry) -> defs.set(entry.getKey(), entry.getValue().deepCopy()));
			copy.set("defs", defs);
			shuffled.add(copy);
		}
		Collections.reverse(shuffled);
		assertThat(generate(LexiconDocuments.of(shuffled))).isEqualTo(generate(documents));
	}

	@Test
	void onlyChangedFilesAreWrittenAndStaleOnesDeleted(@TempDir Path output) throws IOException {
		SortedMap<String, String> files = generate(documents);
		assertThat(Generate.write(output, files)).isEqualTo(files.size());
		Path stale = output.resolve("io/github/atprotospring/client/lexicon/Gone.java");
		Files.writeString(stale, "class Gone {}");
		Path post = output.resolve("io/github/atprotospring/client/lexicon/AppBskyFeedPost.java");
		Files.writeString(post, "changed by hand");

		assertThat(Generate.write(output, files)).isEqualTo(1);
		assertThat(stale).doesNotExist();
		assertThat(Files.readString(post, StandardCharsets.UTF_8))
			.isEqualTo(files.get("io/github/atprotospring/client/lexicon/AppBskyFeedPost.java"));
	}

	@Test
	void theSchemaDictOfAJavaScriptModuleIsRead() {
		String js = "import { Lexicons } from '@atproto/lexicon';\nexport const schemaDict = {\n"
				+ "  ComExampleThing: {\n    lexicon: 1,\n    id: 'com.example.thing',\n"
				+ "    defs: { main: { type: 'token', description: \"It's a 'thing'\", }, },\n  },\n};\n"
				+ "export const schemas = Object.values(schemaDict);\n";
		LexiconDocuments read = LexiconDocuments.parse(js);
		assertThat(read.byId()).containsOnlyKeys("com.example.thing");
		assertThat(read.resolve("lex:com.example.thing", "x").schema().path("description").asString())
			.isEqualTo("It's a 'thing'");
	}

	@Test
	void namesFollowTheNsids() {
		assertThat(JavaGenerator.className("app.bsky.feed.post")).isEqualTo("AppBskyFeedPost");
		assertThat(JavaGenerator.className("com.atproto.repo.strongRef")).isEqualTo("ComAtprotoRepoStrongRef");
		assertThat(JavaGenerator.groupClassName("app.bsky.feed")).isEqualTo("AppBskyFeedCalls");
		assertThat(JavaGenerator.constantName("requestLess")).isEqualTo("REQUEST_LESS");
		assertThat(JavaGenerator.member("default")).isEqualTo("default_");
	}

	@Test
	void lexiconTextCannotBreakOutOfJavadoc() {
		assertThat(JavaGenerator.escape("a */ b <i>&</i> @see {@link X} \\u0041"))
			.doesNotContain("*/", "<", ">", "@", "{", "\\u")
			.contains("&amp;", "&lt;", "&#64;");
	}

	private static SortedMap<String, String> generate(LexiconDocuments documents) {
		return new JavaGenerator(documents, LexiconPackage.ATPROTO_API).generate();
	}

}

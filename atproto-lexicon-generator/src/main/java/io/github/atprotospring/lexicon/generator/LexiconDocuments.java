package io.github.atprotospring.lexicon.generator;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import tools.jackson.core.JsonParser;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The lexicon documents of a package, by NSID (sorted, so that everything derived from
 * them comes out in one order whatever order the package lists them in).
 */
public final class LexiconDocuments {

	private static final String START = "export const schemaDict = ";

	private final SortedMap<String, JsonNode> documents;

	private LexiconDocuments(SortedMap<String, JsonNode> documents) {
		this.documents = Collections.unmodifiableSortedMap(documents);
	}

	/**
	 * Documents given as JSON trees, each with its {@code id}.
	 * @param documents the documents, in any order
	 * @return the documents by NSID
	 * @throws IllegalArgumentException if two documents have one id
	 */
	public static LexiconDocuments of(Collection<JsonNode> documents) {
		SortedMap<String, JsonNode> byId = new TreeMap<>();
		for (JsonNode document : documents) {
			String id = document.path("id").asString("");
			if (id.isEmpty()) {
				throw new IllegalArgumentException("A lexicon document has no id");
			}
			if (byId.put(id, document) != null) {
				throw new IllegalArgumentException("Two lexicon documents have the id " + id);
			}
		}
		return new LexiconDocuments(byId);
	}

	/**
	 * The documents of the {@code schemaDict} object literal of {@code lexicons.js}: a
	 * JavaScript object with unquoted names, single-quoted strings and trailing commas,
	 * which Jackson reads with its lenient features.
	 * @param lexiconsJs the text of {@code lexicons.js}
	 * @return the documents
	 */
	public static LexiconDocuments parse(String lexiconsJs) {
		int start = lexiconsJs.indexOf(START);
		if (start < 0) {
			throw new IllegalArgumentException("The text has no '" + START.strip() + "'");
		}
		JsonMapper lenient = JsonMapper.builder()
			.enable(JsonReadFeature.ALLOW_UNQUOTED_PROPERTY_NAMES, JsonReadFeature.ALLOW_SINGLE_QUOTES,
					JsonReadFeature.ALLOW_TRAILING_COMMA, JsonReadFeature.ALLOW_BACKSLASH_ESCAPING_ANY_CHARACTER)
			.disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.build();
		// The parser stops at the end of the object: what follows it is other JavaScript.
		try (JsonParser parser = lenient.createParser(lexiconsJs.substring(start + START.length()))) {
			JsonNode dict = lenient.readTree(parser);
			if (dict == null || !dict.isObject()) {
				throw new IllegalArgumentException("schemaDict is not an object");
			}
			return of(dict.values());
		}
	}

	/**
	 * The documents by NSID.
	 * @return an unmodifiable sorted map
	 */
	public SortedMap<String, JsonNode> byId() {
		return this.documents;
	}

	/**
	 * The number of documents.
	 * @return the count
	 */
	public int size() {
		return this.documents.size();
	}

	/**
	 * The definition a reference points to.
	 * @param ref a reference, such as {@code lex:app.bsky.feed.defs#postView},
	 * {@code app.bsky.feed.post} or {@code #replyRef}
	 * @param contextId the NSID of the document the reference is in
	 * @return the definition, or {@code null} if there is none
	 */
	public Def resolve(String ref, String contextId) {
		String plain = ref.startsWith("lex:") ? ref.substring(4) : ref;
		int hash = plain.indexOf('#');
		String id = (hash < 0) ? plain : plain.substring(0, hash);
		String name = (hash < 0) ? "main" : plain.substring(hash + 1);
		if (id.isEmpty()) {
			id = contextId;
		}
		JsonNode document = this.documents.get(id);
		JsonNode def = (document != null) ? document.path("defs").get(name) : null;
		return (def != null) ? new Def(id, name, def) : null;
	}

	/**
	 * One definition of a document.
	 *
	 * @param id the document's NSID
	 * @param name the definition's name ({@code main} for the main one)
	 * @param schema the definition
	 */
	public record Def(String id, String name, JsonNode schema) {

		/**
		 * The definition's type ({@code object}, {@code record}, {@code query} ...).
		 * @return the type
		 */
		public String type() {
			return this.schema.path("type").asString("");
		}

		/**
		 * The full reference, as {@code $type} names it: the NSID for the main
		 * definition, {@code nsid#name} for the others.
		 * @return the reference
		 */
		public String ref() {
			return "main".equals(this.name) ? this.id : this.id + "#" + this.name;
		}

		/**
		 * The definitions of a document: {@code main} first, the others by name.
		 * @param document the document
		 * @return the definitions
		 */
		public static java.util.List<Def> of(JsonNode document) {
			String id = document.path("id").asString();
			java.util.List<Def> defs = new java.util.ArrayList<>();
			for (Map.Entry<String, JsonNode> def : document.path("defs").properties()) {
				defs.add(new Def(id, def.getKey(), def.getValue()));
			}
			defs.sort(java.util.Comparator.comparing((Def def) -> !"main".equals(def.name)).thenComparing(Def::name));
			return defs;
		}

	}

}

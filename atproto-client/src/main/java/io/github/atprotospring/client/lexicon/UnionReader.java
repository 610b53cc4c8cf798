package io.github.atprotospring.client.lexicon;

import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a union by its {@code $type}: a member this version knows as its record, any
 * other object as the union's {@code Unknown}, which keeps the JSON as it was read. Each
 * generated union has a reader that names its members.
 *
 * @param <T> the union's interface
 */
public abstract class UnionReader<T> extends ValueDeserializer<T> {

	private final Map<String, Class<? extends T>> members = new HashMap<>();

	private final BiFunction<String, JsonNode, ? extends T> unknown;

	/**
	 * A reader with no members yet.
	 * @param unknown makes the union's {@code Unknown} of a {@code $type} (or
	 * {@code null}) and the JSON read
	 */
	protected UnionReader(BiFunction<String, JsonNode, ? extends T> unknown) {
		this.unknown = unknown;
	}

	/**
	 * Adds a member.
	 * @param type its {@code $type} ({@code nsid} for a main definition, which is read as
	 * {@code nsid#main} too)
	 * @param member its record
	 */
	protected final void member(String type, Class<? extends T> member) {
		this.members.put(type, member);
		if (!type.contains("#")) {
			this.members.put(type + "#main", member);
		}
	}

	@Override
	public T deserialize(JsonParser parser, DeserializationContext context) {
		JsonNode json = context.readTree(parser);
		JsonNode type = json.get("$type");
		String name = (type != null && type.isString()) ? type.stringValue() : null;
		Class<? extends T> member = (name != null && json.isObject()) ? this.members.get(name) : null;
		return (member != null) ? context.readTreeAsValue(json, member) : this.unknown.apply(name, json);
	}

}

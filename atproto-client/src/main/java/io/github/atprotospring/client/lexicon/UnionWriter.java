package io.github.atprotospring.client.lexicon;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.ValueSerializer;

/**
 * Writes a union property (or each element of a list of one) with the {@code $type} of
 * its member: the generated records name it on their union properties, so that a member
 * built or read without a {@code $type} still says what it is where a reader needs it.
 * The member itself is written as it would be anywhere else.
 */
public final class UnionWriter extends ValueSerializer<LexiconUnion> {

	@Override
	public void serialize(LexiconUnion value, JsonGenerator generator, SerializationContext context) {
		context.writeValue(generator, value.withLexiconType());
	}

}

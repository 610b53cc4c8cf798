package io.github.atprotospring.client.lexicon;

/**
 * What every member of a union is: each generated union's sealed interface extends this.
 * A member stands in a union by its {@code $type}, so a union property is always written
 * with it ({@link UnionWriter}), even for a member built or read without one; the same
 * object elsewhere (a strong ref as a reply's parent) keeps what it has.
 */
public interface LexiconUnion {

	/**
	 * This member as a union writes it: itself if it has a {@code $type} (a member of a
	 * type this version does not know always has what it was read with), else a copy with
	 * its type's {@code TYPE}.
	 * @return this member with a {@code $type}
	 */
	LexiconUnion withLexiconType();

}

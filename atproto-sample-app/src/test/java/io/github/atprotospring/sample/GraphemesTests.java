package io.github.atprotospring.sample;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grapheme counts that agree with Unicode's extended grapheme clusters, as the lexicon
 * validator counts them, on the JDK the build runs on.
 */
class GraphemesTests {

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					plain ASCII                      | abc                                   | 3
					combining marks                  | e\u0301a\u0301\u0302                  | 2
					a skin tone                      | \uD83D\uDC4D\uD83C\uDFFD                   | 1
					a family (ZWJ sequence)          | \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 | 1
					two flags                        | \uD83C\uDDEB\uD83C\uDDF7\uD83C\uDDE9\uD83C\uDDEA | 2
					three regional indicators        | \uD83C\uDDEB\uD83C\uDDF7\uD83C\uDDE9            | 2
					a subdivision flag (tags)        | \uD83C\uDFF4\uDB40\uDC67\uDB40\uDC62\uDB40\uDC73\uDB40\uDC63\uDB40\uDC74\uDB40\uDC7F | 1
					ZWJ between letters              | a\u200Db                              | 2
					CJK                              | \u65E5\u672C\u8A9E                    | 3
					""")
	void countsGraphemes(String name, String text, int expected) {
		assertThat(Graphemes.count(text)).isEqualTo(expected);
	}

}

package io.github.atprotospring.client.bsky;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Paging as a lazy stream, with a fetch function that records the cursors it was given.
 */
class PagingTests {

	private final List<String> asked = new ArrayList<>();

	/** Pages by cursor ({@code ""} stands for the first page). */
	private Function<String, Page<Integer>> pages(Map<String, Page<Integer>> pages) {
		return (cursor) -> {
			this.asked.add(cursor);
			return pages.get((cursor != null) ? cursor : "");
		};
	}

	@Test
	void followsTheCursorsUntilAPageHasNone() {
		var fetch = pages(Map.of("", new Page<>(List.of(1, 2), "a"), "a", new Page<>(List.of(3), "b"), "b",
				new Page<>(List.of(4, 5), null)));
		assertThat(Paging.stream(fetch)).containsExactly(1, 2, 3, 4, 5);
		assertThat(this.asked).containsExactly(null, "a", "b");
	}

	@Test
	void fetchesNothingUntilAnItemIsNeededAndNoMoreThanNeeded() {
		var fetch = pages(Map.of("", new Page<>(List.of(1, 2), "a"), "a", new Page<>(List.of(3), "b")));
		var stream = Paging.stream(fetch);
		assertThat(this.asked).isEmpty();
		assertThat(stream.limit(2)).containsExactly(1, 2);
		assertThat(this.asked).containsExactly((String) null);
	}

	@Test
	void stopsBeforeACursorAlreadyFollowed() {
		var fetch = pages(Map.of("", new Page<>(List.of(1), "a"), "a", new Page<>(List.of(2), "b"), "b",
				new Page<>(List.of(3), "a")));
		assertThat(Paging.stream(fetch)).containsExactly(1, 2, 3);
		assertThat(this.asked).containsExactly(null, "a", "b");
	}

	@Test
	void stopsAtAnEmptyCursor() {
		var fetch = pages(Map.of("", new Page<>(List.of(1), "")));
		assertThat(Paging.stream(fetch)).containsExactly(1);
	}

	@Test
	void goesOnPastEmptyPagesThatHaveACursor() {
		var fetch = pages(Map.of("", new Page<>(List.of(), "a"), "a", new Page<>(List.of(), "b"), "b",
				new Page<>(List.of(7), null)));
		assertThat(Paging.stream(fetch)).containsExactly(7);
	}

	@Test
	void fetchesAtMostMaxPages() {
		Function<String, Page<Integer>> endless = (cursor) -> {
			this.asked.add(cursor);
			int n = (cursor != null) ? Integer.parseInt(cursor) : 0;
			return new Page<>(List.of(n), Integer.toString(n + 1));
		};
		assertThat(Paging.stream(endless, 3)).containsExactly(0, 1, 2);
		assertThat(this.asked).hasSize(3);
		this.asked.clear();
		assertThat(Paging.stream(endless)).hasSize(Paging.DEFAULT_MAX_PAGES);
	}

	@Test
	void refusesABoundBelowOnePage() {
		assertThatIllegalArgumentException().isThrownBy(() -> Paging.stream((cursor) -> null, 0))
			.withMessageContaining("maxPages");
	}

}

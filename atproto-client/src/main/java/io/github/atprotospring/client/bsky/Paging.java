package io.github.atprotospring.client.bsky;

import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Cursor-based paging as a lazy {@link Stream}: a page is fetched only when the stream
 * needs its first item, so {@code limit(n)} or {@code findFirst()} fetch no more pages
 * than needed.
 * <p>
 * The stream ends after the page without a cursor (or with an empty one), before a cursor
 * it has already followed (a server that answers the same cursor again would make it
 * endless), or after {@code maxPages} pages, whichever comes first. Pages may be empty
 * and still have a cursor (a feed with every post filtered out): paging goes on.
 */
public final class Paging {

	/** How many pages a stream fetches at most when no bound is given. */
	public static final int DEFAULT_MAX_PAGES = 100;

	private Paging() {
	}

	/**
	 * The items of every page, at most {@value #DEFAULT_MAX_PAGES} pages.
	 * @param <T> the item type
	 * @param fetch fetches the page of a cursor ({@code null} for the first page)
	 * @return the items, fetched lazily
	 */
	public static <T> Stream<T> stream(Function<String, Page<T>> fetch) {
		return stream(fetch, DEFAULT_MAX_PAGES);
	}

	/**
	 * The items of every page, at most {@code maxPages} pages.
	 * @param <T> the item type
	 * @param fetch fetches the page of a cursor ({@code null} for the first page)
	 * @param maxPages the most pages to fetch, at least 1
	 * @return the items, fetched lazily
	 */
	public static <T> Stream<T> stream(Function<String, Page<T>> fetch, int maxPages) {
		Objects.requireNonNull(fetch, "fetch");
		if (maxPages < 1) {
			throw new IllegalArgumentException("maxPages must be at least 1, but was " + maxPages);
		}
		return StreamSupport.stream(new PageSpliterator<>(fetch, maxPages), false);
	}

	private static final class PageSpliterator<T> extends Spliterators.AbstractSpliterator<T> {

		private final Function<String, Page<T>> fetch;

		private final int maxPages;

		private final Set<String> followed = new HashSet<>();

		private Iterator<T> items = Collections.emptyIterator();

		private String cursor;

		private int pages;

		private boolean last;

		PageSpliterator(Function<String, Page<T>> fetch, int maxPages) {
			super(Long.MAX_VALUE, Spliterator.ORDERED | Spliterator.NONNULL);
			this.fetch = fetch;
			this.maxPages = maxPages;
		}

		@Override
		public boolean tryAdvance(Consumer<? super T> action) {
			while (!this.items.hasNext()) {
				if (this.last) {
					return false;
				}
				Page<T> page = this.fetch.apply(this.cursor);
				this.pages++;
				String next = (page != null) ? page.cursor() : null;
				this.last = next == null || next.isEmpty() || this.pages >= this.maxPages || !this.followed.add(next);
				this.cursor = next;
				this.items = (page != null) ? page.items().iterator() : Collections.emptyIterator();
			}
			action.accept(this.items.next());
			return true;
		}

	}

}

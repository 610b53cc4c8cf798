package io.github.atprotospring.client.bsky;

import java.util.List;

/**
 * One page of a cursor-paged answer: its items, and the cursor that asks for the next
 * page.
 *
 * @param <T> the item type
 * @param items the items of this page
 * @param cursor the cursor of the next page, or {@code null} when this is the last
 */
public record Page<T>(List<T> items, String cursor) {

	/**
	 * Copies the items.
	 * @param items the items of this page ({@code null} for none)
	 * @param cursor the cursor of the next page, or {@code null} when this is the last
	 */
	public Page {
		items = (items != null) ? List.copyOf(items) : List.of();
	}

}

package io.github.atprotospring.benchmarks;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import io.github.atprotospring.autoconfigure.SessionChangedEvent;
import io.github.atprotospring.client.SessionChangeListener;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.client.Session;

import org.springframework.context.ApplicationListener;

/** Counts session events, from an application context or straight from a client. */
final class EventCounter implements ApplicationListener<SessionChangedEvent>, SessionChangeListener {

	private final Map<SessionEvent, LongAdder> counts = new EnumMap<>(SessionEvent.class);

	EventCounter() {
		for (SessionEvent type : SessionEvent.values()) {
			this.counts.put(type, new LongAdder());
		}
	}

	@Override
	public void onApplicationEvent(SessionChangedEvent event) {
		this.counts.get(event.getType()).increment();
	}

	@Override
	public void onSessionChange(SessionEvent event, Session session) {
		this.counts.get(event).increment();
	}

	long count(SessionEvent type) {
		return this.counts.get(type).sum();
	}

	/** The counts as {@code CREATE 1, IMPORT 0, REFRESH 5}, in the enum's order. */
	String summary() {
		StringBuilder summary = new StringBuilder();
		this.counts.forEach((type, count) -> {
			if (summary.length() > 0) {
				summary.append(", ");
			}
			summary.append(type).append(' ').append(count.sum());
		});
		return summary.toString();
	}

}

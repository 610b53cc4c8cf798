package io.github.atprotospring.autoconfigure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.atprotospring.client.SessionEvent;

import org.springframework.context.event.EventListener;

/**
 * An application bean that handles {@link SessionChangedEvent}s the way user code does.
 */
class RecordedEvents {

	private final List<SessionEvent> types = new CopyOnWriteArrayList<>();

	@EventListener
	void on(SessionChangedEvent event) {
		this.types.add(event.getType());
	}

	List<SessionEvent> types() {
		return List.copyOf(this.types);
	}

}

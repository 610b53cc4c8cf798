package com.example.bot;

import io.github.atprotospring.autoconfigure.SessionChangedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

@Component
public class SessionLogger {

	private static final Logger log = LoggerFactory.getLogger(SessionLogger.class);

	@EventListener
	public void on(SessionChangedEvent event) {
		// Never log the session itself: only what identifies it.
		log.info("{} for {}", event.getType(), event.getSession().did());
	}

}

package io.github.atprotospring.autoconfigure.app;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;

/**
 * An entity of an application that uses the starter.
 */
@Entity
public class Note {

	@Id
	private Long id;

	private String text;

	protected Note() {
	}

	public Note(Long id, String text) {
		this.id = id;
		this.text = text;
	}

	public String getText() {
		return this.text;
	}

}

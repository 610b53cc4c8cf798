package io.github.atprotospring.autoconfigure.jpa;

import java.util.List;

import io.github.atprotospring.autoconfigure.AtprotoConfigurationException;

/**
 * Stored sessions are encrypted with keys the application does not have: starting would
 * make the client log in again and lose them, so the start is stopped instead and no row
 * is changed.
 */
public class UnreadableSessionsException extends AtprotoConfigurationException {

	private static final long serialVersionUID = 1L;

	UnreadableSessionsException(List<String> keyIds, boolean keyConfigured) {
		super("atproto.session.encryption.key",
				"Stored atproto sessions are encrypted with the key(s) " + keyIds + ", which "
						+ (keyConfigured
								? "are neither atproto.session.encryption.key nor one of "
										+ "atproto.session.encryption.old-keys"
								: "cannot be read: atproto.session.encryption.key is not set")
						+ ". No stored session was changed.",
				"Set atproto.session.encryption.key to the key those sessions were written with, or add it to "
						+ "atproto.session.encryption.old-keys when you rotate to a new key. To give the stored sessions "
						+ "up instead (the client then logs in again with atproto.password), delete their rows from "
						+ "atproto_session.");
	}

}

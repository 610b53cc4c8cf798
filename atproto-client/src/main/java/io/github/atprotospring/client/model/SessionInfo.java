package io.github.atprotospring.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The answer of {@code com.atproto.server.getSession}: what the server says of the
 * session's account.
 *
 * @param handle the handle
 * @param did the DID
 * @param email the email, if the token may see it
 * @param emailConfirmed whether the email is confirmed
 * @param active whether the account is active
 * @param status the account status when not active
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionInfo(String handle, String did, String email, Boolean emailConfirmed, Boolean active,
		String status) {
}

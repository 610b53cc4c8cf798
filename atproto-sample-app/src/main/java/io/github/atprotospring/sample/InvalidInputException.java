package io.github.atprotospring.sample;

/**
 * Input the sample refuses before calling the server; answered with {@code 400} and the
 * message, which says what to send instead.
 */
class InvalidInputException extends RuntimeException {

	InvalidInputException(String message) {
		super(message);
	}

}

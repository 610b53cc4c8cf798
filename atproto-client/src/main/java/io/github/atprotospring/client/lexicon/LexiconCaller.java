package io.github.atprotospring.client.lexicon;

import java.util.Map;

/**
 * What the generated call groups send their calls through. An {@code AtprotoClient} is
 * one (through {@code client.app()}, {@code client.com()} ...): its session, refreshes
 * and error decoding apply to every call.
 * <p>
 * The output type says how the answer is read: {@code Void.class} for none,
 * {@code byte[].class} for the answer's bytes as they are, any other type for JSON read
 * as that type.
 */
public interface LexiconCaller {

	/**
	 * Calls a query ({@code GET /xrpc/<nsid>}).
	 * @param <T> the output type
	 * @param nsid the method
	 * @param params the query parameters; a list value repeats the parameter
	 * @param proxy the {@code atproto-proxy} header, or {@code null} for none
	 * @param output the output type
	 * @return the output, {@code null} for {@code Void}
	 */
	<T> T query(String nsid, Map<String, ?> params, String proxy, Class<T> output);

	/**
	 * Calls a procedure with a JSON input, or none ({@code POST /xrpc/<nsid>}).
	 * @param <T> the output type
	 * @param nsid the method
	 * @param params the query parameters
	 * @param input the input, written as JSON; {@code null} for none
	 * @param proxy the {@code atproto-proxy} header, or {@code null} for none
	 * @param output the output type
	 * @return the output, {@code null} for {@code Void}
	 */
	<T> T procedure(String nsid, Map<String, ?> params, Object input, String proxy, Class<T> output);

	/**
	 * Calls a procedure whose input is bytes, such as a blob.
	 * @param <T> the output type
	 * @param nsid the method
	 * @param params the query parameters
	 * @param data the bytes
	 * @param mimeType their media type, sent as {@code Content-Type}
	 * @param proxy the {@code atproto-proxy} header, or {@code null} for none
	 * @param output the output type
	 * @return the output, {@code null} for {@code Void}
	 */
	<T> T upload(String nsid, Map<String, ?> params, byte[] data, String mimeType, String proxy, Class<T> output);

}

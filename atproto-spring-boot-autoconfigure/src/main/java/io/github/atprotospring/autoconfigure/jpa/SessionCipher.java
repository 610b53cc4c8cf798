package io.github.atprotospring.autoconfigure.jpa;

/**
 * Encrypts the stored sessions at rest: a copy of the session table (a backup, a read
 * replica, a support dump) then holds no live login. The starter's
 * {@link AesGcmSessionCipher} takes its key from {@code atproto.session.encryption.key};
 * declare a bean of this type to keep the key in a KMS or a vault instead.
 * <p>
 * Every row records the id of the key it was encrypted with, so keys can be rotated: new
 * rows are written with the current key, and rows of an older key are read as long as the
 * cipher still knows that key, and re-encrypted at their next save.
 */
public interface SessionCipher {

	/**
	 * The id of the key new rows are encrypted with. Not secret; at most 64 characters.
	 * @return the key id
	 */
	String keyId();

	/**
	 * Whether rows encrypted with a key can be read.
	 * @param keyId the key id of a row
	 * @return {@code true} if the key is known
	 */
	boolean knows(String keyId);

	/**
	 * Encrypts a session with the current key.
	 * @param plaintext the session string
	 * @param associatedData what the ciphertext is bound to (the row's service and DID),
	 * authenticated but not encrypted
	 * @return the ciphertext as text for the session column
	 */
	String encrypt(String plaintext, String associatedData);

	/**
	 * Decrypts a row.
	 * @param keyId the key id the row was written with
	 * @param ciphertext the ciphertext
	 * @param associatedData the row's service and DID
	 * @return the session string
	 * @throws IllegalStateException if the key is unknown, or the ciphertext was changed
	 * or belongs to another row; the message holds no secret
	 */
	String decrypt(String keyId, String ciphertext, String associatedData);

}

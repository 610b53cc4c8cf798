package io.github.atprotospring.autoconfigure.jpa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A {@link SessionCipher} with AES-256 in GCM mode from the JDK: authenticated
 * encryption, a fresh 96-bit nonce for every write, and the row's service and DID as
 * associated data, so a ciphertext copied into another row does not decrypt. A key's id
 * is derived from the key (a hash prefix), so it needs no configuration and reveals
 * nothing of the key.
 */
public final class AesGcmSessionCipher implements SessionCipher {

	private static final int NONCE_BYTES = 12;

	private static final int TAG_BITS = 128;

	private final SecureRandom random = new SecureRandom();

	private final String currentKeyId;

	private final Map<String, SecretKey> keys = new LinkedHashMap<>();

	/**
	 * @param currentKey the 32-byte key new rows are written with
	 * @param olderKeys keys of earlier rows, still read
	 */
	public AesGcmSessionCipher(byte[] currentKey, List<byte[]> olderKeys) {
		this.currentKeyId = add(currentKey);
		olderKeys.forEach(this::add);
	}

	/**
	 * A cipher from base64-encoded keys, as the properties give them.
	 * @param currentKey the current key, base64 of 32 bytes
	 * @param olderKeys older keys, base64 of 32 bytes each
	 * @return the cipher
	 * @throws IllegalArgumentException if a key is not base64 of 32 bytes; the message
	 * holds no key
	 */
	public static AesGcmSessionCipher fromBase64(String currentKey, List<String> olderKeys) {
		return new AesGcmSessionCipher(decode(currentKey, "the key"),
				olderKeys.stream().map((key) -> decode(key, "an older key")).toList());
	}

	private static byte[] decode(String key, String which) {
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode((key != null) ? key.strip() : "");
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(which + " is not base64");
		}
		if (bytes.length != 32) {
			throw new IllegalArgumentException(
					which + " decodes to " + bytes.length + " bytes, not the 32 of a " + "256-bit key");
		}
		return bytes;
	}

	private String add(byte[] key) {
		if (key.length != 32) {
			throw new IllegalArgumentException("An AES-256 key has 32 bytes, not " + key.length);
		}
		String id = keyIdOf(key);
		this.keys.putIfAbsent(id, new SecretKeySpec(key.clone(), "AES"));
		return id;
	}

	private static String keyIdOf(byte[] key) {
		try {
			byte[] hash = MessageDigest.getInstance("SHA-256").digest(key);
			return "aesgcm-" + Base64.getUrlEncoder().withoutPadding().encodeToString(hash).substring(0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public String keyId() {
		return this.currentKeyId;
	}

	@Override
	public boolean knows(String keyId) {
		return this.keys.containsKey(keyId);
	}

	@Override
	public String encrypt(String plaintext, String associatedData) {
		byte[] nonce = new byte[NONCE_BYTES];
		this.random.nextBytes(nonce);
		try {
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.ENCRYPT_MODE, this.keys.get(this.currentKeyId), new GCMParameterSpec(TAG_BITS, nonce));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
			return Base64.getEncoder()
				.encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException("Could not encrypt the session (" + ex.getClass().getSimpleName() + ")");
		}
	}

	@Override
	public String decrypt(String keyId, String ciphertext, String associatedData) {
		SecretKey key = this.keys.get(keyId);
		if (key == null) {
			throw new IllegalStateException("The stored session is encrypted with key " + keyId
					+ ", which is neither atproto.session.encryption.key nor one of its old-keys");
		}
		try {
			byte[] bytes = Base64.getDecoder().decode(ciphertext);
			if (bytes.length <= NONCE_BYTES) {
				throw new IllegalStateException("The stored session's ciphertext is too short");
			}
			Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
			cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
			cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
			return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			throw new IllegalStateException("The stored session could not be decrypted with key " + keyId
					+ ": it was changed, or belongs to another row (" + ex.getClass().getSimpleName() + ")");
		}
	}

	@Override
	public String toString() {
		return "AesGcmSessionCipher[keyId=" + this.currentKeyId + ", keys=" + this.keys.keySet() + "]";
	}

}

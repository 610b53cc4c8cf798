package io.github.atprotospring.test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code #atproto} verification key a DID document of the reference PDS lists: a
 * secp256k1 public key, uncompressed, base58btc with the multibase prefix {@code z} (the
 * legacy {@code EcdsaSecp256k1VerificationKey2019} form). The double signs no commits, so
 * the private key is only a hash of the DID: the key is stable across restarts without
 * being stored, and it is a real point on the curve, as a client that decodes it expects.
 * The JDK has no secp256k1 since 16, hence the few lines of curve arithmetic.
 */
final class DidKeys {

	private static final BigInteger P = new BigInteger(
			"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F", 16);

	private static final BigInteger N = new BigInteger(
			"FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141", 16);

	private static final BigInteger[] G = {
			new BigInteger("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798", 16),
			new BigInteger("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8", 16) };

	private static final String BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

	private final Map<String, String> keys = new ConcurrentHashMap<>();

	/** The {@code publicKeyMultibase} of the account's {@code #atproto} key. */
	String publicKeyMultibase(String did) {
		return keys.computeIfAbsent(did, DidKeys::derive);
	}

	private static String derive(String did) {
		BigInteger secret;
		try {
			byte[] seed = MessageDigest.getInstance("SHA-256")
				.digest(("pds-double:" + did).getBytes(StandardCharsets.UTF_8));
			secret = new BigInteger(1, seed).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException("SHA-256 unavailable", e);
		}
		BigInteger[] point = multiply(secret);
		byte[] encoded = new byte[65];
		encoded[0] = 0x04;
		copy32(point[0], encoded, 1);
		copy32(point[1], encoded, 33);
		return "z" + base58(encoded);
	}

	private static BigInteger[] multiply(BigInteger k) {
		BigInteger[] result = null;
		BigInteger[] addend = G;
		for (int i = 0; i < k.bitLength(); i++) {
			if (k.testBit(i)) {
				result = add(result, addend);
			}
			addend = add(addend, addend);
		}
		return result;
	}

	/** Affine point addition; {@code null} is the point at infinity. */
	private static BigInteger[] add(BigInteger[] a, BigInteger[] b) {
		if (a == null) {
			return b;
		}
		if (b == null) {
			return a;
		}
		BigInteger slope;
		if (a[0].equals(b[0])) {
			if (!a[1].equals(b[1]) || a[1].signum() == 0) {
				return null;
			}
			slope = a[0].pow(2).multiply(BigInteger.valueOf(3)).multiply(a[1].shiftLeft(1).modInverse(P)).mod(P);
		}
		else {
			slope = b[1].subtract(a[1]).multiply(b[0].subtract(a[0]).modInverse(P)).mod(P);
		}
		BigInteger x = slope.pow(2).subtract(a[0]).subtract(b[0]).mod(P);
		BigInteger y = slope.multiply(a[0].subtract(x)).subtract(a[1]).mod(P);
		return new BigInteger[] { x, y };
	}

	private static void copy32(BigInteger value, byte[] target, int offset) {
		byte[] bytes = value.toByteArray();
		int length = Math.min(bytes.length, 32);
		System.arraycopy(bytes, bytes.length - length, target, offset + 32 - length, length);
	}

	private static String base58(byte[] bytes) {
		BigInteger value = new BigInteger(1, bytes);
		StringBuilder out = new StringBuilder();
		BigInteger base = BigInteger.valueOf(58);
		while (value.signum() > 0) {
			BigInteger[] division = value.divideAndRemainder(base);
			out.append(BASE58.charAt(division[1].intValue()));
			value = division[0];
		}
		for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
			out.append('1');
		}
		return out.reverse().toString();
	}

}

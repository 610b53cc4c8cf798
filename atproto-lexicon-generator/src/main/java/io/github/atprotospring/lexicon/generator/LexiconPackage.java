package io.github.atprotospring.lexicon.generator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * The npm package the lexicon documents come from, pinned by version and by its npm
 * integrity (sha512). It is downloaded once from the npm registry and kept in a cache
 * directory (the build uses {@code <local Maven repository>/.cache/atproto-lexicons}), so
 * that builds after the first work offline. A package whose digest is not the pinned one
 * is never used.
 *
 * @param name the npm package name, such as {@code @atproto/api}
 * @param version the pinned version
 * @param integrity the npm {@code dist.integrity} of that version
 * ({@code sha512-<base64>})
 */
public record LexiconPackage(String name, String version, String integrity) {

	/**
	 * The package the client is generated from. Keep the version equal to the one the SDK
	 * benchmark pins ({@code atproto-benchmarks/sdk-harness/package.json}).
	 */
	public static final LexiconPackage ATPROTO_API = new LexiconPackage("@atproto/api", "0.21.0",
			"sha512-UBPhjUIIrJ1KtVRv3b34QwQgoD6jG7fqcLqMRmZL27HTs/Jz2CMVTCdzP3gh0LQaXGWy7tPjGtVA3i6+YcH/bg==");

	/** The file inside the package that holds every lexicon document. */
	public static final String LEXICONS_ENTRY = "package/dist/client/lexicons.js";

	private static final String REGISTRY = "https://registry.npmjs.org/";

	/**
	 * Where the registry serves the package's tarball.
	 * @return the tarball URL
	 */
	public URI tarballUri() {
		String unscoped = this.name.substring(this.name.indexOf('/') + 1);
		return URI.create(REGISTRY + this.name + "/-/" + unscoped + "-" + this.version + ".tgz");
	}

	/**
	 * The tarball's file name in the cache.
	 * @return a file name
	 */
	public String cacheFileName() {
		return this.name.replace("@", "").replace('/', '-') + "-" + this.version + ".tgz";
	}

	/**
	 * The package's tarball from the cache, downloaded into it first if it is not there
	 * (or is not the pinned one).
	 * @param cacheDirectory the cache directory, created if missing
	 * @return the path of the verified tarball
	 * @throws IllegalStateException if the tarball cannot be had or is not the pinned one
	 */
	public Path fetch(Path cacheDirectory) {
		Path cached = cacheDirectory.resolve(cacheFileName());
		try {
			if (Files.isRegularFile(cached) && matches(Files.readAllBytes(cached))) {
				return cached;
			}
			byte[] tarball = download();
			if (!matches(tarball)) {
				throw new IllegalStateException(tarballUri() + " does not have the pinned integrity " + this.integrity
						+ " (it has " + integrityOf(tarball) + ")");
			}
			Files.createDirectories(cacheDirectory);
			Path partial = Files.createTempFile(cacheDirectory, cacheFileName(), ".part");
			Files.write(partial, tarball);
			Files.move(partial, cached, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			return cached;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The lexicon package " + this.name + "@" + this.version
					+ " could not be read or cached in " + cacheDirectory, ex);
		}
	}

	/**
	 * The lexicon documents of the package, from the cache (downloaded first if needed).
	 * @param cacheDirectory the cache directory
	 * @return the documents
	 */
	public LexiconDocuments documents(Path cacheDirectory) {
		return LexiconDocuments.parse(readEntry(fetch(cacheDirectory), LEXICONS_ENTRY));
	}

	/**
	 * The cache directory the build uses inside a local Maven repository.
	 * @param localRepository the local Maven repository
	 * @return {@code <localRepository>/.cache/atproto-lexicons}
	 */
	public static Path cacheIn(Path localRepository) {
		return localRepository.resolve(".cache").resolve("atproto-lexicons");
	}

	private byte[] download() {
		HttpClient http = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(20))
			.followRedirects(HttpClient.Redirect.NORMAL)
			.build();
		HttpRequest request = HttpRequest.newBuilder(tarballUri()).timeout(Duration.ofMinutes(2)).GET().build();
		try {
			HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException(
						tarballUri() + " answered " + response.statusCode() + "; the lexicons cannot be generated");
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException("The lexicon package could not be downloaded from " + tarballUri()
					+ " and is not cached yet: build once with network access (" + ex + ")", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while downloading " + tarballUri(), ex);
		}
	}

	private boolean matches(byte[] tarball) {
		return MessageDigest.isEqual(integrityOf(tarball).getBytes(StandardCharsets.US_ASCII),
				this.integrity.getBytes(StandardCharsets.US_ASCII));
	}

	static String integrityOf(byte[] content) {
		try {
			return "sha512-" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-512").digest(content));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-512 is not available", ex);
		}
	}

	/**
	 * One file of a gzipped tar archive, as UTF-8 text. Reads the ustar format npm writes
	 * (with the name prefix field); other entries are skipped.
	 * @param tarball the {@code .tgz} file
	 * @param entry the path of the file inside the archive
	 * @return the file's text
	 * @throws IllegalStateException if the archive has no such file
	 */
	public static String readEntry(Path tarball, String entry) {
		try (InputStream in = new GZIPInputStream(Files.newInputStream(tarball), 64 * 1024)) {
			byte[] header = new byte[512];
			while (readFully(in, header)) {
				if (header[0] == 0) {
					break;
				}
				String name = field(header, 0, 100);
				String prefix = field(header, 345, 155);
				if (!prefix.isEmpty() && header[257] == 'u') {
					name = prefix + "/" + name;
				}
				String octal = field(header, 124, 12).trim();
				long size = octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
				long padded = (size + 511) / 512 * 512;
				if (name.equals(entry)) {
					return new String(in.readNBytes(Math.toIntExact(size)), StandardCharsets.UTF_8);
				}
				in.skipNBytes(padded);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The archive " + tarball + " could not be read", ex);
		}
		throw new IllegalStateException("The archive " + tarball + " has no " + entry);
	}

	private static boolean readFully(InputStream in, byte[] buffer) throws IOException {
		int read = in.readNBytes(buffer, 0, buffer.length);
		return read == buffer.length;
	}

	private static String field(byte[] header, int offset, int length) {
		int end = offset;
		while (end < offset + length && header[end] != 0) {
			end++;
		}
		return new String(header, offset, end - offset, StandardCharsets.UTF_8);
	}

}

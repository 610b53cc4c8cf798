package io.github.atprotospring.autoconfigure.jpa;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.UniqueConstraint;
import jakarta.persistence.Version;

/**
 * A stored session: one row per service and account. The session string holds both
 * tokens; the other columns say what is needed to reason about it without reading them.
 */
@Entity
@Table(name = "atproto_session", uniqueConstraints = @UniqueConstraint(name = "uk_atproto_session_service_did",
		columnNames = { "service", "did" }))
public class StoredSession {

	@Id
	@GeneratedValue(strategy = GenerationType.IDENTITY)
	private Long id;

	@Column(nullable = false, length = 512)
	private String service;

	@Column(nullable = false, length = 512)
	private String did;

	@Column(nullable = false, length = 512)
	private String handle;

	@Column(length = 320)
	private String email;

	@Column(name = "session_string", nullable = false, length = 8192)
	private String sessionString;

	@Column(name = "key_id", length = 64)
	private String keyId;

	@Column(name = "access_expires_at")
	private Instant accessExpiresAt;

	@Column(name = "refresh_expires_at")
	private Instant refreshExpiresAt;

	@Column(name = "updated_at", nullable = false)
	private Instant updatedAt;

	@Version
	@Column(nullable = false)
	private long version;

	protected StoredSession() {
	}

	/**
	 * A new row for an account on a service.
	 * @param service the service URL
	 * @param did the account's DID
	 */
	public StoredSession(String service, String did) {
		this.service = service;
		this.did = did;
	}

	public Long getId() {
		return this.id;
	}

	public String getService() {
		return this.service;
	}

	public String getDid() {
		return this.did;
	}

	public String getHandle() {
		return this.handle;
	}

	public void setHandle(String handle) {
		this.handle = handle;
	}

	public String getEmail() {
		return this.email;
	}

	public void setEmail(String email) {
		this.email = email;
	}

	/**
	 * The session string ({@code handle:::did:::accessJwt:::refreshJwt:::pdsEndpoint}).
	 * @return the session string; it holds both tokens
	 */
	public String getSessionString() {
		return this.sessionString;
	}

	public void setSessionString(String sessionString) {
		this.sessionString = sessionString;
	}

	/**
	 * The id of the key the session string is encrypted with.
	 * @return the key id, or {@code null} if the session string is plain text
	 */
	public String getKeyId() {
		return this.keyId;
	}

	/**
	 * Sets the id of the key the session string is encrypted with.
	 * @param keyId the key id, or {@code null} for plain text
	 */
	public void setKeyId(String keyId) {
		this.keyId = keyId;
	}

	public Instant getAccessExpiresAt() {
		return this.accessExpiresAt;
	}

	public void setAccessExpiresAt(Instant accessExpiresAt) {
		this.accessExpiresAt = accessExpiresAt;
	}

	public Instant getRefreshExpiresAt() {
		return this.refreshExpiresAt;
	}

	public void setRefreshExpiresAt(Instant refreshExpiresAt) {
		this.refreshExpiresAt = refreshExpiresAt;
	}

	public Instant getUpdatedAt() {
		return this.updatedAt;
	}

	public void setUpdatedAt(Instant updatedAt) {
		this.updatedAt = updatedAt;
	}

	/**
	 * The optimistic-locking version, raised by every update.
	 * @return the version
	 */
	public long getVersion() {
		return this.version;
	}

	@Override
	public String toString() {
		return "StoredSession[service=" + this.service + ", did=" + this.did + ", handle=" + this.handle
				+ ", sessionString=<redacted>, accessExpiresAt=" + this.accessExpiresAt + ", refreshExpiresAt="
				+ this.refreshExpiresAt + ", version=" + this.version + "]";
	}

}

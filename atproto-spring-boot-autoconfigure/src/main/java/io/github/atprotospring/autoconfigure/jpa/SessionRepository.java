package io.github.atprotospring.autoconfigure.jpa;

import java.util.List;
import java.util.Optional;

import io.github.atprotospring.client.StoredAccount;
import jakarta.persistence.LockModeType;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Lock;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * The Spring Data repository of {@link StoredSession}s. Registered by the
 * auto-configuration itself, so the application's own repository scanning neither needs
 * nor picks it up.
 */
public interface SessionRepository extends JpaRepository<StoredSession, Long> {

	/**
	 * The row of an account on a service.
	 * @param service the service URL
	 * @param did the account's DID
	 * @return the row, if any
	 */
	Optional<StoredSession> findByServiceAndDid(String service, String did);

	/**
	 * The row of an account on a service, locked for writing until the transaction ends:
	 * the lock that makes one instance of several refresh while the others wait and then
	 * adopt its result.
	 * @param service the service URL
	 * @param did the account's DID
	 * @return the locked row, if any
	 */
	@Lock(LockModeType.PESSIMISTIC_WRITE)
	@Query("select s from StoredSession s where s.service = :service and s.did = :did")
	Optional<StoredSession> lockByServiceAndDid(@Param("service") String service, @Param("did") String did);

	/**
	 * The rows of a handle on a service (at most one, unless a handle moved between
	 * accounts).
	 * @param service the service URL
	 * @param handle the handle, in any case
	 * @return the rows, newest first
	 */
	List<StoredSession> findByServiceAndHandleIgnoreCaseOrderByUpdatedAtDesc(String service, String handle);

	/**
	 * The rows of an email on a service.
	 * @param service the service URL
	 * @param email the email, in any case
	 * @return the rows, newest first
	 */
	List<StoredSession> findByServiceAndEmailIgnoreCaseOrderByUpdatedAtDesc(String service, String email);

	/**
	 * The accounts stored for a service, without their sessions.
	 * @param service the service URL
	 * @return the accounts, by DID
	 */
	@Query("select new io.github.atprotospring.client.StoredAccount(s.did, s.handle, s.accessExpiresAt, "
			+ "s.refreshExpiresAt) from StoredSession s where s.service = :service order by s.did")
	List<StoredAccount> findAccountsByService(@Param("service") String service);

	/**
	 * The ids of the keys the stored sessions are encrypted with.
	 * @return the distinct key ids of encrypted rows
	 */
	@Query("select distinct s.keyId from StoredSession s where s.keyId is not null")
	List<String> findKeyIds();

}

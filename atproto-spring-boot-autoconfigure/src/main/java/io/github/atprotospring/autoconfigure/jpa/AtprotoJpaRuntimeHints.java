package io.github.atprotospring.autoconfigure.jpa;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.data.jpa.repository.support.SimpleJpaRepository;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.interceptor.TransactionalProxy;
import org.springframework.util.ClassUtils;

/**
 * What the JPA store reflects on, for Spring's ahead-of-time processing (a native image).
 * The entity, the repository and the schema are all added at runtime, outside the scans
 * that the AOT processing of Spring's JPA and Spring Data covers: {@link StoredSession}
 * joins the application's persistence unit through a bean post processor, the
 * {@link SessionRepository} proxy is made by a factory in a bean method, and the session
 * schema's Flyway reads its own class-path folder. Registered in
 * {@code META-INF/spring/aot.factories}; registers nothing where JPA or Flyway is absent.
 */
class AtprotoJpaRuntimeHints implements RuntimeHintsRegistrar {

	static final String MIGRATIONS = "db/atproto/migration/*/*.sql";

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		if (ClassUtils.isPresent("org.flywaydb.core.Flyway", classLoader)) {
			hints.resources().registerPattern(MIGRATIONS);
		}
		if (ClassUtils.isPresent("jakarta.persistence.Entity", classLoader)
				&& ClassUtils.isPresent("org.springframework.data.jpa.repository.JpaRepository", classLoader)) {
			SpringDataJpa.registerHints(hints);
		}
	}

	/** Apart, so that its types are loaded only where Spring Data JPA is present. */
	private static final class SpringDataJpa {

		static void registerHints(RuntimeHints hints) {
			hints.reflection()
				.registerType(StoredSession.class, MemberCategory.ACCESS_DECLARED_FIELDS,
						MemberCategory.INVOKE_DECLARED_CONSTRUCTORS, MemberCategory.INVOKE_DECLARED_METHODS);
			hints.reflection()
				.registerType(SessionRepository.class, MemberCategory.INVOKE_PUBLIC_METHODS)
				.registerType(SimpleJpaRepository.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
						MemberCategory.INVOKE_PUBLIC_METHODS);
			hints.proxies()
				.registerJdkProxy(AopProxyUtils.completeJdkProxyInterfaces(SessionRepository.class, Repository.class,
						TransactionalProxy.class));
		}

	}

}

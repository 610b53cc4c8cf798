package io.github.atprotospring.autoconfigure.jpa;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.aop.SpringProxy;
import org.springframework.aop.framework.Advised;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.DecoratingProxy;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.data.jpa.repository.support.SimpleJpaRepository;
import org.springframework.data.repository.Repository;
import org.springframework.transaction.interceptor.TransactionalProxy;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints of the starter's ahead-of-time processing: what is added at runtime outside
 * the scans of Spring's JPA and Spring Data AOT support (the entity, the repository
 * proxy, the migrations), and the metadata the property check reads.
 */
class AtprotoRuntimeHintsTests {

	final RuntimeHints hints = registered();

	@Test
	void theRegistrarsAreFoundInAotFactories() {
		assertThat(registrars()).extracting((registrar) -> registrar.getClass().getSimpleName())
			.contains("AtprotoRuntimeHints", "AtprotoJpaRuntimeHints");
	}

	@Test
	void hibernateMayReflectOnTheEntity() {
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(StoredSession.class)
			.withMemberCategories(MemberCategory.ACCESS_DECLARED_FIELDS, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
					MemberCategory.INVOKE_DECLARED_METHODS))
			.accepts(this.hints);
	}

	@Test
	void springDataMayProxyTheRepositoryAndDeriveItsQueries() throws NoSuchMethodException {
		assertThat(RuntimeHintsPredicates.proxies()
			.forInterfaces(SessionRepository.class, Repository.class, TransactionalProxy.class, SpringProxy.class,
					Advised.class, DecoratingProxy.class))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(SessionRepository.class.getMethod("findByServiceAndDid", String.class, String.class)))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onType(SimpleJpaRepository.class)
			.withMemberCategories(MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)).accepts(this.hints);
	}

	@Test
	void theSessionSchemasMigrationsAreResources() {
		for (String migration : List.of("db/atproto/migration/h2/V1__atproto_session.sql",
				"db/atproto/migration/postgresql/V3__atproto_encryption_and_accounts.sql")) {
			assertThat(getClass().getClassLoader().getResource(migration)).as(migration).isNotNull();
			assertThat(RuntimeHintsPredicates.resource().forResource(migration)).accepts(this.hints);
		}
		assertThat(RuntimeHintsPredicates.resource().forResource("db/migration/V1__app.sql")).rejects(this.hints);
	}

	@Test
	void thePropertyCheckMayReadTheConfigurationMetadata() {
		assertThat(RuntimeHintsPredicates.resource().forResource("META-INF/spring-configuration-metadata.json"))
			.accepts(this.hints);
	}

	private static RuntimeHints registered() {
		RuntimeHints hints = new RuntimeHints();
		registrars()
			.forEach((registrar) -> registrar.registerHints(hints, AtprotoRuntimeHintsTests.class.getClassLoader()));
		return hints;
	}

	private static List<RuntimeHintsRegistrar> registrars() {
		return SpringFactoriesLoader.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class);
	}

}

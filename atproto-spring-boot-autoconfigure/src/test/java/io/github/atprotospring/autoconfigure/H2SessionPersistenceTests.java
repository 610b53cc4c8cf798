package io.github.atprotospring.autoconfigure;

import java.util.List;
import java.util.UUID;

/**
 * The session persistence suite on H2, the starter's database out of the box.
 */
class H2SessionPersistenceTests extends SessionPersistenceSuite {

	@Override
	List<String> newDatabase() {
		return List.of("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
	}

}

package com.example.bot;

import io.github.atprotospring.autoconfigure.test.PdsServiceConnection;
import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest(properties = { "atproto.handle=demo.test", "atproto.password=demo-app-password" })
class GreeterTests {

	@PdsServiceConnection
	static final PdsDouble pds = PdsDouble.builder().start();

	static {
		pds.createAccount("demo.test", "demo@example.test", "demo-app-password");
	}

	@AfterAll
	static void stopPds() {
		pds.close();
	}

	@Autowired
	Greeter greeter;

	@Test
	void postsAndReadsThePostBack() {
		assertThat(this.greeter.greet()).isEqualTo("Hello from Spring Boot, demo.test");
		assertThat(pds.callCount("com.atproto.server.createSession")).isEqualTo(1);
		assertThat(pds.callCount("com.atproto.repo.createRecord")).isEqualTo(1);
	}

}

package com.example.bot;

import io.github.atprotospring.test.PdsDouble;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

@SpringBootTest
class GreeterTests {

	static final PdsDouble pds = PdsDouble.builder().start();

	static {
		pds.createAccount("demo.test", "demo@example.test", "demo-app-password");
	}

	@DynamicPropertySource
	static void atproto(DynamicPropertyRegistry registry) {
		registry.add("atproto.service", pds::url);
		registry.add("atproto.handle", () -> "demo.test");
		registry.add("atproto.password", () -> "demo-app-password");
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

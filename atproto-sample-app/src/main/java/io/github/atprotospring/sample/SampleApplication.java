package io.github.atprotospring.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application that uses the atproto starter: an injected
 * {@code AtprotoClient}, a listener of session changes, and endpoints that show the
 * session, the profile and posting.
 */
@SpringBootApplication
public class SampleApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleApplication.class, args);
	}

}

package com.example.bot;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.model.CreateRecordResponse;
import io.github.atprotospring.client.model.RecordResponse;
import io.github.atprotospring.client.model.SessionInfo;

import org.springframework.stereotype.Service;

@Service
public class Greeter {

	private final AtprotoClient client;

	public Greeter(AtprotoClient client) {
		this.client = client;
	}

	/** Posts a greeting and reads it back from the account's repository. */
	public String greet() {
		SessionInfo me = this.client.getSession();
		CreateRecordResponse post = this.client.createPost("Hello from Spring Boot, " + me.handle());
		RecordResponse record = this.client.getRecord(me.did(), "app.bsky.feed.post", post.rkey());
		return record.value().get("text").stringValue();
	}

}

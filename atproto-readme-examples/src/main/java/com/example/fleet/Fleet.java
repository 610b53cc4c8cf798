package com.example.fleet;

import java.util.List;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.AtprotoClients;
import io.github.atprotospring.client.StoredAccount;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Service;

@Service
public class Fleet {

	private final AtprotoClient news;

	private final AtprotoClients customers;

	public Fleet(@Qualifier("news") AtprotoClient news, AtprotoClients customers) {
		this.news = news;
		this.customers = customers;
	}

	/** Posts as the account of atproto.accounts.news. */
	public String announce(String text) {
		return this.news.createPost(text).uri();
	}

	/** A customer connects an account: the app password is used once and kept nowhere. */
	public String connect(String handle, String appPassword) {
		return this.customers.login(handle, appPassword).ensureSession().did();
	}

	/** Posts for a customer; its client comes from the store if it is not in memory. */
	public String postFor(String did, String text) {
		return this.customers.get(did).createPost(text).uri();
	}

	/** The accounts connected, as the store lists them (no token is read). */
	public List<String> connected() {
		return this.customers.list().stream().map(StoredAccount::handle).toList();
	}

	/** Revokes a customer's session at the server and deletes it. */
	public boolean disconnect(String did) {
		return this.customers.remove(did);
	}

}

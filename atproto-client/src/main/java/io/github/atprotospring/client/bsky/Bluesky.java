package io.github.atprotospring.client.bsky;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.XrpcException;
import io.github.atprotospring.client.lexicon.AppBskyActorDefs;
import io.github.atprotospring.client.lexicon.AppBskyEmbedDefs;
import io.github.atprotospring.client.lexicon.AppBskyEmbedExternal;
import io.github.atprotospring.client.lexicon.AppBskyEmbedImages;
import io.github.atprotospring.client.lexicon.AppBskyEmbedRecord;
import io.github.atprotospring.client.lexicon.AppBskyEmbedRecordWithMedia;
import io.github.atprotospring.client.lexicon.AppBskyFeedDefs;
import io.github.atprotospring.client.lexicon.AppBskyFeedGetAuthorFeed;
import io.github.atprotospring.client.lexicon.AppBskyFeedGetTimeline;
import io.github.atprotospring.client.lexicon.AppBskyFeedLike;
import io.github.atprotospring.client.lexicon.AppBskyFeedPost;
import io.github.atprotospring.client.lexicon.AppBskyFeedRepost;
import io.github.atprotospring.client.lexicon.AppBskyGraphFollow;
import io.github.atprotospring.client.lexicon.AppBskyGraphGetFollowers;
import io.github.atprotospring.client.lexicon.AppBskyGraphGetFollows;
import io.github.atprotospring.client.lexicon.AtUri;
import io.github.atprotospring.client.lexicon.Blob;
import io.github.atprotospring.client.lexicon.ComAtprotoIdentityResolveHandle;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoCreateRecord;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoDeleteRecord;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoGetRecord;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoListRecords;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoStrongRef;
import io.github.atprotospring.client.lexicon.Datetime;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bluesky's everyday actions on top of the typed API, as the Python SDK's client offers
 * them: post (with mentions, links and hashtags turned into facets), reply, quote, post
 * images or a link card, like, repost, follow and undo each, delete a post, upload a
 * blob, and page through a timeline, a feed, followers, follows or a collection as a
 * {@link Stream}.
 * <p>
 * Every call goes through the {@link AtprotoClient} and its session; records are written
 * to the session's own repository. Get one with {@link AtprotoClient#bsky()} or
 * {@link #Bluesky(AtprotoClient, Clock)}. Thread-safe, and cheap to make.
 * <p>
 * The records are written as the official Bluesky app writes them: facets with their
 * {@code $type} ({@code app.bsky.richtext.facet}), and the strong refs of a reply, a
 * quote, a like or a repost as plain {@code {uri, cid}}, without {@code $type} (they are
 * not in a union there); the refs these methods return have none either.
 */
public final class Bluesky {

	/** The collection of posts. */
	public static final String POST = "app.bsky.feed.post";

	/** The collection of likes. */
	public static final String LIKE = "app.bsky.feed.like";

	/** The collection of reposts. */
	public static final String REPOST = "app.bsky.feed.repost";

	/** The collection of follows. */
	public static final String FOLLOW = "app.bsky.graph.follow";

	/** How many items a page of the paging streams asks for. */
	public static final int PAGE_SIZE = 100;

	private static final JsonMapper JSON = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final AtprotoClient client;

	private final Clock clock;

	/**
	 * Bluesky's actions through a client, with the system clock for the records'
	 * {@code createdAt}.
	 * @param client the client
	 */
	public Bluesky(AtprotoClient client) {
		this(client, Clock.systemUTC());
	}

	/**
	 * Bluesky's actions through a client.
	 * @param client the client
	 * @param clock the clock of the records' {@code createdAt}
	 */
	public Bluesky(AtprotoClient client, Clock clock) {
		this.client = Objects.requireNonNull(client, "client");
		this.clock = Objects.requireNonNull(clock, "clock");
	}

	// --- rich text

	/**
	 * The DID of a handle ({@code com.atproto.identity.resolveHandle}).
	 * @param handle the handle, without {@code @}
	 * @return the DID, or empty if the server cannot resolve the handle
	 */
	public Optional<String> resolveHandle(String handle) {
		try {
			return Optional.ofNullable(this.client.com()
				.atproto()
				.identity()
				.resolveHandle(ComAtprotoIdentityResolveHandle.Params.builder().handle(handle).build())
				.did());
		}
		catch (XrpcException ex) {
			if (ex.status() == 400) {
				// InvalidRequest "Unable to resolve handle": no such handle
				return Optional.empty();
			}
			throw ex;
		}
	}

	/**
	 * A text with its mentions, links and hashtags as facets
	 * ({@link RichText#detect(String, java.util.function.Function)}); each mention's
	 * handle is resolved once, and a mention of a handle that does not resolve stays
	 * plain text.
	 * @param text the text
	 * @return the text with its facets
	 */
	public RichText richText(String text) {
		Map<String, Optional<String>> resolved = new HashMap<>();
		return RichText.detect(text, (handle) -> resolved.computeIfAbsent(handle, this::resolveHandle));
	}

	// --- posts

	/**
	 * Posts a text, with its mentions, links and hashtags as facets (the Python SDK's
	 * {@code send_post}).
	 * @param text the text
	 * @return the new post's URI and CID
	 */
	public ComAtprotoRepoStrongRef.Main post(String text) {
		return post(PostDraft.text(text).build());
	}

	/**
	 * Posts a draft: uploads its images (and a card's thumbnail), detects the facets of a
	 * plain text, reads the thread's root of a reply, and creates the
	 * {@code app.bsky.feed.post} record.
	 * @param draft the draft
	 * @return the new post's URI and CID
	 */
	public ComAtprotoRepoStrongRef.Main post(PostDraft draft) {
		Objects.requireNonNull(draft, "draft");
		RichText text = (draft.richText() != null) ? draft.richText() : richText(draft.text());
		AppBskyFeedPost.Record.Builder post = AppBskyFeedPost.Record.builder()
			.text(text.text())
			.createdAt(Datetime.now(this.clock));
		if (!text.facets().isEmpty()) {
			post.facets(text.facets());
		}
		if (draft.replyTo() != null) {
			post.reply(replyRef(draft.replyTo()));
		}
		AppBskyFeedPost.RecordEmbed embed = embed(draft);
		if (embed != null) {
			post.embed(embed);
		}
		if (!draft.langs().isEmpty()) {
			post.langs(draft.langs());
		}
		return createRecord(POST, post.build());
	}

	/**
	 * Replies to a post (the Python SDK's {@code send_post} with {@code reply_to}).
	 * @param parent the post replied to
	 * @param text the reply's text
	 * @return the reply's URI and CID
	 */
	public ComAtprotoRepoStrongRef.Main reply(ComAtprotoRepoStrongRef.Main parent, String text) {
		return post(PostDraft.text(text).replyTo(parent).build());
	}

	/**
	 * Quotes a post ({@code app.bsky.embed.record}).
	 * @param quoted the post quoted
	 * @param text the text
	 * @return the new post's URI and CID
	 */
	public ComAtprotoRepoStrongRef.Main quote(ComAtprotoRepoStrongRef.Main quoted, String text) {
		return post(PostDraft.text(text).quote(quoted).build());
	}

	/**
	 * Posts a text with an image (the Python SDK's {@code send_image}).
	 * @param text the text
	 * @param image the image
	 * @return the new post's URI and CID
	 */
	public ComAtprotoRepoStrongRef.Main postImage(String text, ImageUpload image) {
		return postImages(text, List.of(image));
	}

	/**
	 * Posts a text with up to four images (the Python SDK's {@code send_images}).
	 * @param text the text
	 * @param images the images
	 * @return the new post's URI and CID
	 */
	public ComAtprotoRepoStrongRef.Main postImages(String text, List<ImageUpload> images) {
		PostDraft.Builder draft = PostDraft.text(text);
		images.forEach(draft::image);
		return post(draft.build());
	}

	/**
	 * Posts a text with a link card ({@code app.bsky.embed.external}).
	 * @param text the text
	 * @param card the card
	 * @return the new post's URI and CID
	 */
	public ComAtprotoRepoStrongRef.Main postExternal(String text, ExternalCard card) {
		return post(PostDraft.text(text).external(card).build());
	}

	/**
	 * The reply reference of a reply to a post: the post as parent, and the root of its
	 * thread, read from the post ({@code com.atproto.repo.getRecord}): the parent's own
	 * root if it is a reply, else the parent.
	 * @param parent the post replied to
	 * @return the reply reference
	 */
	public AppBskyFeedPost.ReplyRef replyRef(ComAtprotoRepoStrongRef.Main parent) {
		Objects.requireNonNull(parent, "parent");
		AppBskyFeedPost.Record read = getRecord(parent.uri(), AppBskyFeedPost.Record.class).value();
		ComAtprotoRepoStrongRef.Main root = (read.reply() != null) ? read.reply().root() : parent;
		return AppBskyFeedPost.ReplyRef.builder().root(strongRef(root)).parent(strongRef(parent)).build();
	}

	/**
	 * Deletes a post (the Python SDK's {@code delete_post}).
	 * @param post the post's URI
	 */
	public void deletePost(AtUri post) {
		deleteRecord(post, POST);
	}

	/**
	 * Uploads a blob ({@code com.atproto.repo.uploadBlob}; the Python SDK's
	 * {@code upload_blob}), to reference from a record.
	 * @param data the bytes
	 * @param mimeType their MIME type
	 * @return the blob reference
	 */
	public Blob uploadBlob(byte[] data, String mimeType) {
		return this.client.com().atproto().repo().uploadBlob(data, mimeType).blob();
	}

	private AppBskyFeedPost.RecordEmbed embed(PostDraft draft) {
		AppBskyEmbedImages.Main images = draft.images().isEmpty() ? null
				: AppBskyEmbedImages.Main.builder()
					.images(draft.images().stream().map(this::uploadImage).toList())
					.build();
		AppBskyEmbedExternal.Main external = (draft.external() != null) ? external(draft.external()) : null;
		if (draft.quote() == null) {
			return (images != null) ? images : external;
		}
		AppBskyEmbedRecord.Main quoted = AppBskyEmbedRecord.Main.builder().record(strongRef(draft.quote())).build();
		AppBskyEmbedRecordWithMedia.MainMedia media = (images != null) ? images : external;
		if (media == null) {
			return quoted;
		}
		return AppBskyEmbedRecordWithMedia.Main.builder().record(quoted).media(media).build();
	}

	private AppBskyEmbedImages.Image uploadImage(ImageUpload image) {
		AppBskyEmbedImages.Image.Builder embedded = AppBskyEmbedImages.Image.builder()
			.image(uploadBlob(image.data(), image.mimeType()))
			.alt(image.alt());
		if (image.width() != null) {
			embedded.aspectRatio(
					AppBskyEmbedDefs.AspectRatio.builder().width(image.width()).height(image.height()).build());
		}
		return embedded.build();
	}

	private AppBskyEmbedExternal.Main external(ExternalCard card) {
		AppBskyEmbedExternal.External.Builder external = AppBskyEmbedExternal.External.builder()
			.uri(card.uri())
			.title(card.title())
			.description(card.description());
		if (card.thumb() != null) {
			external.thumb(uploadBlob(card.thumb().data(), card.thumb().mimeType()));
		}
		return AppBskyEmbedExternal.Main.builder().external(external.build()).build();
	}

	// --- likes, reposts, follows

	/**
	 * Likes a post (the Python SDK's {@code like}).
	 * @param subject the post
	 * @return the like record's URI and CID; its URI undoes it with {@link #unlike}
	 */
	public ComAtprotoRepoStrongRef.Main like(ComAtprotoRepoStrongRef.Main subject) {
		return createRecord(LIKE,
				AppBskyFeedLike.Record.builder()
					.subject(strongRef(Objects.requireNonNull(subject, "subject")))
					.createdAt(Datetime.now(this.clock))
					.build());
	}

	/**
	 * Undoes a like: deletes the like record (the Python SDK's {@code unlike}).
	 * @param like the like record's URI, as {@link #like} returned it
	 */
	public void unlike(AtUri like) {
		deleteRecord(like, LIKE);
	}

	/**
	 * Reposts a post (the Python SDK's {@code repost}).
	 * @param subject the post
	 * @return the repost record's URI and CID; its URI undoes it with {@link #unrepost}
	 */
	public ComAtprotoRepoStrongRef.Main repost(ComAtprotoRepoStrongRef.Main subject) {
		return createRecord(REPOST,
				AppBskyFeedRepost.Record.builder()
					.subject(strongRef(Objects.requireNonNull(subject, "subject")))
					.createdAt(Datetime.now(this.clock))
					.build());
	}

	/**
	 * Undoes a repost: deletes the repost record (the Python SDK's {@code unrepost}).
	 * @param repost the repost record's URI, as {@link #repost} returned it
	 */
	public void unrepost(AtUri repost) {
		deleteRecord(repost, REPOST);
	}

	/**
	 * Follows an account (the Python SDK's {@code follow}).
	 * @param did the account's DID
	 * @return the follow record's URI and CID; its URI undoes it with {@link #unfollow}
	 */
	public ComAtprotoRepoStrongRef.Main follow(String did) {
		if (did == null || !did.startsWith("did:")) {
			throw new IllegalArgumentException("A follow names the account by its DID, but was '" + did + "'");
		}
		return createRecord(FOLLOW,
				AppBskyGraphFollow.Record.builder().subject(did).createdAt(Datetime.now(this.clock)).build());
	}

	/**
	 * Undoes a follow: deletes the follow record (the Python SDK's {@code unfollow}).
	 * @param follow the follow record's URI, as {@link #follow} returned it
	 */
	public void unfollow(AtUri follow) {
		deleteRecord(follow, FOLLOW);
	}

	// --- records

	/**
	 * Reads a record into its type ({@code com.atproto.repo.getRecord}).
	 * @param <T> the record type
	 * @param uri the record's AT-URI
	 * @param type the record type, such as {@code AppBskyFeedPost.Record.class}
	 * @return the record
	 */
	public <T> RepoRecord<T> getRecord(AtUri uri, Class<T> type) {
		Objects.requireNonNull(uri, "uri");
		ComAtprotoRepoGetRecord.Output read = this.client.com()
			.atproto()
			.repo()
			.getRecord(ComAtprotoRepoGetRecord.Params.builder()
				.repo(uri.authority())
				.collection(uri.collection())
				.rkey(uri.rkey())
				.build());
		return new RepoRecord<>(read.uri(), read.cid(), read(read.value(), type));
	}

	/**
	 * The records of a collection, newest first, read into their type
	 * ({@code com.atproto.repo.listRecords}, paged lazily).
	 * @param <T> the record type
	 * @param repo the repository's DID or handle
	 * @param collection the collection, such as {@value #LIKE}
	 * @param type the record type, such as {@code AppBskyFeedLike.Record.class}
	 * @return the records
	 */
	public <T> Stream<RepoRecord<T>> listRecords(String repo, String collection, Class<T> type) {
		Objects.requireNonNull(type, "type");
		return Paging.stream((cursor) -> {
			ComAtprotoRepoListRecords.Output page = this.client.com()
				.atproto()
				.repo()
				.listRecords(ComAtprotoRepoListRecords.Params.builder()
					.repo(repo)
					.collection(collection)
					.limit(PAGE_SIZE)
					.cursor(cursor)
					.build());
			return new Page<>(page.records()
				.stream()
				.map((listed) -> new RepoRecord<>(listed.uri(), listed.cid(), read(listed.value(), type)))
				.toList(), page.cursor());
		});
	}

	// --- feeds and graphs, paged

	/**
	 * The session's home timeline, newest first ({@code app.bsky.feed.getTimeline}, paged
	 * lazily; the Python SDK's {@code get_timeline}).
	 * @return the timeline's items
	 */
	public Stream<AppBskyFeedDefs.FeedViewPost> timeline() {
		return Paging.stream((cursor) -> {
			AppBskyFeedGetTimeline.Output page = this.client.app()
				.bsky()
				.feed()
				.getTimeline(AppBskyFeedGetTimeline.Params.builder().limit(PAGE_SIZE).cursor(cursor).build());
			return new Page<>(page.feed(), page.cursor());
		});
	}

	/**
	 * An account's posts and reposts, newest first ({@code app.bsky.feed.getAuthorFeed},
	 * paged lazily).
	 * @param actor the account's handle or DID
	 * @return the feed's items
	 */
	public Stream<AppBskyFeedDefs.FeedViewPost> authorFeed(String actor) {
		return Paging.stream((cursor) -> {
			AppBskyFeedGetAuthorFeed.Output page = this.client.app()
				.bsky()
				.feed()
				.getAuthorFeed(
						AppBskyFeedGetAuthorFeed.Params.builder().actor(actor).limit(PAGE_SIZE).cursor(cursor).build());
			return new Page<>(page.feed(), page.cursor());
		});
	}

	/**
	 * The accounts that follow an account ({@code app.bsky.graph.getFollowers}, paged
	 * lazily).
	 * @param actor the account's handle or DID
	 * @return the followers
	 */
	public Stream<AppBskyActorDefs.ProfileView> followers(String actor) {
		return Paging.stream((cursor) -> {
			AppBskyGraphGetFollowers.Output page = this.client.app()
				.bsky()
				.graph()
				.getFollowers(
						AppBskyGraphGetFollowers.Params.builder().actor(actor).limit(PAGE_SIZE).cursor(cursor).build());
			return new Page<>(page.followers(), page.cursor());
		});
	}

	/**
	 * The accounts an account follows ({@code app.bsky.graph.getFollows}, paged lazily).
	 * @param actor the account's handle or DID
	 * @return the accounts followed
	 */
	public Stream<AppBskyActorDefs.ProfileView> follows(String actor) {
		return Paging.stream((cursor) -> {
			AppBskyGraphGetFollows.Output page = this.client.app()
				.bsky()
				.graph()
				.getFollows(
						AppBskyGraphGetFollows.Params.builder().actor(actor).limit(PAGE_SIZE).cursor(cursor).build());
			return new Page<>(page.follows(), page.cursor());
		});
	}

	// --- repository writes

	private String did() {
		return this.client.ensureSession().did();
	}

	private ComAtprotoRepoStrongRef.Main createRecord(String collection, Object record) {
		ComAtprotoRepoCreateRecord.Output created = this.client.com()
			.atproto()
			.repo()
			.createRecord(ComAtprotoRepoCreateRecord.Input.builder()
				.repo(did())
				.collection(collection)
				.record(JSON.valueToTree(record))
				.build());
		return strongRef(created.uri(), created.cid());
	}

	/**
	 * A strong ref as the official app writes one where it is not in a union: its
	 * {@code uri} and {@code cid}, without {@code $type}.
	 */
	private static ComAtprotoRepoStrongRef.Main strongRef(ComAtprotoRepoStrongRef.Main ref) {
		return strongRef(ref.uri(), ref.cid());
	}

	private static ComAtprotoRepoStrongRef.Main strongRef(AtUri uri, String cid) {
		return ComAtprotoRepoStrongRef.Main.builder().lexiconType(null).uri(uri).cid(cid).build();
	}

	/**
	 * Deletes a record of the session's repository, after checking that the URI names one
	 * of the expected collection: an undo must never delete something else.
	 */
	private void deleteRecord(AtUri uri, String collection) {
		Objects.requireNonNull(uri, "uri");
		if (!collection.equals(uri.collection()) || uri.rkey() == null) {
			throw new IllegalArgumentException("Expected the URI of a record of " + collection + ", but was " + uri);
		}
		this.client.com()
			.atproto()
			.repo()
			.deleteRecord(ComAtprotoRepoDeleteRecord.Input.builder()
				.repo(uri.authority())
				.collection(collection)
				.rkey(uri.rkey())
				.build());
	}

	private static <T> T read(JsonNode value, Class<T> type) {
		return (type == JsonNode.class) ? type.cast(value) : JSON.treeToValue(value, type);
	}

}

package io.github.atprotospring.client.bsky;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * What a draft, an image and a card accept, checked before any call is made.
 */
class PostDraftTests {

	private static final ImageUpload IMAGE = ImageUpload.of(new byte[] { 1 }, "image/png", "a dot");

	@Test
	void aDraftHasATextOrARichTextNotBoth() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new PostDraft("a", RichText.plain("b"), null, null, null, null, null));
		assertThatIllegalArgumentException().isThrownBy(() -> new PostDraft(null, null, null, null, null, null, null));
	}

	@Test
	void aDraftCarriesImagesOrACardNotBoth() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> PostDraft.text("x")
				.image(IMAGE)
				.external(ExternalCard.of("https://example.com", "t", "d"))
				.build())
			.withMessageContaining("not both");
	}

	@Test
	void aDraftCarriesFourImagesAtMost() {
		PostDraft.Builder draft = PostDraft.text("x");
		for (int i = 0; i < PostDraft.MAX_IMAGES; i++) {
			draft.image(IMAGE);
		}
		assertThat(draft.build().images()).hasSize(4);
		assertThatIllegalArgumentException().isThrownBy(() -> draft.image(IMAGE).build())
			.withMessageContaining("at most 4 images");
	}

	@Test
	void aDraftCopiesItsLists() {
		PostDraft draft = PostDraft.text("x").langs("en").build();
		assertThat(draft.langs()).containsExactly("en");
		assertThat(draft.images()).isEmpty();
		assertThat(draft.replyTo()).isNull();
	}

	@Test
	void anImageHasNoAltTextUnlessGivenOne() {
		assertThat(ImageUpload.of(new byte[] { 1 }, "image/png", null).alt()).isEmpty();
	}

	@Test
	void anAspectRatioNeedsAPositiveWidthAndHeight() {
		assertThatIllegalArgumentException().isThrownBy(() -> IMAGE.withAspectRatio(0, 10));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ImageUpload(new byte[] { 1 }, "image/png", "", 10, null));
		assertThat(IMAGE.withAspectRatio(4, 3)).satisfies((image) -> {
			assertThat(image.width()).isEqualTo(4);
			assertThat(image.height()).isEqualTo(3);
		});
	}

	@Test
	void anImageShowsItsSizeNotItsBytes() {
		assertThat(IMAGE.withAspectRatio(4, 3)).hasToString("ImageUpload[image/png, 1 bytes, 4x3]");
	}

	@Test
	void aCardWithoutTitleOrDescriptionHasEmptyOnes() {
		ExternalCard card = new ExternalCard("https://example.com", null, null, null);
		assertThat(card.title()).isEmpty();
		assertThat(card.description()).isEmpty();
		assertThat(List.of(card.uri())).containsExactly("https://example.com");
	}

}

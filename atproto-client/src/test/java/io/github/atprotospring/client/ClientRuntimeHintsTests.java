package io.github.atprotospring.client;

import java.util.List;

import io.github.atprotospring.client.lexicon.AppBskyEmbedImages;
import io.github.atprotospring.client.lexicon.AppBskyFeedDefs;
import io.github.atprotospring.client.lexicon.AppBskyFeedPost;
import io.github.atprotospring.client.lexicon.ComAtprotoRepoCreateRecord;
import io.github.atprotospring.client.lexicon.Datetime;
import io.github.atprotospring.client.lexicon.UnionWriter;
import io.github.atprotospring.client.model.CreateRecordResponse;
import io.github.atprotospring.client.model.Profile;
import io.github.atprotospring.client.model.RecordResponse;
import io.github.atprotospring.client.model.SessionInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hints of the client's ahead-of-time processing: Jackson may construct every answer
 * record of the typed calls and of the generated API and read its components, and use the
 * readers of the unions and the creators of the value types.
 */
class ClientRuntimeHintsTests {

	final RuntimeHints hints = new RuntimeHints();

	@Test
	void theRegistrarIsFoundInAotFactories() {
		List<RuntimeHintsRegistrar> registrars = SpringFactoriesLoader
			.forResourceLocation("META-INF/spring/aot.factories")
			.load(RuntimeHintsRegistrar.class);
		assertThat(registrars).hasAtLeastOneElementOfType(ClientRuntimeHints.class);
	}

	@ParameterizedTest
	@ValueSource(classes = { CreateRecordResponse.class, Profile.class, RecordResponse.class, SessionInfo.class,
			AppBskyFeedPost.Record.class, AppBskyEmbedImages.Main.class, AppBskyFeedDefs.PostView.class,
			AppBskyFeedPost.RecordEmbed.Unknown.class, ComAtprotoRepoCreateRecord.Output.class })
	void everyAnswerRecordCanBeBoundByJackson(Class<?> record) {
		new ClientRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(record)).accepts(this.hints);
		assertThat(record.getRecordComponents()).allSatisfy((component) -> assertThat(
				RuntimeHintsPredicates.reflection().onMethodInvocation(component.getAccessor()))
			.accepts(this.hints));
		assertThat(RuntimeHintsPredicates.reflection().onConstructorInvocation(record.getDeclaredConstructors()[0]))
			.accepts(this.hints);
	}

	@Test
	void theReadersOfUnionsAndTheCreatorsOfValueTypesCanBeUsedByJackson() throws NoSuchMethodException {
		new ClientRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
		assertThat(RuntimeHintsPredicates.reflection().onType(AppBskyFeedPost.RecordEmbed.class)).accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onConstructorInvocation(AppBskyFeedPost.RecordEmbed.Reader.class.getDeclaredConstructor()))
			.accepts(this.hints);
		assertThat(
				RuntimeHintsPredicates.reflection().onConstructorInvocation(UnionWriter.class.getDeclaredConstructor()))
			.accepts(this.hints);
		assertThat(RuntimeHintsPredicates.reflection()
			.onMethodInvocation(Datetime.class.getDeclaredMethod("read", String.class))).accepts(this.hints);
	}

}

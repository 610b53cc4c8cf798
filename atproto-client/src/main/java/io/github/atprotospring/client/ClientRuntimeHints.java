package io.github.atprotospring.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.atprotospring.client.lexicon.AtUri;
import io.github.atprotospring.client.lexicon.Blob;
import io.github.atprotospring.client.lexicon.Bytes;
import io.github.atprotospring.client.lexicon.Datetime;
import io.github.atprotospring.client.lexicon.UnionReader;
import io.github.atprotospring.client.lexicon.UnionWriter;
import io.github.atprotospring.client.model.CreateRecordResponse;
import io.github.atprotospring.client.model.Profile;
import io.github.atprotospring.client.model.RecordResponse;
import io.github.atprotospring.client.model.SessionInfo;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.ClassUtils;

/**
 * What the client reflects on, for Spring's ahead-of-time processing (a native image):
 * Jackson binds the answers of the typed calls to the records of
 * {@link io.github.atprotospring.client.model}, and reads and writes the typed API of
 * {@link io.github.atprotospring.client.lexicon} (its records, the readers of its unions
 * and their writer, the creators of its value types), whose classes are found on the
 * class path. Session answers and session JSON are read as trees, and request bodies
 * written from maps, with no reflection. Registered in
 * {@code META-INF/spring/aot.factories}.
 */
class ClientRuntimeHints implements RuntimeHintsRegistrar {

	private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		this.bindings.registerReflectionHints(hints.reflection(), CreateRecordResponse.class, Profile.class,
				RecordResponse.class, SessionInfo.class);
		for (Class<?> type : lexiconTypes(classLoader)) {
			if (type.isRecord()) {
				this.bindings.registerReflectionHints(hints.reflection(), type);
			}
			else if (UnionReader.class.isAssignableFrom(type) || type == UnionWriter.class) {
				hints.reflection().registerType(type, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
			}
			else if (type.isSealed()) {
				// a union's interface, whose annotation names its reader
				hints.reflection().registerType(type);
			}
		}
		// the value types' JSON creators and values
		for (Class<?> type : List.of(AtUri.class, Datetime.class, Blob.class, Bytes.class)) {
			hints.reflection()
				.registerType(type, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS,
						MemberCategory.INVOKE_DECLARED_METHODS);
		}
	}

	private static List<Class<?>> lexiconTypes(ClassLoader classLoader) {
		String pattern = "classpath*:" + ClassUtils.convertClassNameToResourcePath(UnionReader.class.getPackageName())
				+ "/*.class";
		List<Class<?>> types = new ArrayList<>();
		try {
			for (Resource resource : new PathMatchingResourcePatternResolver(classLoader).getResources(pattern)) {
				String file = resource.getFilename();
				if (file == null || file.startsWith("package-info")) {
					continue;
				}
				String name = UnionReader.class.getPackageName() + "." + file.substring(0, file.length() - 6);
				types.add(ClassUtils.resolveClassName(name, classLoader));
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("The classes of the typed API could not be listed", ex);
		}
		types.sort(Comparator.comparing(Class::getName));
		return types;
	}

}

package io.github.atprotospring.autoconfigure.jpa;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.orm.jpa.persistenceunit.PersistenceManagedTypes;

/**
 * Adds {@link StoredSession} to the application's persistence unit. Registering our
 * package for entity scanning instead would either need the application's
 * {@code @EntityScan} or replace the application's default scan; adding one class to the
 * managed types does neither.
 */
class StoredSessionManagedTypesPostProcessor implements BeanPostProcessor {

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof PersistenceManagedTypes types
				&& !types.getManagedClassNames().contains(StoredSession.class.getName())) {
			return new WithStoredSession(types);
		}
		return bean;
	}

	private static final class WithStoredSession implements PersistenceManagedTypes {

		private final PersistenceManagedTypes delegate;

		private final List<String> classNames;

		WithStoredSession(PersistenceManagedTypes delegate) {
			this.delegate = delegate;
			List<String> names = new ArrayList<>(delegate.getManagedClassNames());
			names.add(StoredSession.class.getName());
			this.classNames = List.copyOf(names);
		}

		@Override
		public List<String> getManagedClassNames() {
			return this.classNames;
		}

		@Override
		public List<String> getManagedPackages() {
			return this.delegate.getManagedPackages();
		}

		@Override
		public URL getPersistenceUnitRootUrl() {
			return this.delegate.getPersistenceUnitRootUrl();
		}

	}

}

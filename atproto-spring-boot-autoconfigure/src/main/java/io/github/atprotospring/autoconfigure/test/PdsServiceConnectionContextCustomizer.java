package io.github.atprotospring.autoconfigure.test;

import io.github.atprotospring.autoconfigure.AtprotoConnectionDetails;
import io.github.atprotospring.test.PdsDouble;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Registers the {@link AtprotoConnectionDetails} of a {@link PdsDouble} in a test's
 * application context. Two test classes share a cached context only if they share the
 * double.
 */
class PdsServiceConnectionContextCustomizer implements ContextCustomizer {

	static final String BEAN_NAME = "pdsServiceConnectionAtprotoConnectionDetails";

	private final PdsDouble pds;

	/**
	 * @param pds the {@link PdsDouble}
	 */
	PdsServiceConnectionContextCustomizer(Object pds) {
		this.pds = (PdsDouble) pds;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		if (context.getBeanFactory() instanceof BeanDefinitionRegistry registry) {
			AtprotoConnectionDetails connectionDetails = new PdsDoubleConnectionDetails(this.pds);
			registry.registerBeanDefinition(BEAN_NAME,
					new RootBeanDefinition(AtprotoConnectionDetails.class, () -> connectionDetails));
		}
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof PdsServiceConnectionContextCustomizer other) && other.pds == this.pds;
	}

	@Override
	public int hashCode() {
		return System.identityHashCode(this.pds);
	}

	/**
	 * The service of a {@link PdsDouble}.
	 */
	record PdsDoubleConnectionDetails(PdsDouble pds) implements AtprotoConnectionDetails {

		@Override
		public String getService() {
			return this.pds.url();
		}

	}

}

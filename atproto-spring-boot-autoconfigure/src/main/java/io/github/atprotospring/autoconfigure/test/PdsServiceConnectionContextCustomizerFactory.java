package io.github.atprotospring.autoconfigure.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Finds the {@link PdsServiceConnection @PdsServiceConnection} field of a test class (and
 * of its superclasses, interfaces and enclosing classes) and makes the customizer that
 * registers its connection details. Registered in {@code META-INF/spring.factories}; does
 * nothing when atproto-test is not on the class path, and names {@code PdsDouble} only by
 * its class name, so that it loads without it.
 */
class PdsServiceConnectionContextCustomizerFactory implements ContextCustomizerFactory {

	private static final String PDS_DOUBLE = "io.github.atprotospring.test.PdsDouble";

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		if (!ClassUtils.isPresent(PDS_DOUBLE, testClass.getClassLoader())) {
			return null;
		}
		List<Field> fields = new ArrayList<>();
		collect(testClass, fields);
		if (fields.isEmpty()) {
			return null;
		}
		if (fields.size() > 1) {
			throw new IllegalStateException("A test class may have one @PdsServiceConnection field, for the one "
					+ "service of the auto-configured client, but " + testClass.getName() + " has "
					+ fields.stream().map(Field::getName).toList());
		}
		return new PdsServiceConnectionContextCustomizer(pdsDouble(fields.get(0)));
	}

	private void collect(Class<?> candidate, List<Field> fields) {
		if (candidate == null || candidate == Object.class) {
			return;
		}
		ReflectionUtils.doWithLocalFields(candidate, (field) -> {
			if (MergedAnnotations.from(field).isPresent(PdsServiceConnection.class)) {
				fields.add(field);
			}
		});
		if (TestContextAnnotationUtils.searchEnclosingClass(candidate)) {
			collect(candidate.getEnclosingClass(), fields);
		}
		for (Class<?> implemented : candidate.getInterfaces()) {
			collect(implemented, fields);
		}
		collect(candidate.getSuperclass(), fields);
	}

	private static Object pdsDouble(Field field) {
		String where = "@PdsServiceConnection field '" + field.getName() + "' of "
				+ field.getDeclaringClass().getName();
		if (!Modifier.isStatic(field.getModifiers())) {
			throw new IllegalStateException(
					where + " must be static, so that the double is started before the " + "application context is");
		}
		ReflectionUtils.makeAccessible(field);
		Object value = ReflectionUtils.getField(field, null);
		if (value == null || !ClassUtils.isAssignableValue(
				ClassUtils.resolveClassName(PDS_DOUBLE, field.getDeclaringClass().getClassLoader()), value)) {
			throw new IllegalStateException(where + " must hold a started PdsDouble, but holds "
					+ ((value != null) ? value.getClass().getName() : "null"));
		}
		return value;
	}

}

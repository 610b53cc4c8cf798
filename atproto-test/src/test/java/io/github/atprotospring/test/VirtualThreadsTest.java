package io.github.atprotospring.test;

import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class VirtualThreadsTest {

	@Test
	void availableFromJava21() {
		assertThat(VirtualThreads.available()).isEqualTo(Runtime.version().feature() >= 21);
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void beforeJava21NoThreadIsVirtual() {
		assertThat(VirtualThreads.isVirtual(Thread.currentThread())).isFalse();
	}

	@Test
	@EnabledForJreRange(max = JRE.JAVA_20)
	void beforeJava21SayWhatIsMissing() {
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(VirtualThreads::newPerTaskExecutor)
			.withMessageContaining("Java 21 or later")
			.withMessageContaining("Java " + Runtime.version().feature());
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void tasksAndFactoryThreadsAreVirtual() throws Exception {
		Method isVirtual = Thread.class.getMethod("isVirtual");
		ExecutorService executor = VirtualThreads.newPerTaskExecutor();
		try {
			Future<Object> virtual = executor.submit(() -> isVirtual.invoke(Thread.currentThread()));
			assertThat(virtual.get(10, TimeUnit.SECONDS)).isEqualTo(true);
		}
		finally {
			executor.shutdownNow();
		}
		Thread thread = VirtualThreads.factory("probe-").newThread(() -> {
		});
		assertThat(isVirtual.invoke(thread)).isEqualTo(true);
		assertThat(VirtualThreads.isVirtual(thread)).isTrue();
		assertThat(VirtualThreads.isVirtual(Thread.currentThread())).isFalse();
		assertThat(thread.getName()).isEqualTo("probe-0");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void aVirtualThreadThatParksInsideANativeFrameIsRecordedAsPinned() throws Exception {
		VirtualThreads.PinningRecording recording = VirtualThreads.recordPinning();
		// A class initializer is a frame a virtual thread cannot unmount from, on every
		// Java version: parking there pins the carrier.
		Thread thread = VirtualThreads.factory("pinning-").newThread(() -> ParksWhileInitializing.touch());
		thread.start();
		thread.join(TimeUnit.SECONDS.toMillis(30));
		List<String> pinned = recording.stop();
		assertThat(pinned).isNotEmpty().first().asString().contains("ParksWhileInitializing");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void aVirtualThreadThatParksFreelyIsNotRecorded() throws Exception {
		VirtualThreads.PinningRecording recording = VirtualThreads.recordPinning();
		Thread thread = VirtualThreads.factory("free-").newThread(() -> LockSupport.parkNanos(1_000_000));
		thread.start();
		thread.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(recording.stop()).isEmpty();
	}

	static final class ParksWhileInitializing {

		static {
			LockSupport.parkNanos(20_000_000);
		}

		static void touch() {
		}

	}

}

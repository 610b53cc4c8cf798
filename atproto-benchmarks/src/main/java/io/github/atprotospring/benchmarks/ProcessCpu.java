package io.github.atprotospring.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * CPU time of a process and its descendants, as the operating system counts it (on Linux
 * from {@code /proc}, in clock ticks of 10 ms): enough to divide over thousands of calls.
 */
final class ProcessCpu {

	/**
	 * Linux's clock ticks per second as {@code /proc} reports them on every common
	 * kernel.
	 */
	private static final long TICK_NANOS = 10_000_000L;

	private ProcessCpu() {
	}

	/**
	 * CPU time used so far by a process and every live descendant.
	 * @param process the process
	 * @return the sum, zero where the platform does not tell
	 */
	static Duration of(ProcessHandle process) {
		Duration total = process.info().totalCpuDuration().orElse(Duration.ZERO);
		return process.descendants()
			.map((child) -> child.info().totalCpuDuration().orElse(Duration.ZERO))
			.reduce(total, Duration::plus);
	}

	/**
	 * CPU time in the kernel used so far by a process (not its descendants), from
	 * {@code /proc/<pid>/stat}.
	 * @param process the process
	 * @return the time, zero where {@code /proc} is not there
	 */
	static Duration system(ProcessHandle process) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
			// Fields after the command's closing parenthesis: state is field 3, stime 15.
			String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
			return Duration.ofNanos(Long.parseLong(fields[12]) * TICK_NANOS);
		}
		catch (IOException | RuntimeException ex) {
			return Duration.ZERO;
		}
	}

}

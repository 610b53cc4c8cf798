package io.github.atprotospring.benchmarks;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.github.atprotospring.client.AtprotoClient;
import io.github.atprotospring.client.SessionEvent;
import io.github.atprotospring.test.PdsDouble;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * Restarts of an application with the starter on an H2 database in a file: a first start
 * that logs in and stores the session, then restarts in the same JVM that should resume
 * it from the database (no {@code createSession}). Each start is timed from the start of
 * {@code SpringApplication.run} to the end of the first authenticated call
 * ({@code getSession()}).
 */
final class RestartBenchmark implements Benchmark {

	@Override
	public String name() {
		return "restarts";
	}

	@Override
	public String summary() {
		return "application restarts with a stored session (H2 in a file): logins and time to the first call";
	}

	@Override
	public void run(Options options, PrintStream out) throws IOException {
		int restarts = options.count("restarts.count", 20, 2);
		long deadline = System.nanoTime() + options.timeLimit().toNanos();
		Path directory = Files.createTempDirectory("atproto-bench-restarts-");
		try (PdsDouble pds = PdsDouble.builder().start()) {
			pds.createAccount(Benchmarks.HANDLE, Benchmarks.EMAIL, Benchmarks.PASSWORD);
			Map<String, String> properties = new LinkedHashMap<>();
			properties.put("spring.datasource.url", "jdbc:h2:file:" + directory.resolve("sessions").toAbsolutePath());
			properties.put("atproto.service", pds.url());
			properties.put("atproto.handle", Benchmarks.HANDLE);
			properties.put("atproto.password", Benchmarks.PASSWORD);

			Start first = start(pds, properties);
			long[] toFirstCall = new long[restarts];
			long[] contextOnly = new long[restarts];
			int creates = 0;
			int imports = 0;
			int done = 0;
			for (int i = 0; i < restarts && System.nanoTime() - deadline < 0; i++) {
				Start restart = start(pds, properties);
				toFirstCall[i] = restart.toFirstCall();
				contextOnly[i] = restart.context();
				creates += restart.createSessionCalls();
				imports += restart.imports() > 0 ? 1 : 0;
				done++;
			}
			Stats call = Stats.of(toFirstCall, done);
			Stats context = Stats.of(contextOnly, done);
			long[] sorted = Arrays.copyOf(toFirstCall, done);
			Arrays.sort(sorted);

			Table table = new Table("figure", "value", "target");
			table.row("first start: createSession calls", first.createSessionCalls(), 1)
				.row("first start: events", first.events(), "")
				.row("first start: start to first authenticated call", Stats.ms(first.toFirstCall()), "")
				.row("restarts", done, restarts)
				.row("createSession calls in all restarts", creates, 0)
				.row("restarts that imported the stored session", imports, done)
				.row("start to first authenticated call, min", Stats.ms(sorted[0]), "")
				.row("start to first authenticated call, median", Stats.ms(call.p50()), "")
				.row("start to first authenticated call, max", Stats.ms(call.max()), "")
				.row("of which SpringApplication.run, median", Stats.ms(context.p50()), "")
				.row("of which the first call, median", Stats.ms(median(toFirstCall, contextOnly, done)), "");
			table.print(out);
			StringBuilder each = new StringBuilder("Each restart, start to first authenticated call (ms):");
			for (int i = 0; i < done; i++) {
				each.append(' ').append(Math.round(toFirstCall[i] / 1e6));
			}
			out.println(each);
			out.println();
			if (done < restarts) {
				out.println("STOPPED at the time limit after " + done + " of " + restarts + " restarts.");
			}
		}
		finally {
			delete(directory);
		}
	}

	private static Start start(PdsDouble pds, Map<String, String> properties) {
		EventCounter events = new EventCounter();
		int createBefore = pds.callCount(Benchmarks.CREATE_SESSION);
		long start = System.nanoTime();
		long context;
		long firstCall;
		try (ConfigurableApplicationContext application = BenchApplication.start(properties, null, events, true)) {
			context = System.nanoTime() - start;
			application.getBean(AtprotoClient.class).getSession();
			firstCall = System.nanoTime() - start;
		}
		return new Start(context, firstCall, pds.callCount(Benchmarks.CREATE_SESSION) - createBefore,
				(int) events.count(SessionEvent.IMPORT), events.summary());
	}

	private static long median(long[] total, long[] part, int count) {
		long[] difference = new long[count];
		for (int i = 0; i < count; i++) {
			difference[i] = total[i] - part[i];
		}
		return Stats.of(difference, count).p50();
	}

	private static void delete(Path directory) throws IOException {
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

	private record Start(long context, long toFirstCall, int createSessionCalls, int imports, String events) {
	}

}

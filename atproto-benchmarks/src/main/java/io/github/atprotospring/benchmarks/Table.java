package io.github.atprotospring.benchmarks;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small text table, printed as Markdown so that it can be pasted into BENCHMARKS.md as
 * it is.
 */
final class Table {

	private final String[] header;

	private final List<String[]> rows = new ArrayList<>();

	Table(String... header) {
		this.header = header;
	}

	Table row(Object... cells) {
		if (cells.length != this.header.length) {
			throw new IllegalArgumentException(
					"A row of " + cells.length + " cells in a table of " + this.header.length + " columns");
		}
		this.rows.add(Arrays.stream(cells).map(String::valueOf).toArray(String[]::new));
		return this;
	}

	void print(PrintStream out) {
		int[] widths = new int[this.header.length];
		for (int i = 0; i < widths.length; i++) {
			widths[i] = Math.max(3, this.header[i].length());
			for (String[] row : this.rows) {
				widths[i] = Math.max(widths[i], row[i].length());
			}
		}
		out.println(line(this.header, widths));
		String[] rule = new String[widths.length];
		for (int i = 0; i < widths.length; i++) {
			rule[i] = "-".repeat(widths[i]);
		}
		out.println(line(rule, widths));
		for (String[] row : this.rows) {
			out.println(line(row, widths));
		}
		out.println();
		out.flush();
	}

	private static String line(String[] cells, int[] widths) {
		StringBuilder line = new StringBuilder("|");
		for (int i = 0; i < cells.length; i++) {
			line.append(' ').append(cells[i]).append(" ".repeat(widths[i] - cells[i].length())).append(" |");
		}
		return line.toString();
	}

}

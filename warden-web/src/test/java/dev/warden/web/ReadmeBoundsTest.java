package dev.warden.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Element;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Random;

/**
 * Hostile shapes render, stay safe, and come out bounded in size and depth. The timeout is a guard
 * against a hang (or a stack overflow turned into a retry loop), not a claim about speed.
 */
class ReadmeBoundsTest {

    private static final Duration HANG = Duration.ofSeconds(10);

    record Case(String name, String markdown) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case[] cases() {
        var words = new StringBuilder();
        var random = new Random(7);
        while (words.length() < 1024 * 1024) {
            words.append(random.nextInt(1000)).append(random.nextInt(10) == 0 ? "\n\n" : " ");
        }
        var wideTable = new StringBuilder("|a".repeat(2000) + "|\n" + "|-".repeat(2000) + "|\n");
        while (wideTable.length() < Readme.MAX_CHARS - 5000) {
            wideTable.append("|b".repeat(2000)).append("|\n");
        }
        String paddedTable =
                "|a".repeat(2000) + "|\n" + "|-".repeat(2000) + "|\n" + "|\n".repeat(200_000);
        return new Case[] {
            new Case("100k block quotes", ">".repeat(100_000) + " x"),
            new Case("100k block quotes on lines", "> x\n".repeat(1) + ">".repeat(100_000) + "\n"),
            new Case("100k list items", "- ".repeat(100_000) + "x"),
            new Case("100k ordered list items", "1. ".repeat(100_000) + "x"),
            new Case("100k emphasis", "*".repeat(100_000) + "x" + "*".repeat(100_000)),
            new Case("100k strong emphasis", "**a ".repeat(50_000) + "b" + " c**".repeat(50_000)),
            new Case("100k links", "[".repeat(100_000) + "x" + "](y)".repeat(100_000)),
            new Case("100k images", "![".repeat(100_000)),
            new Case("100k divs", "<div>".repeat(100_000)),
            new Case("100k inline spans", "x <em>".repeat(80_000)),
            new Case("100k quotes and lists", "> - ".repeat(100_000) + "x"),
            new Case("1 MiB of text", words.toString()),
            new Case("2,000 columns as many rows as fit", wideTable.toString()),
            new Case("2,000 columns over 200,000 empty rows", paddedTable),
            new Case("1 MiB of angle brackets", "<".repeat(1024 * 1024)),
            new Case("1 MiB of ampersands", "&".repeat(1024 * 1024)),
            new Case("100k backticks", "`".repeat(100_000) + "x" + "``".repeat(50_000)),
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersInBoundedTimeSizeAndDepth(Case c) {
        Readme.Rendered rendered =
                assertTimeoutPreemptively(HANG, () -> Readme.render(c.markdown(), null));
        assertThat(rendered.html().length()).isLessThan(16 * Readme.MAX_CHARS);
        assertThat(rendered.truncated()).isEqualTo(c.markdown().length() > Readme.MAX_CHARS);
        assertThat(depth(rendered.html())).isLessThanOrEqualTo(Readme.MAX_DEPTH + 2);
        SafeHtml.assertSafe(rendered.html());
    }

    /** The deepest element under the body, counted without recursion. */
    private static int depth(String html) {
        Element body = Jsoup.parseBodyFragment(html).body();
        int deepest = 0;
        var pending = new ArrayDeque<Object[]>();
        pending.push(new Object[] {body, 0});
        while (!pending.isEmpty()) {
            Object[] next = pending.pop();
            int depth = (int) next[1];
            deepest = Math.max(deepest, depth);
            for (Element child : ((Element) next[0]).children()) {
                pending.push(new Object[] {child, depth + 1});
            }
        }
        return deepest;
    }
}

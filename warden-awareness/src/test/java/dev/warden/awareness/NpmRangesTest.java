package dev.warden.awareness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.common.Problem;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import org.junit.jupiter.api.Test;
import org.semver4j.Semver;

import java.util.List;

class NpmRangesTest {

    @Test
    void anUpperBoundAloneStartsAtTheFirstVersion() {
        assertThat(NpmRanges.parse("<1.4.2"))
                .containsExactly(new AffectedRange("0", "1.4.2", null));
    }

    @Test
    void alternativesBecomeOneIntervalEach() {
        assertThat(NpmRanges.parse(">=1.0.0 <1.4.2 || >=2.0.0 <=2.1.1"))
                .containsExactly(
                        new AffectedRange("1.0.0", "1.4.2", null),
                        new AffectedRange("2.0.0", null, "2.1.1"));
    }

    @Test
    void caretTildeAndExactVersionsExpand() {
        assertThat(NpmRanges.parse("^1.2.3"))
                .containsExactly(new AffectedRange("1.2.3", "2.0.0", null));
        assertThat(NpmRanges.parse("~0.2"))
                .containsExactly(new AffectedRange("0.2.0", "0.3.0", null));
        assertThat(NpmRanges.parse("3.1.0"))
                .containsExactly(new AffectedRange("3.1.0", null, "3.1.0"));
        assertThat(NpmRanges.parse("*")).containsExactly(new AffectedRange("0", null, null));
    }

    @Test
    void rendersBackInNpmSyntax() {
        assertThat(NpmRanges.render(NpmRanges.parse(">=1.0.0 <1.4.2 || 3.1.0 || <=0.9.0")))
                .isEqualTo(">=1.0.0 <1.4.2 || 3.1.0 || <=0.9.0");
    }

    @Test
    void anExcludedStartIsRefusedNotApproximated() {
        assertThatThrownBy(() -> NpmRanges.parse(">1.0.0"))
                .isInstanceOf(Problem.class)
                .hasMessageContaining("write >= with the first affected version");
    }

    @Test
    void twoStartsInOneAlternativeAreRefused() {
        assertThatThrownBy(() -> NpmRanges.parse(">=1.0.0 >=1.1.0"))
                .hasMessageContaining("two starts or two ends");
    }

    @Test
    void anEmptyIntervalIsRefused() {
        assertThatThrownBy(() -> NpmRanges.parse(">=2.0.0 <1.0.0"))
                .hasMessageContaining("contains no version");
    }

    @Test
    void garbageBlankAndOversizedRangesAreRefused() {
        assertThatThrownBy(() -> NpmRanges.parse("garbage"))
                .hasMessageContaining("is not an npm semver range");
        assertThatThrownBy(() -> NpmRanges.parse("  ")).hasMessageContaining("is empty");
        assertThatThrownBy(() -> NpmRanges.parse("<1.0.0 ".repeat(100)))
                .hasMessageContaining("longer than 512");
    }

    @Property(tries = 300)
    void anIntervalContainsExactlyWhatNpmsRangeMatches(
            @ForAll @IntRange(max = 4) int a1,
            @ForAll @IntRange(max = 4) int a2,
            @ForAll @IntRange(max = 4) int b1,
            @ForAll @IntRange(max = 4) int b2,
            @ForAll @IntRange(max = 5) int v1,
            @ForAll @IntRange(max = 5) int v2,
            @ForAll boolean includeEnd) {
        String start = a1 + "." + a2 + ".0";
        String end = (a1 + b1) + "." + (a2 + b2) + ".1";
        String range = ">=" + start + (includeEnd ? " <=" : " <") + end;
        Semver version = new Semver(v1 + "." + v2 + ".0");
        List<AffectedRange> intervals = NpmRanges.parse(range);
        assertThat(intervals.get(0).contains(version)).isEqualTo(version.satisfies(range));
        assertThat(NpmRanges.parse(NpmRanges.render(intervals))).isEqualTo(intervals);
    }
}

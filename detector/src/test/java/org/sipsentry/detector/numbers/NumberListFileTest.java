package org.sipsentry.detector.numbers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sipsentry.sip.stir.Attestation;

class NumberListFileTest {

  @Test
  void load_commentsBlankLinesAndAttributes_areRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bank-dno.txt");
    Files.writeString(
        file,
        """
        # A bank's inbound service line: never places calls.
        +41446681800

        +4144668*   trunks=bank-sbc   min-attest=A   # outbound range
        41612345678 trunks=carrier-a,carrier-b
        +41446681800  trunks=ignored                  # duplicate, first line wins
        """);

    NumberListFile.Loaded loaded = NumberListFile.load(file);

    assertThat(loaded.duplicates()).isEqualTo(1);
    NumberList list = loaded.list();
    assertThat(list.size()).isEqualTo(3);
    assertThat(list.lookup("41446681800").get().rule()).isEqualTo(NumberRule.NEVER_ORIGINATES);
    assertThat(list.lookup("41446681899").get().rule())
        .isEqualTo(new NumberRule(Set.of("bank-sbc"), Optional.of(Attestation.A)));
    assertThat(list.lookup("41612345678").get().rule().trunks())
        .containsExactlyInAnyOrder("carrier-a", "carrier-b");
  }

  @Test
  void read_badLines_reportsEveryErrorWithFileAndLine() {
    String text =
        """
        +41446681800
        +41-44-668
        41446681801 colour=red
        41446681802 min-attest=D
        1234567890123456
        41446681803 trunks=a,,b
        """;

    assertThatThrownBy(() -> NumberListFile.read(new StringReader(text), "dno.txt"))
        .isInstanceOfSatisfying(
            NumberListFile.InvalidListException.class,
            e ->
                assertThat(e.errors())
                    .containsExactly(
                        "dno.txt line 2: \"+41-44-668\" is not a number, expected 1 to 15 digits"
                            + " with an optional leading + and trailing * (e.g. +41446681800,"
                            + " +4144668*)",
                        "dno.txt line 3: \"colour=red\" is not an attribute, expected trunks=..."
                            + " or min-attest=...",
                        "dno.txt line 4: \"min-attest=D\": expected min-attest=A, min-attest=B or"
                            + " min-attest=C",
                        "dno.txt line 5: \"1234567890123456\" is not a number, expected 1 to 15"
                            + " digits with an optional leading + and trailing * (e.g."
                            + " +41446681800, +4144668*)",
                        "dno.txt line 6: \"trunks=a,,b\": expected trunks=NAME[,NAME...] without"
                            + " empty names"));
  }

  @Test
  void read_manyErrors_stopsAfterTheLimit() {
    String text = "x\n".repeat(100);

    assertThatThrownBy(() -> NumberListFile.read(new StringReader(text), "junk.txt"))
        .isInstanceOfSatisfying(
            NumberListFile.InvalidListException.class,
            e -> {
              assertThat(e.errors()).hasSize(NumberListFile.MAX_ERRORS + 1);
              assertThat(e.errors().get(NumberListFile.MAX_ERRORS))
                  .isEqualTo("junk.txt: stopped after 20 errors");
            });
  }

  @Test
  void load_missingFile_namesIt(@TempDir Path dir) {
    Path missing = dir.resolve("nope.txt");

    assertThatThrownBy(() -> NumberListFile.load(missing))
        .hasMessageContaining("cannot read number list " + missing);
  }

  @Test
  void read_emptyText_givesAnEmptyList() throws IOException, Exception {
    assertThat(NumberListFile.read(new StringReader("# nothing\n\n"), "empty.txt").list().size())
        .isZero();
  }
}

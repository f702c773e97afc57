package org.sipsentry.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * RFC 4475 torture messages through scan and edit: no edit gives the same bytes, our Via added and
 * then removed (the request going out, its response coming back) gives the same bytes, and a
 * typical set of forwarding edits matches a golden file.
 */
class TortureRoundTripTest {

  private static final boolean UPDATE_GOLDEN = Boolean.getBoolean("golden.update");
  private static final Path GOLDEN = Path.of("src/test/resources/wire/golden");
  private static final String OUR_VIA = "SIP/2.0/UDP 198.51.100.1:5060;branch=z9hG4bK-ss-1";

  @ParameterizedTest
  @ValueSource(strings = {"wsinv.dat", "longreq.dat", "esc01.dat", "mpart01.dat", "baddn.dat"})
  void toBytes_noEdits_identical(String name) {
    byte[] original = Messages.resource(name);

    assertThat(new MessageEditor(HeaderIndex.scan(original)).toBytes()).isEqualTo(original);
  }

  @ParameterizedTest
  @ValueSource(strings = {"wsinv.dat", "longreq.dat", "esc01.dat", "mpart01.dat", "baddn.dat"})
  void addViaOnTop_thenRemoveTopVia_identical(String name) {
    byte[] original = Messages.resource(name);

    byte[] forwarded = new MessageEditor(HeaderIndex.scan(original)).addViaOnTop(OUR_VIA).toBytes();
    HeaderIndex out = HeaderIndex.scan(forwarded);
    byte[] back = new MessageEditor(out).removeTopVia().toBytes();

    assertThat(out.value(out.first("Via").orElseThrow())).isEqualTo(OUR_VIA);
    assertThat(back).isEqualTo(original);
  }

  @ParameterizedTest
  @ValueSource(strings = {"wsinv.dat", "longreq.dat", "esc01.dat", "mpart01.dat"})
  void forwardingEdits_matchGolden(String name) throws IOException {
    byte[] original = Messages.resource(name);
    HeaderIndex index = HeaderIndex.scan(original);
    int maxForwards = Integer.parseInt(index.value(index.first("Max-Forwards").orElseThrow())) - 1;

    byte[] edited =
        new MessageEditor(index)
            .addViaOnTop(OUR_VIA)
            .addTopViaParameters(";received=192.0.2.99;rport=5062")
            .setMaxForwards(maxForwards)
            .removeHeaders("Identity")
            .addHeader("X-SipSentry-Verdict", "allow;score=0")
            .toBytes();

    // Body bytes and Content-Length are never touched.
    HeaderIndex out = HeaderIndex.scan(edited);
    assertThat(Arrays.copyOfRange(edited, out.bodyOffset(), edited.length))
        .isEqualTo(Arrays.copyOfRange(original, index.bodyOffset(), original.length));
    assertThat(out.value(out.first("l").orElseThrow()))
        .isEqualTo(index.value(index.first("l").orElseThrow()));

    Path golden = GOLDEN.resolve(name.replace(".dat", ".edited.dat"));
    if (UPDATE_GOLDEN) {
      Files.createDirectories(GOLDEN);
      Files.write(golden, edited);
    }
    assertThat(Files.exists(golden))
        .as("%s is missing: run with -Dgolden.update=true", golden)
        .isTrue();
    assertThat(edited).isEqualTo(Files.readAllBytes(golden));
  }
}

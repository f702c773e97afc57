package org.sipsentry.sip.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of the RFC 4475 samples: scanning never throws, an unedited copy is identical,
 * the forwarding edits never throw and never touch the body, and a response can always be built.
 */
class WireFuzzTest {

  private static final long SEED = 4475L;
  private static final int ROUNDS = 10_000;
  private static final byte[] INTERESTING = " \t\r\n:;,\"\\<>=/0vV".getBytes();
  private static final List<byte[]> SAMPLES =
      List.of(
          Messages.resource("wsinv.dat"),
          Messages.resource("longreq.dat"),
          Messages.resource("esc01.dat"),
          Messages.resource("mpart01.dat"),
          Messages.resource("baddn.dat"),
          Messages.resource("insuf.dat"));

  @Test
  void scanAndEdit_mutatedTortureMessages_neverThrowAndKeepBody() {
    Random random = new Random(SEED);
    for (int round = 0; round < ROUNDS; round++) {
      byte[] message = mutate(SAMPLES.get(random.nextInt(SAMPLES.size())), random);

      HeaderIndex index = HeaderIndex.scan(message);
      for (HeaderLine line : index.headers()) {
        index.value(line);
      }
      assertThat(new MessageEditor(index).toBytes()).isEqualTo(message);

      MessageEditor editor = new MessageEditor(index);
      List<HeaderUri> froms = index.uris("From");
      if (!froms.isEmpty()) {
        editor.setUriParameter(froms.get(0), "verstat", "TN-Validation-Passed");
      }
      for (HeaderUri to : index.uris("To")) {
        editor.setUriParameter(to, "verstat", "No-TN-Validation");
      }
      byte[] edited =
          editor
              .removeUriParameter("From", "verstat")
              .removeUriParameter("Contact", "transport")
              .addViaOnTop("SIP/2.0/UDP 198.51.100.1;branch=z9hG4bK-f")
              .addTopViaParameters(";received=192.0.2.1;rport=5060")
              .setMaxForwards(69)
              .removeHeaders("Identity")
              .addHeader("X-A", "b")
              .removeTopVia()
              .toBytes();
      if (index.hasHeaderEnd()) {
        byte[] body = Arrays.copyOfRange(message, index.bodyOffset(), message.length);
        assertThat(Arrays.copyOfRange(edited, edited.length - body.length, edited.length))
            .as("round %d", round)
            .isEqualTo(body);
      }
      SipResponses.response(index, 400, "Bad Request", "t", List.of(Map.entry("Server", "x")));
    }
  }

  private static byte[] mutate(byte[] sample, Random random) {
    byte[] m = sample.clone();
    int edits = 1 + random.nextInt(8);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(m.length);
      switch (random.nextInt(4)) {
        case 0 -> m[at] = INTERESTING[random.nextInt(INTERESTING.length)];
        case 1 -> m[at] = (byte) random.nextInt(256);
        case 2 -> m = Arrays.copyOf(m, at);
        default -> {
          byte[] longer = new byte[m.length + 1];
          System.arraycopy(m, 0, longer, 0, at);
          longer[at] = INTERESTING[random.nextInt(INTERESTING.length)];
          System.arraycopy(m, at, longer, at + 1, m.length - at);
          m = longer;
        }
      }
      if (m.length == 0) {
        break;
      }
    }
    return m;
  }
}

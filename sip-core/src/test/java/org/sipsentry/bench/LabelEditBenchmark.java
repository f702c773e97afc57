package org.sipsentry.bench;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.sipsentry.sip.wire.HeaderIndex;
import org.sipsentry.sip.wire.HeaderUri;
import org.sipsentry.sip.wire.MessageEditor;

/**
 * The wire edits of forwarding a labelled INVITE, as {@code StatelessProxy.forward} makes them
 * (index scan, our Via, Max-Forwards, the verdict header), without and with {@link
 * MessageEditor#prefixDisplayNames} on the From and the P-Asserted-Identity: what {@code
 * actions.label.display-name-prefix} costs per labelled call.
 *
 * <p>Run with {@code scripts/bench.sh LabelEditBenchmark}; figures in {@code docs/PERFORMANCE.md}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@State(Scope.Thread)
public class LabelEditBenchmark {

  private static final byte[] INVITE =
      ("INVITE sip:+41446681801@192.0.2.10;user=phone SIP/2.0\r\n"
              + "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-c1\r\n"
              + "Max-Forwards: 70\r\n"
              + "From: \"Bank\" <sip:+41446681800@198.51.100.7;user=phone>;tag=f1\r\n"
              + "To: <sip:+41446681801@192.0.2.10;user=phone>\r\n"
              + "P-Asserted-Identity: <sip:+41446681800@203.0.113.5;user=phone>\r\n"
              + "Call-ID: call-1@198.51.100.7\r\n"
              + "CSeq: 1 INVITE\r\n"
              + "Contact: <sip:alice@198.51.100.7:5062>\r\n"
              + "Content-Type: application/sdp\r\n"
              + "Content-Length: 39\r\n\r\n"
              + "v=0\r\no=- 1 1 IN IP4 198.51.100.7\r\ns=-\r\n")
          .getBytes(StandardCharsets.UTF_8);

  private static final String PREFIX = "[SPOOF?] ";

  private static MessageEditor labelled(HeaderIndex index) {
    return new MessageEditor(index)
        .addViaOnTop("SIP/2.0/UDP 192.0.2.10:5060;branch=z9hG4bK-sS-0123456789abcdef01234567")
        .setMaxForwards(69)
        .removeHeaders("X-SipSentry-Verdict")
        .addHeader("X-SipSentry-Verdict", "label;score=60;reasons=from-pai-mismatch");
  }

  @Benchmark
  public byte[] label() {
    return labelled(HeaderIndex.scan(INVITE)).toBytes();
  }

  /** As the proxy does it: one call per header, no {@link HeaderUri} built. */
  @Benchmark
  public byte[] labelWithDisplayNamePrefix() {
    return labelled(HeaderIndex.scan(INVITE))
        .prefixDisplayNames("From", PREFIX)
        .prefixDisplayNames("P-Asserted-Identity", PREFIX)
        .toBytes();
  }

  /** Through {@link HeaderIndex#uris}, one call per entry: the first version, for comparison. */
  @Benchmark
  public byte[] labelWithDisplayNamePrefixPerUri() {
    HeaderIndex index = HeaderIndex.scan(INVITE);
    MessageEditor edit = labelled(index);
    for (HeaderUri uri : index.uris("From")) {
      edit.prefixDisplayName(uri, PREFIX);
    }
    for (HeaderUri uri : index.uris("P-Asserted-Identity")) {
      edit.prefixDisplayName(uri, PREFIX);
    }
    return edit.toBytes();
  }
}

package org.sipsentry.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The SIPp UAC of {@code sipp/stir-call/uac.xml} and its injection file, shared by the ITs that
 * send signed (or unsigned) calls: each call's caller, callee and Identity header come from a row
 * {@code orig;dest;identity} of the CSV, in the layout of {@code bin/sipsentry sign --csv}.
 */
final class StirCalls {

  /** The callee of every call. */
  static final String CALLEE = "41446681800";

  static final String PAI_LINE = "P-Asserted-Identity: <tel:+[field0]>";
  static final String NO_PAI_LINE = "X-Lab: no P-Asserted-Identity";
  static final String IDENTITY_LINE = "Identity: [field2];[field3];[field4];[field5]";
  static final String NO_IDENTITY_LINE = "X-Lab: unsigned";

  private StirCalls() {}

  /**
   * Writes {@code <name>.csv} in {@code dir}: {@code SEQUENTIAL}, then {@code orig;dest;identity}
   * per caller, the identity made by {@code identity} ({@code ";;;"} for none).
   */
  static Path csv(Path dir, String name, List<String> callers, Function<String, String> identity)
      throws IOException {
    StringBuilder text = new StringBuilder("SEQUENTIAL\n");
    for (String caller : callers) {
      text.append(caller).append(';').append(CALLEE).append(';').append(identity.apply(caller));
      text.append('\n');
    }
    Path file = dir.resolve(name + ".csv");
    Files.writeString(file, text, StandardCharsets.US_ASCII);
    return file;
  }

  /** The UAC scenario with the given P-Asserted-Identity and Identity lines, rendered in dir. */
  static Path uac(Path dir, String paiLine, String identityLine) throws IOException {
    String name =
        "stir-call-uac"
            + (paiLine.equals(PAI_LINE) ? "-pai" : "")
            + (identityLine.equals(IDENTITY_LINE) ? "-signed" : "")
            + ".xml";
    return Scenarios.render(
        "stir-call/uac.xml", Map.of("pai_line", paiLine, "identity_line", identityLine), dir, name);
  }

  /**
   * {@code identity} with one character of its signature flipped, away from its last characters'
   * padding bits.
   */
  static String tamper(String identity) {
    int at = identity.indexOf(';') - 20;
    char c = identity.charAt(at);
    return identity.substring(0, at) + (c == 'A' ? 'B' : 'A') + identity.substring(at + 1);
  }
}

package org.sipsentry.it;

import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.sipsentry.sip.stir.Attestation;

/**
 * A {@link LabPki} and a {@link LabProxy} that trusts it, the set-up of the ITs of STIR calls: the
 * proxy's config template gets the PKI's {@code TRUST_ANCHORS} and {@code CERT_PORT}, and the
 * test's own values. Closing it stops both.
 */
final class StirLab implements AutoCloseable {

  final LabPki pki;
  final LabProxy proxy;

  private StirLab(LabPki pki, LabProxy proxy) {
    this.pki = pki;
    this.proxy = proxy;
  }

  /** The template's values that depend on the PKI. */
  private interface PkiValues {
    Map<String, String> of(LabPki pki) throws Exception;
  }

  /**
   * Starts the PKI named {@code name} and the proxy with config template {@code template}, in
   * {@code dir}; {@code values} fills the template's other placeholders.
   */
  static StirLab start(String name, String template, Path dir, Map<String, String> values)
      throws Exception {
    return start(name, template, dir, pki -> values);
  }

  /**
   * As {@link #start(String, String, Path, Map)}, with config template {@code stir-api-lab}: the
   * proxy signs with the PKI's service provider key and certificate URL, and serves the STIR REST
   * API on {@code adminPort}.
   */
  static StirLab signing(String name, Path dir, int adminPort) throws Exception {
    return start(
        name,
        "stir-api-lab",
        dir,
        pki ->
            Map.of(
                "SIGNING_KEY", pki.writeKey(dir.resolve("sp-key.pem")).toString(),
                "X5U", pki.x5u(),
                "ADMIN_PORT", String.valueOf(adminPort)));
  }

  private static StirLab start(String name, String template, Path dir, PkiValues values)
      throws Exception {
    LabPki pki = LabPki.start(name, dir);
    try {
      Map<String, String> all = new HashMap<>(values.of(pki));
      all.put("TRUST_ANCHORS", pki.anchors().toString());
      all.put("CERT_PORT", String.valueOf(pki.port()));
      return new StirLab(pki, LabProxy.start(template, dir, all));
    } catch (Exception | Error e) {
      pki.close();
      throw e;
    }
  }

  /**
   * A fresh A-attested Identity header from {@code caller} to {@link StirCalls#CALLEE} issued at
   * {@code iat}, with a new origid, signed by the PKI's service provider and pointing at its x5u.
   */
  String sign(String caller, Instant iat) {
    return pki.identity(
        Attestation.A, pki.x5u(), caller, StirCalls.CALLEE, UUID.randomUUID().toString(), iat);
  }

  @Override
  public void close() {
    proxy.close();
    pki.close();
  }
}

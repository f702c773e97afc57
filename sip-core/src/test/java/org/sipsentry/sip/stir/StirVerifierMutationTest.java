package org.sipsentry.sip.stir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.stir.cert.CertificateValidation;
import org.sipsentry.sip.stir.cert.TestPki;

/**
 * Seeded random mutations of valid Identity headers through {@link StirVerifier}: every mutant gets
 * an outcome (no exception, the stage completes at once with a cached certificate), and none passes
 * unless its JWS signing input is still exactly the one that was signed. {@code -Dstir.mutations=N}
 * runs more; {@code -Dstir.seed=S} reproduces a reported failure.
 */
class StirVerifierMutationTest {

  private static final int MUTANTS = Integer.getInteger("stir.mutations", 20_000);
  private static final long SEED = Long.getLong("stir.seed", 0x5_4A4E_2026L);

  private static final String PRINTABLE =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.;=<>\"' \t,:/+@[]{}\\";
  private static final List<String> PARAMS =
      List.of(
          ";info=<" + ManCases.X5U + ">",
          ";alg=ES256",
          ";ppt=shaken",
          ";ppt=\"shaken\"",
          ";ppt=div",
          ";alg=none",
          ";x=y",
          ";info=<https://evil.example/x.pem>",
          ";",
          "");

  /** A valid request and the signing input its signature covers. */
  private record Seed(String name, StirRequest request, String signingInput) {}

  @Test
  void verify_seededMutationsOfValidHeaders_neverThrowAndNeverPassAChangedSigningInput() {
    List<Seed> seeds = seeds();
    CertificateSource cached = cachedSource();
    List<StirVerifier> verifiers =
        List.of(
            new StirVerifier(StirPolicy.DEFAULT, cached, Es256.shared()),
            new StirVerifier(StirPolicy.MAN, cached, Es256.shared()));
    Random random = new Random(SEED);
    Map<StirFailure, Integer> failures = new EnumMap<>(StirFailure.class);
    int passes = 0;

    for (int i = 0; i < MUTANTS; i++) {
      Seed seed = seeds.get(random.nextInt(seeds.size()));
      List<String> headers = mutateHeaders(seed.request().identityHeaders(), random);
      StirRequest request =
          new StirRequest(
              headers,
              seed.request().caller(),
              seed.request().callee(),
              seed.request().date(),
              seed.request().now(),
              seed.request().attestationIndicator(),
              seed.request().originationId());
      StirVerifier verifier = verifiers.get(i % verifiers.size());

      StirResult<StirVerifier.Checked> checked = verifier.check(request);
      CompletableFuture<StirOutcome> stage = verifier.verify(request).toCompletableFuture();

      // Plain checks in the loop, the message built only on failure: 20,000 rounds stay fast.
      if (checked == null || !stage.isDone() || stage.isCompletedExceptionally()) {
        fail(i, seed, headers, "no outcome at once: " + stage);
      }
      StirOutcome outcome = stage.join();
      if (outcome instanceof StirOutcome.Pass pass) {
        if (!pass.passport().signingInput().equals(seed.signingInput())) {
          fail(i, seed, headers, "passed with a changed signing input");
        }
        passes++;
      } else {
        StirOutcome.Fail fail = (StirOutcome.Fail) outcome;
        if (fail.detail().startsWith("verifier error") || fail.indeterminate()) {
          fail(i, seed, headers, "unexpected failure " + fail);
        }
        failures.merge(fail.failure(), 1, Integer::sum);
      }
    }

    // The mutations reach deep into the verifier, and some leave the signed bytes alone.
    assertThat(passes).isPositive();
    assertThat(failures)
        .containsKeys(
            StirFailure.MALFORMED,
            StirFailure.BAD_SIGNATURE,
            StirFailure.WRONG_PPT,
            StirFailure.MISSING_INFO,
            StirFailure.UNSUPPORTED_ALG,
            StirFailure.X5U_MISMATCH,
            StirFailure.NO_IDENTITY);
  }

  private static void fail(int i, Seed seed, List<String> headers, String what) {
    throw new AssertionError(
        "mutant " + i + " of seed " + SEED + " (" + seed.name() + "): " + what + ": " + headers);
  }

  private static List<Seed> seeds() {
    List<Seed> seeds = new ArrayList<>();
    for (ManCases.Case c : ManCases.all()) {
      if (!c.expectsPass()) {
        continue;
      }
      StirRequest request = c.request();
      StirResult<StirVerifier.Checked> checked =
          new StirVerifier(c.policy(), c.certificateSource(), Es256.shared()).check(request);
      String signingInput =
          ((StirResult.Ok<StirVerifier.Checked>) checked).value().passport().signingInput();
      seeds.add(new Seed(c.id(), request, signingInput));
    }
    return seeds;
  }

  /** The standard chain validated once, as the proxy's cache would hold it. */
  private static CertificateSource cachedSource() {
    ManCases.Case c = ManCases.byId("man-04");
    CertificateValidation valid =
        c.certificateSource().certificate(c.x5u(), c.now()).toCompletableFuture().join();
    assertThat(valid).isInstanceOf(CertificateValidation.Valid.class);
    CompletionStage<CertificateValidation> hit = CompletableFuture.completedFuture(valid);
    CompletionStage<CertificateValidation> miss =
        CompletableFuture.completedFuture(
            new CertificateValidation.Invalid(StirFailure.CERTIFICATE_UNAVAILABLE, "not cached"));
    return (x5u, now) -> x5u.equals(ManCases.X5U) ? hit : miss;
  }

  private static List<String> mutateHeaders(List<String> headers, Random random) {
    List<String> out = new ArrayList<>(headers);
    int operations = 1 + random.nextInt(3);
    for (int k = 0; k < operations; k++) {
      int roll = random.nextInt(20);
      if (roll == 0 && !out.isEmpty()) {
        out.remove(random.nextInt(out.size()));
      } else if (roll == 1 && !out.isEmpty()) {
        out.add(random.nextInt(out.size() + 1), out.get(random.nextInt(out.size())));
      } else if (!out.isEmpty()) {
        int at = random.nextInt(out.size());
        out.set(at, mutate(out.get(at), random));
      }
    }
    return out;
  }

  /** One mutation of one header value. */
  static String mutate(String value, Random random) {
    int semicolon = value.indexOf(';');
    String jws = semicolon < 0 ? value : value.substring(0, semicolon);
    String params = semicolon < 0 ? "" : value.substring(semicolon);
    String[] parts = jws.split("\\.", -1);
    switch (random.nextInt(12)) {
      case 0: // flip one character to a printable one
        return replaceAt(
            value, random, String.valueOf(PRINTABLE.charAt(random.nextInt(PRINTABLE.length()))));
      case 1: // flip one character to anything, control and non-ASCII included
        return replaceAt(value, random, String.valueOf((char) random.nextInt(0x3000)));
      case 2: // delete a run
        {
          int from = random.nextInt(value.length() + 1);
          int to = Math.min(value.length(), from + 1 + random.nextInt(8));
          return value.substring(0, from) + value.substring(to);
        }
      case 3: // insert a run
        {
          int at = random.nextInt(value.length() + 1);
          StringBuilder junk = new StringBuilder();
          for (int n = 1 + random.nextInt(4); n > 0; n--) {
            junk.append(PRINTABLE.charAt(random.nextInt(PRINTABLE.length())));
          }
          return value.substring(0, at) + junk + value.substring(at);
        }
      case 4: // cut
        return value.substring(0, random.nextInt(value.length() + 1));
      case 5: // duplicate, add or drop parameters
        {
          String extra = PARAMS.get(random.nextInt(PARAMS.size()));
          if (random.nextBoolean()) {
            return value + extra;
          }
          String[] split = params.split(";", -1);
          if (split.length > 1) {
            int drop = 1 + random.nextInt(split.length - 1);
            StringBuilder kept = new StringBuilder();
            for (int n = 1; n < split.length; n++) {
              if (n != drop) {
                kept.append(';').append(split[n]);
              }
            }
            return jws + kept + extra;
          }
          return value + extra;
        }
      case 6: // swap or reorder JWS parts
        if (parts.length == 3) {
          int a = random.nextInt(3);
          int b = random.nextInt(3);
          String t = parts[a];
          parts[a] = parts[b];
          parts[b] = t;
          return String.join(".", parts) + params;
        }
        return params + jws;
      case 7: // reorder parameters
        {
          List<String> list = new ArrayList<>(List.of(params.split(";", -1)));
          if (list.size() > 2) {
            java.util.Collections.shuffle(list.subList(1, list.size()), random);
          }
          return jws + String.join(";", list);
        }
      case 8: // re-encode the JOSE header JSON with junk
      case 9: // re-encode the claims JSON with junk
        {
          int index = random.nextInt(12) == 8 ? 0 : 1;
          if (parts.length != 3 || parts[index].isEmpty()) {
            return value;
          }
          parts[index] = reencode(parts[index], random);
          return String.join(".", parts) + params;
        }
      case 10: // whitespace where the grammar allows it, and where it does not
        return value
            .replace(";", random.nextBoolean() ? " ; " : ";\t")
            .replace("=", random.nextBoolean() ? " = " : "=");
      default: // duplicate a JWS part onto another
        if (parts.length == 3) {
          parts[random.nextInt(3)] = parts[random.nextInt(3)];
          return String.join(".", parts) + params;
        }
        return value + "." + value;
    }
  }

  private static String reencode(String base64url, Random random) {
    String json;
    try {
      json = new String(Base64.getUrlDecoder().decode(base64url), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return base64url;
    }
    switch (random.nextInt(10)) {
      case 0:
        json = json.replaceFirst("\\{", "{ ");
        break;
      case 1:
        json = json + (random.nextBoolean() ? " x" : "{}");
        break;
      case 2:
        json = json.replaceFirst("\\{", "{\"zz\":[1,{\"y\":null}],");
        break;
      case 3:
        {
          int comma = json.indexOf(',');
          if (comma > 1) {
            json = "{" + json.substring(1, comma) + "," + json.substring(1);
          }
          break;
        }
      case 4:
        json = json.replace("\"A\"", "\"W\"").replace("shaken", "SHAKEN");
        break;
      case 5:
        json = json.replaceAll("\"iat\":(\\d+)", "\"iat\":\"$1\"");
        break;
      case 6:
        json = json.replaceFirst("\"tn\":\"(\\d+)\"", "\"tn\":$1");
        break;
      case 7:
        return Base64.getUrlEncoder()
            .withoutPadding()
            .encodeToString(json.getBytes(StandardCharsets.UTF_16));
      case 8:
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
      default:
        {
          int at = random.nextInt(json.length() + 1);
          json = json.substring(0, at) + (char) random.nextInt(0x100) + json.substring(at);
          return Base64.getUrlEncoder()
              .withoutPadding()
              .encodeToString(json.getBytes(StandardCharsets.ISO_8859_1));
        }
    }
    return Passport.base64Url(json);
  }

  private static String replaceAt(String value, Random random, String replacement) {
    if (value.isEmpty()) {
      return replacement;
    }
    int at = random.nextInt(value.length());
    return value.substring(0, at) + replacement + value.substring(at + 1);
  }

  @Test
  void seeds_areTheValidManCasesAndQuirks() {
    assertThat(seeds())
        .extracting(Seed::name)
        .contains("man-04", "quirk-compact-form", "quirk-shaken-and-div");
    assertThat(TestPki.NOW).isEqualTo(ManCases.AT);
    assertThat(Optional.of(seeds().size())).hasValueSatisfying(n -> assertThat(n).isGreaterThan(5));
  }
}

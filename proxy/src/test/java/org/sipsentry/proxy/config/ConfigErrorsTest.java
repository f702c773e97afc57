package org.sipsentry.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.sipsentry.proxy.config.ConfigLoaderTest.RESOURCES;
import static org.sipsentry.proxy.config.ConfigLoaderTest.minimal;
import static org.sipsentry.proxy.config.ConfigLoaderTest.write;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of bad config gives one message naming the file, line and key, and what to write. */
class ConfigErrorsTest {

  @TempDir Path dir;

  /* ---- whole messages, as an operator reads them ---- */

  @Test
  void load_cidrWithThreeOctets_namesLineAndKey() {
    Path file = RESOURCES.resolve("bad-cidr.yaml");

    ConfigException e = fail(file);

    assertThat(e.getMessage())
        .isEqualTo(
            file
                + " line 12: trunks[1].sources[1]: \"10.0.0/8\" is not a CIDR; expected e.g."
                + " 192.0.2.0/24 or 2001:db8::/32");
    assertThat(e.file()).isEqualTo(file);
    assertThat(e.line()).hasValue(12);
    assertThat(e.keyPath()).isEqualTo("trunks[1].sources[1]");
  }

  @Test
  void load_misspelledKey_listsTheValidKeys() {
    Path file = RESOURCES.resolve("unknown-key.yaml");

    assertThat(fail(file).getMessage())
        .isEqualTo(file + " line 3: listen.tpc: unknown key; expected one of udp, tcp");
  }

  @Test
  void load_labelAboveBlock_namesTheLabelLine() {
    Path file = RESOURCES.resolve("label-above-block.yaml");

    assertThat(fail(file).getMessage())
        .isEqualTo(
            file
                + " line 7: thresholds.label: 90 is above the block threshold 80; expected at"
                + " most 80");
  }

  @Test
  void load_badIndentation_namesTheLineOfTheSyntaxError() {
    Path file = RESOURCES.resolve("not-yaml.yaml");

    ConfigException e = fail(file);

    assertThat(e.getMessage())
        .isEqualTo(
            file
                + " line 3: not valid YAML: mapping values are not allowed here; expected YAML"
                + " \"key: value\" lines, check the indentation and quoting");
    assertThat(e.keyPath()).isEmpty();
  }

  @Test
  void load_missingTopLevelKey_hasNoLine() throws Exception {
    Path file = write(dir, minimal().replace("home-country: CH\n", ""));

    ConfigException e = fail(file);

    assertThat(e.getMessage())
        .isEqualTo(
            file
                + ": home-country: neither home-country nor home-countries is set; expected an ISO"
                + " 3166 alpha-2 region"
                + " code such as CH, DE or US");
    assertThat(e.line()).isEmpty();
  }

  /* ---- several mistakes: all of them, by line ---- */

  @Test
  void load_threeIndependentMistakes_reportsAllThreeByLine() {
    Path file = RESOURCES.resolve("three-mistakes.yaml");

    ConfigException e = fail(file);

    assertThat(e.errors())
        .extracting(ConfigError::message)
        .containsExactly(
            file
                + " line 6: next-hop.transprot: unknown key; expected one of address,"
                + " transport",
            file
                + " line 10: trunks[0].sources[0]: \"10.0.0/8\" is not a CIDR; expected e.g."
                + " 192.0.2.0/24 or 2001:db8::/32",
            file
                + " line 12: thresholds.label: 90 is above the block threshold 80; expected at"
                + " most 80");
    assertThat(e.getMessage().lines())
        .containsExactly(
            file + ": 3 errors",
            e.errors().get(0).message(),
            e.errors().get(1).message(),
            e.errors().get(2).message());
    assertThat(e.line()).hasValue(6);
    assertThat(e.keyPath()).isEqualTo("next-hop.transprot");
  }

  @Test
  void load_wrongTypesInTwoSections_reportsBoth() throws Exception {
    Path file =
        write(
            dir,
            minimal()
                + "limits:\n  max-headers: many\n"
                + "rules:\n  invalid-cli:\n    enabled: yes\n");

    assertThat(fail(file).errors())
        .extracting(ConfigError::line, ConfigError::keyPath)
        .containsExactly(
            tuple(OptionalInt.of(7), "limits.max-headers"),
            tuple(OptionalInt.of(10), "rules.invalid-cli.enabled"));
  }

  @Test
  void load_unknownKeysAndBadValues_reportsEach() throws Exception {
    Path file =
        write(
            dir,
            minimal()
                + "verdict-header: X Verdict\n"
                + "trunks:\n  - name: a\n    sources: [192.0.2.0/24]\n    trustd: true\n"
                + "  - name: a\n    sources: [198.51.100.0/33]\n"
                + "rules:\n  from-pai-mismatch: {weight: 150}\n  spoofed-cli: {weight: 5}\n"
                + "lists:\n  deny:\n    user-agents: [\"(\"]\n");

    assertThat(fail(file).errors())
        .extracting(ConfigError::keyPath)
        .containsExactly(
            "verdict-header",
            "trunks[0].trustd",
            "trunks[1].name",
            "trunks[1].sources[0]",
            "rules.from-pai-mismatch.weight",
            "rules.spoofed-cli",
            "lists.deny.user-agents[0]");
  }

  @Test
  void load_emptyListItem_isNotAlsoReportedAsAMissingList() throws Exception {
    Path file =
        write(
            dir,
            minimal()
                + "trunks:\n  - name: carrier\n    sources: [192.0.2.0/24, ~]\n"
                + "thresholds:\n  block: 101\n");

    assertThat(fail(file).errors())
        .extracting(ConfigError::keyPath)
        .containsExactly("trunks[0].sources[1]", "thresholds.block");
  }

  @Test
  void load_trunkWithoutName_reportsItAndTheMistakesOutsideTheTrunks() throws Exception {
    Path file =
        write(
            dir,
            minimal().replace("home-country: CH", "home-country: XX")
                + "trunks:\n  - sources: [192.0.2.0/24]\n"
                + "bogus: 1\n");

    assertThat(fail(file).errors())
        .extracting(ConfigError::keyPath)
        .containsExactly("home-country", "trunks[0].name", "bogus");
  }

  @Test
  void load_requiredKeysMissingOrWrong_reportsThemAndStillChecksTheRest() throws Exception {
    Path file =
        write(
            dir,
            "listen: 127.0.0.1:5060\nnext-hop:\n  transport: udp\nhome-country: XX\n"
                + "limits: {max-headers: 1}\n");

    assertThat(fail(file).errors())
        .extracting(ConfigError::keyPath)
        .containsExactly("listen", "next-hop.address", "home-country", "limits.max-headers");
  }

  @Test
  void load_requiredTopLevelKeyMissing_isReportedWithoutLine() throws Exception {
    Path file = write(dir, "next-hop: {address: 127.0.0.1:5080}\nhome-country: XX\n");

    assertThat(fail(file).errors())
        .extracting(ConfigError::keyPath, ConfigError::line)
        .containsExactly(
            tuple("listen", OptionalInt.empty()), tuple("home-country", OptionalInt.of(2)));
  }

  @Test
  void load_notASipSentryConfig_stopsAfterTheCapOfBindingErrors() throws Exception {
    StringBuilder yaml = new StringBuilder(minimal());
    for (int i = 0; i <= ConfigLoader.MAX_BINDING_ERRORS; i++) {
      yaml.append("key-").append(i).append(": ").append(i).append('\n');
    }

    ConfigException e = fail(write(dir, yaml.toString()));

    assertThat(e.errors()).hasSize(ConfigLoader.MAX_BINDING_ERRORS + 1);
    // Errors without a line sort first.
    assertThat(e.errors().get(0).message())
        .contains("100 unknown keys or values of the wrong kind, and the rest of the file not");
    assertThat(e.errors().get(1).keyPath()).isEqualTo("key-0");
  }

  @Test
  void load_wrongStirSection_isNotBlamedOnEveryVerifyingTrunk() throws Exception {
    Path file =
        write(
            dir,
            minimal()
                + "trunks:\n  - name: a\n    sources: [192.0.2.0/24]\n    stir: {mode: verify}\n"
                + "stir:\n  trust-anchors: "
                + dir.resolve("no-such-dir")
                + "\n");

    assertThat(fail(file).errors())
        .extracting(ConfigError::keyPath)
        .containsExactly("stir.trust-anchors");
  }

  /* ---- the file as a whole ---- */

  @Test
  void load_noSuchFile_saysSo() {
    Path file = dir.resolve("nope.yaml");

    ConfigException e = fail(file);

    assertThat(e.getMessage()).isEqualTo(file + ": file not found");
    assertThat(e.line()).isEmpty();
    assertThat(e.keyPath()).isEmpty();
  }

  @Test
  void load_directory_saysSo() {
    assertThat(fail(dir).getMessage()).isEqualTo(dir + ": is a directory; expected a YAML file");
  }

  @Test
  void load_emptyFile_saysSo() throws Exception {
    Path file = write(dir, "");

    assertThat(fail(file).getMessage())
        .isEqualTo(
            file
                + ": no settings in the file; expected a mapping with at least listen, next-hop"
                + " and home-country (or home-countries); see config/sipsentry.example.yaml");
  }

  @Test
  void load_onlyComments_isEmpty() throws Exception {
    Path file = write(dir, "# listen:\n#   udp: 127.0.0.1:5060\n");

    assertThat(fail(file).getMessage()).startsWith(file + ": no settings in the file;");
  }

  @Test
  void load_notUtf8_saysSo() throws Exception {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, "home-country: CH # Zürich\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThat(fail(file).getMessage())
        .isEqualTo(file + ": is not UTF-8 text; expected a YAML file");
  }

  @Test
  void load_hugeFile_isRefusedUnread() throws Exception {
    Path file = dir.resolve("huge.yaml");
    Files.write(file, new byte[ConfigLoader.MAX_FILE_BYTES + 1]);

    assertThat(fail(file).getMessage())
        .isEqualTo(file + ": is larger than 1 MiB; expected a YAML config file");
  }

  /* ---- every other kind: line, key path and the problem ---- */

  static Stream<Arguments> badConfigs() {
    return Stream.of(
        bad(
            "not a mapping",
            "just text\n",
            1,
            "",
            "\"just text\" is not a mapping; expected a mapping with at least listen, next-hop and"
                + " home-country (or home-countries); see config/sipsentry.example.yaml"),
        bad(
            "a list at the top",
            "- listen\n- next-hop\n",
            1,
            "",
            "a list is not a mapping; expected a mapping with at least listen, next-hop and"
                + " home-country (or home-countries); see config/sipsentry.example.yaml"),
        bad(
            "second document",
            minimal() + "---\nhome-country: DE\n",
            7,
            "",
            "a second YAML document; expected one document only"),
        bad(
            "duplicate key",
            minimal() + "home-country: DE\n",
            6,
            "home-country",
            "duplicate key; expected each key once per mapping"),
        bad(
            "unclosed flow list",
            minimal() + "trunks: [\n",
            6,
            "",
            "not valid YAML: expected the node content, but found '<stream end>'; expected YAML"
                + " \"key: value\" lines, check the indentation and quoting"),
        bad(
            "unknown top-level key",
            minimal() + "listen-udp: 127.0.0.1:5060\n",
            6,
            "listen-udp",
            "unknown key; expected one of listen, next-hop, home-country, home-countries, limits,"
                + " trunks, thresholds, block-response, rules, lists, rate, verdict-header,"
                + " audit-log, stir, admin, actions, audit"),
        bad(
            "unknown rule field",
            minimal() + "rules:\n  invalid-cli:\n    score: 5\n",
            8,
            "rules.invalid-cli.score",
            "unknown key; expected one of enabled, weight, action, response,"
                + " allow-mobile-roaming, digits"),
        bad(
            "missing nested key",
            "listen:\n  udp: 127.0.0.1:5060\nnext-hop:\n  transport: udp\nhome-country: CH\n",
            3,
            "next-hop.address",
            "required key is missing; expected host:port, e.g. 127.0.0.1:5080, [2001:db8::1]:5060"
                + " or sbc.example.net:5060"),
        bad(
            "trunk without name",
            minimal() + "trunks:\n  - sources: [192.0.2.0/24]\n",
            7,
            "trunks[0].name",
            "required key is missing; expected a name for the audit log, e.g. carrier"),
        bad(
            "response without reason",
            minimal() + "block-response:\n  code: 603\n",
            6,
            "block-response.reason",
            "required key is missing; expected a reason phrase on one line, e.g. Rejected"),
        bad(
            "required key with no value",
            minimal().replace("address: 127.0.0.1:5080", "address:"),
            4,
            "next-hop.address",
            "no value; expected host:port, e.g. 127.0.0.1:5080, [2001:db8::1]:5060 or"
                + " sbc.example.net:5060"),
        bad(
            "empty list item",
            minimal() + "trunks:\n  - name: carrier\n    sources: [192.0.2.0/24, ~]\n",
            8,
            "trunks[0].sources[1]",
            "no value; expected a CIDR, e.g. 192.0.2.0/24 or 2001:db8::/32"),
        bad(
            "rule with no value",
            minimal() + "rules:\n  invalid-cli:\n",
            7,
            "rules.invalid-cli",
            "no value; expected a mapping with enabled, weight, action, response or some of them"),
        bad(
            "text for an integer",
            minimal() + "thresholds:\n  label: abc\n",
            7,
            "thresholds.label",
            "\"abc\" is not an integer; expected a score from 0 to 100"),
        bad(
            "fraction for an integer",
            minimal() + "limits:\n  max-headers: 2.5\n",
            7,
            "limits.max-headers",
            "\"2.5\" is not an integer; expected an integer from 8 to 10000"),
        bad(
            "empty string for an integer",
            minimal() + "rules:\n  invalid-cli: {weight: \"\"}\n",
            7,
            "rules.invalid-cli.weight",
            "\"\" is not an integer; expected a weight from 0 to 100"),
        bad(
            "yes for a boolean",
            minimal()
                + "trunks:\n  - name: carrier\n    sources: [192.0.2.0/24]\n    trusted: yes\n",
            9,
            "trunks[0].trusted",
            "\"yes\" is not a boolean; expected true or false"),
        bad(
            "1 for a boolean",
            minimal() + "rules:\n  invalid-cli:\n    enabled: 1\n",
            8,
            "rules.invalid-cli.enabled",
            "\"1\" is not a boolean; expected true or false"),
        bad(
            "scalar for a list",
            minimal() + "trunks:\n  - name: carrier\n    sources: 192.0.2.0/24\n",
            8,
            "trunks[0].sources",
            "\"192.0.2.0/24\" is not a list; expected a list of CIDRs, e.g. [192.0.2.0/24,"
                + " 2001:db8::/32]"),
        bad(
            "scalar for a mapping",
            "listen:\n  udp: 127.0.0.1:5060\nnext-hop: 127.0.0.1:5080\nhome-country: CH\n",
            3,
            "next-hop",
            "\"127.0.0.1:5080\" is not a mapping; expected a mapping with address and optionally"
                + " transport"),
        bad(
            "list for text",
            minimal().replace("home-country: CH", "home-country: [CH]"),
            5,
            "home-country",
            "a list is not a single value; expected an ISO 3166 alpha-2 region code such as CH, DE"
                + " or US"),
        bad(
            "address without port",
            minimal().replace("udp: 127.0.0.1:5060", "udp: 127.0.0.1"),
            2,
            "listen.udp",
            "\"127.0.0.1\" is not host:port; expected e.g. 127.0.0.1:5060 or [::1]:5060"),
        bad(
            "port out of range",
            minimal().replace("udp: 127.0.0.1:5060", "udp: 127.0.0.1:70000"),
            2,
            "listen.udp",
            "\"127.0.0.1:70000\" is not host:port; expected e.g. 127.0.0.1:5060 or [::1]:5060"),
        bad(
            "host name to listen on",
            minimal().replace("udp: 127.0.0.1:5060", "udp: localhost:5060"),
            2,
            "listen.udp",
            "\"localhost:5060\" does not name a literal IP address; expected host:port with a"
                + " literal IP address, e.g. 127.0.0.1:5060 or [::1]:5060"),
        bad(
            "neither udp nor tcp",
            minimal().replace("  udp: 127.0.0.1:5060\n", "  udp:\n"),
            1,
            "listen",
            "neither udp nor tcp is set; expected a mapping with udp, tcp or both, e.g. udp:"
                + " 127.0.0.1:5060"),
        bad(
            "next hop with a bad IPv4 address",
            minimal().replace("address: 127.0.0.1:5080", "address: 127.0.1:5080"),
            4,
            "next-hop.address",
            "\"127.0.1:5080\" is not host:port; expected host:port, e.g. 127.0.0.1:5080,"
                + " [2001:db8::1]:5060 or sbc.example.net:5060"),
        bad(
            "next hop with a space in its name",
            minimal().replace("address: 127.0.0.1:5080", "address: sbc example:5080"),
            4,
            "next-hop.address",
            "\"sbc example:5080\" is not host:port; expected host:port, e.g. 127.0.0.1:5080,"
                + " [2001:db8::1]:5060 or sbc.example.net:5060"),
        bad(
            "unknown transport",
            minimal()
                .replace("address: 127.0.0.1:5080", "address: 127.0.0.1:5080\n  transport: tls"),
            5,
            "next-hop.transport",
            "\"tls\" is not a transport; expected one of same, udp, tcp"),
        bad(
            "unknown country",
            minimal().replace("home-country: CH", "home-country: XX"),
            5,
            "home-country",
            "\"XX\" is not a region libphonenumber knows; expected an ISO 3166 alpha-2 region code"
                + " such as CH, DE or US"),
        bad(
            "country as a calling code",
            minimal().replace("home-country: CH", "home-country: 41"),
            5,
            "home-country",
            "\"41\" is not a region libphonenumber knows; expected an ISO 3166 alpha-2 region code"
                + " such as CH, DE or US"),
        bad(
            "message size too small",
            minimal() + "limits:\n  max-message-bytes: 100\n",
            7,
            "limits.max-message-bytes",
            "100 is out of range; expected an integer from 512 to 1048576"),
        bad(
            "trunk named default",
            minimal() + "trunks:\n  - name: default\n    sources: [192.0.2.0/24]\n",
            7,
            "trunks[0].name",
            "\"default\" is the trunk of sources no trunk matches; expected another name"),
        bad(
            "two trunks with one name",
            minimal()
                + "trunks:\n  - name: a\n    sources: [192.0.2.0/24]\n"
                + "  - name: a\n    sources: [198.51.100.0/24]\n",
            9,
            "trunks[1].name",
            "\"a\" is already the name of trunks[0]; expected a unique name"),
        bad(
            "trunk without sources",
            minimal() + "trunks:\n  - name: a\n    sources: []\n",
            8,
            "trunks[0].sources",
            "no sources; expected a list of CIDRs, e.g. [192.0.2.0/24, 2001:db8::/32]"),
        bad(
            "prefix too long",
            minimal() + "trunks:\n  - name: a\n    sources: [192.0.2.0/33]\n",
            8,
            "trunks[0].sources[0]",
            "\"192.0.2.0/33\" is not a CIDR; expected e.g. 192.0.2.0/24 or 2001:db8::/32"),
        bad(
            "threshold above 100",
            minimal() + "thresholds:\n  block: 101\n",
            7,
            "thresholds.block",
            "101 is out of range; expected a score from 0 to 100"),
        bad(
            "block below the default label",
            minimal() + "thresholds:\n  block: 20\n",
            7,
            "thresholds.block",
            "20 is below the label threshold 30 (the default); expected at least 30"),
        bad(
            "unknown rule",
            minimal() + "rules:\n  spoofed-cli: {weight: 50}\n",
            7,
            "rules.spoofed-cli",
            "\"spoofed-cli\" is not a rule; expected one of from-pai-mismatch, untrusted-pai,"
                + " invalid-cli, anonymous-caller, domestic-cli-from-abroad, neighbour-spoofing,"
                + " protected-number, denylisted, allowlisted, attestation-too-low, signer-denied,"
                + " rate-exceeded, passport-replay, stir-failed, stir-missing, stir-attestation-a,"
                + " stir-attestation-b, stir-attestation-c"),
        bad(
            "weight above 100",
            minimal() + "rules:\n  from-pai-mismatch:\n    weight: 150\n",
            8,
            "rules.from-pai-mismatch.weight",
            "150 is out of range; expected a weight from 0 to 100"),
        bad(
            "negative weight",
            minimal() + "rules:\n  from-pai-mismatch: {weight: -1}\n",
            7,
            "rules.from-pai-mismatch.weight",
            "-1 is out of range; expected a weight from 0 to 100"),
        bad(
            "unknown action",
            minimal() + "rules:\n  invalid-cli:\n    action: drop\n",
            8,
            "rules.invalid-cli.action",
            "\"drop\" is not an action; expected one of allow, label, anonymise, block, mark"),
        bad(
            "success code as block response",
            minimal() + "block-response:\n  code: 200\n  reason: OK\n",
            7,
            "block-response.code",
            "200 is out of range; expected a final SIP error code from 400 to 699, e.g. 608"),
        bad(
            "rule response code out of range",
            minimal() + "rules:\n  anonymous-caller:\n    response: {code: 700, reason: No}\n",
            8,
            "rules.anonymous-caller.response.code",
            "700 is out of range; expected a final SIP error code from 400 to 699, e.g. 608"),
        bad(
            "blank reason phrase",
            minimal() + "block-response:\n  code: 603\n  reason: \" \"\n",
            8,
            "block-response.reason",
            "\" \" is not a reason phrase; expected text without line breaks"),
        bad(
            "verdict header with a space",
            minimal() + "verdict-header: X Verdict\n",
            6,
            "verdict-header",
            "\"X Verdict\" is not a header name; expected a header name of letters, digits and -,"
                + " e.g. X-SipSentry-Verdict"),
        bad(
            "empty audit log path",
            minimal() + "audit-log: \"\"\n",
            6,
            "audit-log",
            "no path; expected a file path, e.g. var/audit.jsonl"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badConfigs")
  void load_badConfig_namesLineKeyAndProblem(
      String scenario, String yaml, int line, String keyPath, String problem) throws Exception {
    Path file = write(dir, yaml);

    ConfigException e = fail(file);

    assertThat(e.file()).isEqualTo(file);
    assertThat(e.line()).isEqualTo(OptionalInt.of(line));
    assertThat(e.keyPath()).isEqualTo(keyPath);
    assertThat(e.getMessage())
        .isEqualTo(
            file + " line " + line + ": " + (keyPath.isEmpty() ? "" : keyPath + ": ") + problem);
  }

  private static Arguments bad(
      String scenario, String yaml, int line, String keyPath, String problem) {
    return Arguments.of(scenario, yaml, line, keyPath, problem);
  }

  private static ConfigException fail(Path file) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.load(file));
    assertThat(e).as("ConfigException for %s", file).isNotNull();
    return e;
  }
}

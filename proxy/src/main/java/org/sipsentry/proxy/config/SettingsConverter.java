package org.sipsentry.proxy.config;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.sipsentry.detector.Action;
import org.sipsentry.detector.CallerList;
import org.sipsentry.detector.CheckOptions;
import org.sipsentry.detector.Cidr;
import org.sipsentry.detector.DetectorSettings;
import org.sipsentry.detector.RateLimits;
import org.sipsentry.detector.RuleSettings;
import org.sipsentry.detector.SipStatus;
import org.sipsentry.detector.StirSettings;
import org.sipsentry.detector.Thresholds;
import org.sipsentry.detector.Trunk;
import org.sipsentry.detector.numbers.NamedList;
import org.sipsentry.detector.numbers.NumberListFile;
import org.sipsentry.detector.numbers.NumberRule;
import org.sipsentry.proxy.BearerToken;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.SigningSettings;
import org.sipsentry.proxy.VerificationSettings;
import org.sipsentry.proxy.audit.AuditSettings;
import org.sipsentry.sip.Transport;
import org.sipsentry.sip.stir.Attestation;

/**
 * Turns the file as written into {@link ProxySettings}: checks every value, applies the defaults,
 * and names the key of whatever is wrong. Problems travel inside as {@link
 * IllegalArgumentException} messages reading {@code <what was wrong>; expected <what>}, the same
 * form the value types' own parsers use; {@link #at} gives them their key path.
 */
final class SettingsConverter extends ValueConverter {

  static final String DEFAULT_AUDIT_LOG = "var/audit.jsonl";
  static final int DEFAULT_LABEL_THRESHOLD = 30;
  static final int DEFAULT_BLOCK_THRESHOLD = 80;

  private static final String DOMESTIC_CLI_FROM_ABROAD = "domestic-cli-from-abroad";
  private static final String NEIGHBOUR_SPOOFING = "neighbour-spoofing";

  /** {@code rules.<rule>.action: mark}, a dry run: not an {@link Action} of a verdict. */
  private static final String MARK = "mark";

  /* The bounds ProxySettings enforces, checked here first so that the error names the key. */
  private static final int MIN_MESSAGE_BYTES = 512;
  private static final int MAX_MESSAGE_BYTES = 1 << 20;
  private static final int MIN_HEADERS = 8;
  private static final int MAX_HEADERS = 10_000;
  private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]*");

  /** An RFC 1123 host name; checked by syntax only, never resolved while loading. */
  private static final Pattern HOST_NAME =
      Pattern.compile(
          "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");

  /** The number list files read so far, in the order of the file; watched for a reload. */
  private final List<Path> listFiles = new ArrayList<>();

  SettingsConverter(ConfigSource source) {
    super(source);
  }

  /**
   * Converts {@code file}, recording every problem in the source and going on with the next,
   * independent key, so that one load reports them all.
   *
   * @throws ConfigException with every problem found, here or while binding
   */
  ProxySettings convert(ConfigFile file) throws ConfigException {
    ConfigFile.Listen listen = file.listen();
    Optional<HostPort> udp =
        source
            .attempt(() -> optionalAt("listen.udp", listen.udp(), SettingsConverter::listenAt))
            .flatMap(o -> o);
    Optional<HostPort> tcp =
        source
            .attempt(() -> optionalAt("listen.tcp", listen.tcp(), SettingsConverter::listenAt))
            .flatMap(o -> o);
    if (listen.udp().isEmpty() && listen.tcp().isEmpty()) {
      source.record(
          source.error("listen", "neither udp nor tcp is set; expected " + expected("listen")));
    }
    Optional<HostPort> nextHop =
        source.attempt(() -> at("next-hop.address", () -> nextHop(file.nextHop().address())));
    Optional<Transport> transport =
        source
            .attempt(
                () ->
                    at(
                        "next-hop.transport",
                        () -> transport(file.nextHop().transport().orElse("same"))))
            .flatMap(t -> t);
    List<String> homeCountries = homeCountries(file);

    ConfigFile.Limits limits = file.limits().orElse(new ConfigFile.Limits(none(), none()));
    int maxMessageBytes =
        source
            .attempt(
                () ->
                    inRange(
                        "limits.max-message-bytes",
                        limits.maxMessageBytes(),
                        ProxySettings.DEFAULT_MAX_MESSAGE_BYTES,
                        MIN_MESSAGE_BYTES,
                        MAX_MESSAGE_BYTES))
            .orElse(ProxySettings.DEFAULT_MAX_MESSAGE_BYTES);
    int maxHeaders =
        source
            .attempt(
                () ->
                    inRange(
                        "limits.max-headers",
                        limits.maxHeaders(),
                        ProxySettings.DEFAULT_MAX_HEADERS,
                        MIN_HEADERS,
                        MAX_HEADERS))
            .orElse(ProxySettings.DEFAULT_MAX_HEADERS);

    Thresholds builtIn = new Thresholds(DEFAULT_LABEL_THRESHOLD, DEFAULT_BLOCK_THRESHOLD);
    Thresholds defaults = thresholds("thresholds", file.thresholds(), builtIn).orElse(builtIn);
    int label = defaults.label();
    int block = defaults.block();
    Optional<Integer> anonymise = defaults.anonymise();

    StirConverter stir = new StirConverter(source);
    Optional<VerificationSettings> verification = stir.verification(file.stir());
    Optional<Optional<SigningSettings>> signing = source.attempt(() -> stir.signing(file.stir()));
    // A stir section that is there but wrong is reported once, not again on every trunk.
    boolean verifierConfigured =
        verification.isPresent()
            || file.stir().flatMap(ConfigFile.Stir::trustAnchors).isPresent()
            || source.droppedAround("stir.trust-anchors");
    List<Trunk> trunks =
        trunks(
            file.trunks().orElse(List.of()),
            stir,
            StirConverter.attestationSuffix(file.stir()),
            verifierConfigured,
            defaults);
    // List files name trunks: every trunk written counts, even one with a mistake of its own.
    Optional<Set<String>> trunkNames = Optional.empty();
    if (!source.droppedAround("trunks")) {
      Set<String> names = new LinkedHashSet<>();
      file.trunks().orElse(List.of()).forEach(entry -> names.add(entry.name()));
      names.add(Trunk.DEFAULT.name());
      trunkNames = Optional.of(names);
    }
    SipStatus blockResponse =
        file.blockResponse().isPresent()
            ? source
                .attempt(() -> response("block-response", file.blockResponse().get()))
                .orElse(SipStatus.REJECTED)
            : SipStatus.REJECTED;
    Map<String, RuleSettings> rules = rules(file.rules().orElse(Map.of()));
    ConfigFile.Signers signers =
        file.lists()
            .flatMap(ConfigFile.Lists::signers)
            .orElse(new ConfigFile.Signers(none(), none()));
    Map<String, ConfigFile.Rule> writtenRules = file.rules().orElse(Map.of());
    boolean allowMobileRoaming =
        source.attempt(() -> allowMobileRoaming(writtenRules)).orElse(false);
    List<NamedList> protectedNumbers =
        numberLists(
            "lists.protected-numbers",
            file.lists().flatMap(ConfigFile.Lists::protectedNumbers).orElse(List.of()),
            trunkNames);
    CallerList deny =
        callerList("lists.deny", file.lists().flatMap(ConfigFile.Lists::deny), trunkNames);
    CallerList allow =
        callerList("lists.allow", file.lists().flatMap(ConfigFile.Lists::allow), trunkNames);
    int neighbourDigits =
        source
            .attempt(() -> neighbourDigits(writtenRules))
            .orElse(CheckOptions.DEFAULT_NEIGHBOUR_DIGITS);
    Set<String> signersAllowed =
        source.attempt(() -> spcs("lists.signers.allow", signers.allow())).orElse(Set.of());
    Set<String> signersDenied =
        source.attempt(() -> spcs("lists.signers.deny", signers.deny())).orElse(Set.of());
    Map<String, RateLimits> rateLimits = rateLimits(file, stir);

    Optional<String> verdictHeader =
        source.attempt(
            () ->
                at(
                    "verdict-header",
                    () ->
                        verdictHeader(
                            file.verdictHeader().orElse(ProxySettings.DEFAULT_VERDICT_HEADER))));
    AuditConverter auditConverter = new AuditConverter(source);
    Optional<Path> auditLog = auditConverter.file(file, DEFAULT_AUDIT_LOG);
    Optional<AuditSettings> audit = auditConverter.settings(file.audit());
    Optional<Optional<String>> displayNamePrefix =
        source.attempt(
            () ->
                optionalAt(
                    "actions.label.display-name-prefix",
                    file.actions()
                        .flatMap(ConfigFile.Actions::label)
                        .flatMap(ConfigFile.LabelAction::displayNamePrefix),
                    SettingsConverter::displayNamePrefix));
    Optional<Optional<HostPort>> admin =
        source.attempt(
            () ->
                optionalAt(
                    "admin.listen",
                    file.admin().flatMap(ConfigFile.Admin::listen),
                    SettingsConverter::adminAt));
    Optional<Optional<BearerToken>> adminToken =
        source.attempt(
            () -> {
              Optional<String> tokenFile = file.admin().flatMap(ConfigFile.Admin::tokenFile);
              return tokenFile.isEmpty()
                  ? Optional.<BearerToken>empty()
                  : Optional.of(adminToken(tokenFile.get()));
            });

    source.throwIfAny();
    CheckOptions options =
        new CheckOptions(
            allowMobileRoaming,
            protectedNumbers,
            deny,
            allow,
            neighbourDigits,
            signersAllowed,
            signersDenied,
            rateLimits);
    DetectorSettings detector =
        at(
            "",
            () ->
                new DetectorSettings(
                    homeCountries, trunks, rules, label, block, blockResponse, options, anonymise));
    return at(
        "",
        () ->
            ProxySettings.builder(nextHop.orElseThrow(), detector)
                .udpListen(udp)
                .tcpListen(tcp)
                .nextHopTransport(transport)
                .maxMessageBytes(maxMessageBytes)
                .maxHeaders(maxHeaders)
                .verdictHeader(verdictHeader.orElseThrow())
                .auditLog(auditLog.orElseThrow())
                .stir(verification)
                .adminListen(admin.orElseThrow())
                .listFiles(listFiles)
                .displayNamePrefix(displayNamePrefix.orElseThrow())
                .adminToken(adminToken.orElseThrow())
                .audit(audit.orElseThrow())
                .stirSigning(signing.orElseThrow())
                .build());
  }

  /**
   * The trunks with no mistake; each mistake is recorded, and a trunk with one is left out (the
   * load fails anyway).
   */
  private List<Trunk> trunks(
      List<ConfigFile.TrunkEntry> entries,
      StirConverter stir,
      boolean attestationSuffix,
      boolean verifierConfigured,
      Thresholds defaults) {
    List<Trunk> trunks = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < entries.size(); i++) {
      String path = "trunks[" + i + "]";
      ConfigFile.TrunkEntry entry = entries.get(i);
      int index = i;
      Optional<String> name = source.attempt(() -> trunkName(path, entry.name(), seen, index));
      boolean complete = name.isPresent();
      if (entry.sources().isEmpty()) {
        source.record(
            source.error(path + ".sources", "no sources; expected " + expected(path + ".sources")));
        complete = false;
      }
      List<Cidr> sources = new ArrayList<>();
      for (int j = 0; j < entry.sources().size(); j++) {
        String cidr = entry.sources().get(j);
        String item = path + ".sources[" + j + "]";
        Optional<Cidr> parsed = source.attempt(() -> at(item, () -> Cidr.parse(cidr)));
        parsed.ifPresent(sources::add);
        complete &= parsed.isPresent();
      }
      Optional<Set<Transport>> transports =
          source.attempt(
              () -> at(path + ".transport", () -> trunkTransport(entry.transport().orElse("any"))));
      Optional<Optional<Thresholds>> thresholds =
          entry.thresholds().isPresent()
              ? thresholds(path + ".thresholds", entry.thresholds(), defaults).map(Optional::of)
              : Optional.of(Optional.empty());
      Optional<Optional<Attestation>> minimumAttestation =
          source.attempt(
              () ->
                  entry.minAttestation().isPresent()
                      ? Optional.of(
                          at(
                              path + ".min-attestation",
                              () -> attestation(entry.minAttestation().get())))
                      : Optional.empty());
      Optional<StirSettings> stirSettings =
          source.attempt(
              () ->
                  stir.trunk(path + ".stir", entry.stir(), attestationSuffix, verifierConfigured));
      if (complete
          && transports.isPresent()
          && thresholds.isPresent()
          && minimumAttestation.isPresent()
          && stirSettings.isPresent()) {
        trunks.add(
            new Trunk(
                name.get(),
                sources,
                entry.trusted().orElse(false),
                stirSettings.get(),
                entry.international().orElse(false),
                transports.get(),
                thresholds.get(),
                minimumAttestation.get()));
      }
    }
    return trunks;
  }

  private String trunkName(String path, String name, Map<String, Integer> seen, int index)
      throws ConfigException {
    if (name.isBlank()) {
      throw source.error(path + ".name", "no name; expected " + expected(path + ".name"));
    }
    if (name.equals(Trunk.DEFAULT.name())) {
      throw source.error(
          path + ".name",
          "\"default\" is the trunk of sources no trunk matches; expected another name");
    }
    Integer earlier = seen.putIfAbsent(name, index);
    if (earlier != null) {
      throw source.error(
          path + ".name",
          "\""
              + name
              + "\" is already the name of trunks["
              + earlier
              + "]; expected a unique"
              + " name");
    }
    return name;
  }

  /**
   * The thresholds at {@code path}; a score left out takes its value from {@code defaults}. When
   * label ends up above block, the error blames the threshold the operator wrote; if both, the
   * label (the one usually lowered).
   */
  private Optional<Thresholds> thresholds(
      String path, Optional<ConfigFile.Thresholds> written, Thresholds defaults) {
    return source.attempt(() -> checkedThresholds(path, written, defaults)).flatMap(t -> t);
  }

  /** Empty when label or block is out of range (recorded); throws for what they break together. */
  private Optional<Thresholds> checkedThresholds(
      String path, Optional<ConfigFile.Thresholds> written, Thresholds defaults)
      throws ConfigException {
    ConfigFile.Thresholds thresholds =
        written.orElse(new ConfigFile.Thresholds(none(), none(), none()));
    Optional<Integer> labelInRange =
        source.attempt(
            () -> inRange(path + ".label", thresholds.label(), defaults.label(), 0, 100));
    Optional<Integer> blockInRange =
        source.attempt(
            () -> inRange(path + ".block", thresholds.block(), defaults.block(), 0, 100));
    if (labelInRange.isEmpty() || blockInRange.isEmpty()) {
      return Optional.empty();
    }
    int label = labelInRange.get();
    int block = blockInRange.get();
    if (label > block) {
      if (thresholds.label().isPresent()) {
        throw source.error(
            path + ".label",
            label + " is above the block threshold " + block + "; expected at most " + block);
      }
      throw source.error(
          path + ".block",
          block
              + " is below the label threshold "
              + label
              + " (the default); expected at least "
              + label);
    }
    Optional<Integer> anonymise =
        thresholds.anonymise().isPresent() ? thresholds.anonymise() : defaults.anonymise();
    if (anonymise.isPresent()) {
      int a = inRange(path + ".anonymise", anonymise, 0, 0, 100);
      if (a < label || a > block) {
        String where = thresholds.anonymise().isPresent() ? path : "thresholds";
        throw source.error(
            where + ".anonymise",
            a
                + " is outside the label threshold "
                + label
                + " to the block threshold "
                + block
                + "; expected a score from "
                + label
                + " to "
                + block);
      }
    }
    return Optional.of(new Thresholds(label, anonymise, block));
  }

  /**
   * The home countries: {@code home-country} first (the region of national-format numbers), then
   * those of {@code home-countries} not already named; at least one.
   */
  private List<String> homeCountries(ConfigFile file) {
    Set<String> regions = new LinkedHashSet<>();
    if (file.homeCountry().isPresent()) {
      source
          .attempt(() -> at("home-country", () -> region(file.homeCountry().get())))
          .ifPresent(regions::add);
    }
    List<String> more = file.homeCountries().orElse(List.of());
    for (int i = 0; i < more.size(); i++) {
      String text = more.get(i);
      String path = "home-countries[" + i + "]";
      source.attempt(() -> at(path, () -> region(text))).ifPresent(regions::add);
    }
    if (file.homeCountry().isEmpty() && more.isEmpty()) {
      source.record(
          source.error(
              "home-country",
              "neither home-country nor home-countries is set; expected "
                  + expected("home-country")));
    }
    return List.copyOf(regions);
  }

  /**
   * The limits of {@code rate-exceeded} by trunk name: a trunk's own {@code rate}, else the
   * top-level one, which also applies to the {@code default} trunk. Keys left out take those of the
   * top-level {@code rate}, else 60s and no limit.
   */
  private Map<String, RateLimits> rateLimits(ConfigFile file, StirConverter stir) {
    RateLimits none = new RateLimits(Duration.ofSeconds(60), 0, 0);
    Optional<RateLimits> top =
        file.rate().isPresent()
            ? source.attempt(() -> rate("rate", file.rate().get(), none, stir))
            : none();
    Map<String, RateLimits> limits = new HashMap<>();
    List<ConfigFile.TrunkEntry> entries = file.trunks().orElse(List.of());
    for (int i = 0; i < entries.size(); i++) {
      ConfigFile.TrunkEntry entry = entries.get(i);
      String path = "trunks[" + i + "].rate";
      Optional<RateLimits> own =
          entry.rate().isPresent()
              ? source.attempt(() -> rate(path, entry.rate().get(), top.orElse(none), stir))
              : top;
      own.filter(RateLimits::limits).ifPresent(l -> limits.put(entry.name(), l));
    }
    top.filter(RateLimits::limits).ifPresent(l -> limits.put(Trunk.DEFAULT.name(), l));
    return limits;
  }

  private RateLimits rate(
      String path, ConfigFile.Rate rate, RateLimits defaults, StirConverter stir)
      throws ConfigException {
    Duration window =
        stir.duration(
            path + ".window",
            rate.window(),
            defaults.window(),
            Duration.ofSeconds(1),
            Duration.ofHours(1));
    int perCaller =
        inRange(path + ".per-caller", rate.perCaller(), defaults.perCaller(), 0, 1_000_000);
    int perSource =
        inRange(path + ".per-source", rate.perSource(), defaults.perSource(), 0, 1_000_000);
    return new RateLimits(window, perCaller, perSource);
  }

  /** The digits of {@code neighbour-spoofing}, the only rule that takes them. */
  private int neighbourDigits(Map<String, ConfigFile.Rule> configured) throws ConfigException {
    int digits = CheckOptions.DEFAULT_NEIGHBOUR_DIGITS;
    for (Map.Entry<String, ConfigFile.Rule> entry : configured.entrySet()) {
      String path = "rules." + entry.getKey() + ".digits";
      Optional<Integer> value = entry.getValue().digits();
      if (value.isEmpty()) {
        continue;
      }
      if (!NEIGHBOUR_SPOOFING.equals(entry.getKey())) {
        throw source.error(
            path,
            "rule " + entry.getKey() + " takes no digits; expected it on " + NEIGHBOUR_SPOOFING);
      }
      digits = inRange(path, value, digits, 2, 15);
    }
    return digits;
  }

  private Set<String> spcs(String path, Optional<List<String>> written) throws ConfigException {
    List<String> spcs = written.orElse(List.of());
    for (int i = 0; i < spcs.size(); i++) {
      if (spcs.get(i).isBlank()) {
        throw source.error(path + "[" + i + "]", "no SPC; expected " + expected(path + "[]"));
      }
    }
    return Set.copyOf(spcs);
  }

  /** The mobile exemption of {@code domestic-cli-from-abroad}, the only rule that takes it. */
  private boolean allowMobileRoaming(Map<String, ConfigFile.Rule> configured)
      throws ConfigException {
    boolean allow = false;
    for (Map.Entry<String, ConfigFile.Rule> entry : configured.entrySet()) {
      Optional<Boolean> value = entry.getValue().allowMobileRoaming();
      if (value.isEmpty()) {
        continue;
      }
      if (!DOMESTIC_CLI_FROM_ABROAD.equals(entry.getKey())) {
        throw source.error(
            "rules." + entry.getKey() + ".allow-mobile-roaming",
            "rule "
                + entry.getKey()
                + " takes no allow-mobile-roaming; expected it on "
                + DOMESTIC_CLI_FROM_ABROAD);
      }
      allow = value.get();
    }
    return allow;
  }

  private CallerList callerList(
      String path, Optional<ConfigFile.CallerList> written, Optional<Set<String>> trunkNames) {
    if (written.isEmpty()) {
      return CallerList.EMPTY;
    }
    ConfigFile.CallerList list = written.get();
    List<NamedList> numbers =
        numberLists(path + ".numbers", list.numbers().orElse(List.of()), trunkNames);
    List<String> spcs = list.spcs().orElse(List.of());
    for (int i = 0; i < spcs.size(); i++) {
      if (spcs.get(i).isBlank()) {
        source.record(
            source.error(
                path + ".spcs[" + i + "]", "no SPC; expected " + expected(path + ".spcs[]")));
      }
    }
    List<Cidr> sources = new ArrayList<>();
    List<String> cidrs = list.sources().orElse(List.of());
    for (int i = 0; i < cidrs.size(); i++) {
      String cidr = cidrs.get(i);
      String item = path + ".sources[" + i + "]";
      source.attempt(() -> at(item, () -> Cidr.parse(cidr))).ifPresent(sources::add);
    }
    List<Pattern> userAgents = new ArrayList<>();
    List<String> patterns = list.userAgents().orElse(List.of());
    for (int i = 0; i < patterns.size(); i++) {
      String pattern = patterns.get(i);
      String item = path + ".user-agents[" + i + "]";
      source.attempt(() -> at(item, () -> userAgent(pattern))).ifPresent(userAgents::add);
    }
    return new CallerList(numbers, Set.copyOf(spcs), sources, userAgents);
  }

  /**
   * Loads the number list files at {@code path}, each relative to the config file's folder. A trunk
   * an entry allows must be a trunk of this file: a misspelt name would silently make the entry a
   * Do-Not-Originate one. {@code trunkNames} is empty when the trunks could not be read, and then
   * that is not checked.
   */
  private List<NamedList> numberLists(
      String path, List<ConfigFile.ListFile> files, Optional<Set<String>> trunkNames) {
    List<NamedList> lists = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      String filePath = path + "[" + i + "].file";
      String text = files.get(i).file();
      source.attempt(() -> numberList(filePath, text, trunkNames)).ifPresent(lists::add);
    }
    return lists;
  }

  private NamedList numberList(String filePath, String text, Optional<Set<String>> trunkNames)
      throws ConfigException {
    if (text.isBlank()) {
      throw source.error(filePath, "no path; expected " + expected(filePath));
    }
    Path file = at(filePath, () -> listFile(source.file(), text));
    NumberListFile.Loaded loaded;
    try {
      loaded = NumberListFile.load(file);
    } catch (NumberListFile.InvalidListException e) {
      throw source.error(filePath, String.join("; ", e.errors()), e);
    } catch (UncheckedIOException e) {
      String why =
          e.getCause() instanceof NoSuchFileException
              ? "there is no such file"
              : String.valueOf(e.getCause().getMessage());
      throw source.error(
          filePath, "cannot read " + file + ": " + why + "; expected " + expected(filePath), e);
    }
    if (trunkNames.isPresent()) {
      for (NumberRule rule : loaded.list().rules()) {
        for (String trunk : rule.trunks()) {
          if (!trunkNames.get().contains(trunk)) {
            throw source.error(
                filePath,
                file
                    + " allows trunk \""
                    + trunk
                    + "\", which is not a trunk of this file; expected one of "
                    + String.join(", ", trunkNames.get()));
          }
        }
      }
    }
    listFiles.add(file.toAbsolutePath().normalize());
    return new NamedList(file.getFileName().toString(), loaded.list());
  }

  private Map<String, RuleSettings> rules(Map<String, ConfigFile.Rule> configured) {
    Map<String, RuleSettings> rules = new LinkedHashMap<>();
    for (Map.Entry<String, ConfigFile.Rule> entry : configured.entrySet()) {
      rule(entry.getKey(), entry.getValue()).ifPresent(r -> rules.put(entry.getKey(), r));
    }
    return rules;
  }

  /** One rule's settings; empty when it has mistakes, each of which is recorded. */
  private Optional<RuleSettings> rule(String id, ConfigFile.Rule rule) {
    String path = "rules." + id;
    RuleSettings defaults = DetectorSettings.DEFAULT_RULES.get(id);
    if (defaults == null) {
      source.record(
          source.error(
              path,
              "\""
                  + id
                  + "\" is not a rule; expected one of "
                  + String.join(", ", DetectorSettings.DEFAULT_RULES.keySet())));
      return Optional.empty();
    }
    Optional<Integer> weight =
        source.attempt(() -> inRange(path + ".weight", rule.weight(), defaults.weight(), 0, 100));
    boolean marked = rule.action().filter(MARK::equals).isPresent();
    if (marked && rule.response().isPresent()) {
      source.record(
          source.error(
              path + ".response",
              "a rule marked as a dry run sends no response; expected either action: mark or a"
                  + " response"));
      return Optional.empty();
    }
    Optional<Optional<Action>> action =
        rule.action().isPresent() && !marked
            ? source
                .attempt(() -> at(path + ".action", () -> ruleAction(rule.action().get())))
                .map(Optional::of)
            : Optional.of(marked ? Optional.empty() : defaults.action());
    Optional<Optional<SipStatus>> response =
        rule.response().isPresent()
            ? source
                .attempt(() -> response(path + ".response", rule.response().get()))
                .map(Optional::of)
            : Optional.of(marked ? Optional.empty() : defaults.response());
    if (weight.isEmpty() || action.isEmpty() || response.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new RuleSettings(
            rule.enabled().orElse(defaults.enabled()),
            weight.get(),
            action.get(),
            response.get(),
            marked));
  }

  private SipStatus response(String path, ConfigFile.Response response) throws ConfigException {
    int code = response.code();
    if (code < 400 || code > 699) {
      throw source.error(
          path + ".code", code + " is out of range; expected " + expected(path + ".code"));
    }
    return at(path + ".reason", () -> new SipStatus(code, response.reason()));
  }

  private <T> Optional<T> optionalAt(String path, Optional<String> text, Function<String, T> parse)
      throws ConfigException {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(at(path, () -> parse.apply(text.get())));
  }

  private static <T> Optional<T> none() {
    return Optional.empty();
  }

  /* ---- one parser per kind of value; each throws IllegalArgumentException "...; expected ..." */

  /** A listening address must be a literal IP: there is no name to resolve for a local socket. */
  static HostPort listenAt(String text) {
    return literalIp(HostPort.parse(text), text, "listen.udp");
  }

  /**
   * {@code address}, read from {@code text} at {@code key}, unless its host is not an IP literal.
   */
  private static HostPort literalIp(HostPort address, String text, String key) {
    if (!isLiteralIp(address.host())) {
      throw new IllegalArgumentException(
          "\"" + text + "\" does not name a literal IP address; expected " + expected(key));
    }
    return address;
  }

  /**
   * The admin endpoint's address: a literal IP and port, or a port alone, which means the loopback
   * address 127.0.0.1 (the endpoint reloads the configuration: it should not face the network).
   */
  static HostPort adminAt(String text) {
    if (text.matches("[0-9]{1,5}")) {
      try {
        return new HostPort("127.0.0.1", Integer.parseInt(text));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "\"" + text + "\" is not a port; expected " + expected("admin.listen"), e);
      }
    }
    HostPort address;
    try {
      address = HostPort.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not host:port; expected " + expected("admin.listen"), e);
    }
    return literalIp(address, text, "admin.listen");
  }

  /** A next hop may be a host name; it is resolved when the proxy starts, never while loading. */
  static HostPort nextHop(String text) {
    HostPort address = HostPort.parse(text);
    String host = address.host();
    boolean looksNumeric = host.indexOf(':') >= 0 || host.matches("[0-9.]+");
    if (looksNumeric ? !isLiteralIp(host) : !HOST_NAME.matcher(host).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not host:port; expected " + expected("next-hop.address"));
    }
    return address;
  }

  /** True when {@code host} is an IPv4 or IPv6 literal; never asks DNS. */
  static boolean isLiteralIp(String host) {
    try {
      // A bare address parses as a host route (/32 or /128), with no DNS look-up.
      Cidr.parse(host);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static Optional<Transport> transport(String text) {
    return switch (text) {
      case "same" -> Optional.empty();
      case "udp" -> Optional.of(Transport.UDP);
      case "tcp" -> Optional.of(Transport.TCP);
      default ->
          throw new IllegalArgumentException(
              "\"" + text + "\" is not a transport; expected one of same, udp, tcp");
    };
  }

  /** A rule's forced action; {@code mark} is handled before. */
  static Action ruleAction(String text) {
    try {
      return Action.fromId(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an action; expected " + expected("rules.*.action"), e);
    }
  }

  static String displayNamePrefix(String text) {
    try {
      return ProxySettings.checkDisplayNamePrefix(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          e.getMessage().replaceFirst("; expected .*$", "")
              + "; expected "
              + expected("actions.label.display-name-prefix"),
          e);
    }
  }

  static Attestation attestation(String text) {
    return Attestation.of(text)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "\""
                        + text
                        + "\" is not an attestation; expected "
                        + expected("trunks[].min-attestation")));
  }

  static Pattern userAgent(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException(
          "an empty pattern matches every call; expected " + expected("lists.deny.user-agents[]"));
    }
    try {
      return Pattern.compile(text, Pattern.CASE_INSENSITIVE);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is not a regular expression ("
              + e.getDescription()
              + "); expected "
              + expected("lists.deny.user-agents[]"),
          e);
    }
  }

  /** A trunk's transport: {@code any} (the default) matches both. */
  static Set<Transport> trunkTransport(String text) {
    return switch (text) {
      case "any" -> Set.of();
      case "udp" -> Set.of(Transport.UDP);
      case "tcp" -> Set.of(Transport.TCP);
      default ->
          throw new IllegalArgumentException(
              "\"" + text + "\" is not a transport; expected " + expected("trunks[].transport"));
    };
  }

  /**
   * {@code admin.token-file}: the token in a file named relative to the config file's folder, read
   * now (never on the admin event loop). One line; a trailing line break is dropped. A file every
   * user may read is refused: the token would be no secret.
   */
  private BearerToken adminToken(String text) throws ConfigException {
    String key = "admin.token-file";
    if (text.isBlank()) {
      throw source.error(key, "no path; expected " + expected(key));
    }
    Path tokenFile = at(key, () -> listFile(source.file(), text));
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw source.error(
          key,
          "cannot read " + tokenFile + ": there is no such file; expected " + expected(key),
          e);
    } catch (IOException e) {
      throw source.error(
          key, "cannot read " + tokenFile + ": " + e + "; expected " + expected(key), e);
    }
    if (Files.getFileAttributeView(tokenFile, PosixFileAttributeView.class) != null) {
      Set<PosixFilePermission> permissions;
      try {
        permissions = Files.getPosixFilePermissions(tokenFile);
      } catch (IOException e) {
        throw source.error(key, "cannot read the permissions of " + tokenFile + ": " + e, e);
      }
      if (permissions.contains(PosixFilePermission.OTHERS_READ)) {
        throw source.error(
            key,
            tokenFile
                + " can be read by every user ("
                + PosixFilePermissions.toString(permissions)
                + "); expected "
                + expected(key));
      }
    }
    if (token.endsWith("\r\n")) {
      token = token.substring(0, token.length() - 2);
    } else if (token.endsWith("\n")) {
      token = token.substring(0, token.length() - 1);
    }
    if (token.isEmpty()) {
      throw source.error(key, tokenFile + " is empty; expected " + expected(key));
    }
    String read = token;
    return at(key, () -> BearerToken.of(tokenFile, read));
  }

  /** A list file named relative to the folder of the config file naming it. */
  static Path listFile(Path configFile, String text) {
    try {
      Path folder = configFile.toAbsolutePath().getParent();
      return folder.resolve(text).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a file path (" + e.getReason() + "); expected a file path", e);
    }
  }

  static String region(String text) {
    String region = text.toUpperCase(Locale.ROOT);
    if (!PhoneNumberUtil.getInstance().getSupportedRegions().contains(region)) {
      throw new IllegalArgumentException(
          "\""
              + text
              + "\" is not a region libphonenumber knows; expected "
              + expected("home-country"));
    }
    return region;
  }

  static String verdictHeader(String text) {
    if (!HEADER_NAME.matcher(text).matches()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a header name; expected " + expected("verdict-header"));
    }
    return text;
  }

  /**
   * A relative path is taken from the working directory the proxy starts in, like the path given to
   * {@code --config}, and made absolute here so that logs show where the file really is.
   */
  static Path auditLog(String text) {
    return path(text, "audit-log");
  }
}

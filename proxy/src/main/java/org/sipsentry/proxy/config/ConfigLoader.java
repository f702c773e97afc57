package org.sipsentry.proxy.config;

import com.fasterxml.jackson.annotation.JacksonInject;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanProperty;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.InjectableValues;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.sipsentry.proxy.HostPort;
import org.sipsentry.proxy.ProxySettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the YAML config file into {@link ProxySettings}. docs/configuration.md describes every key;
 * config/sipsentry.example.yaml is a complete example.
 *
 * <p>Loading is three steps: the tokens are read once into a {@link KeyIndex} (which also catches
 * YAML syntax errors, duplicate keys and a second document), Jackson binds the text to {@link
 * ConfigFile} (unknown keys, missing keys and wrong types), and {@link SettingsConverter} checks
 * the values. Each failure names the file, the line and the key; steps 2 and 3 record it and go on,
 * so that one {@link ConfigException} carries every independent mistake. A valid file is then
 * searched for settings that can never take effect ({@link UnreachableSettings}).
 */
public final class ConfigLoader {

  /** Far above any real config; a cap so that a wrong path (a log, a pcap) fails quickly. */
  static final int MAX_FILE_BYTES = 1 << 20;

  /** How the index shows a key with no value ({@code key:} or {@code key: ~}). */
  private static final String NO_VALUE = "no value";

  /**
   * Binding errors reported before giving up on the rest: each one costs a binding of the whole
   * file, and a file with more is most likely not a SipSentry config at all.
   */
  static final int MAX_BINDING_ERRORS = 100;

  /**
   * What binding puts in place of a required top-level key that is missing or wrong, so that the
   * rest of the file is still checked; errors about the key itself are reported once, before.
   */
  private static final Map<String, JsonNode> STAND_INS = standIns();

  private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)'");

  /**
   * A component of type {@link Optional} is an optional key: absent, it is injected as {@code
   * Optional.empty()}. This is the only way round {@code FAIL_ON_MISSING_CREATOR_PROPERTIES}, which
   * otherwise makes every record component a required key. Input, when present, wins.
   */
  private static final JacksonAnnotationIntrospector OPTIONAL_MEANS_ABSENT_OK =
      new JacksonAnnotationIntrospector() {
        private static final long serialVersionUID = 1L;

        @Override
        public JacksonInject.Value findInjectableValue(AnnotatedMember member) {
          if (member instanceof AnnotatedParameter parameter
              && parameter.getRawType() == Optional.class) {
            // Ids must be unique within a class; the value is the same for all of them.
            return JacksonInject.Value.forId(
                    "absent:"
                        + parameter.getDeclaringClass().getName()
                        + "#"
                        + parameter.getIndex())
                .withUseInput(Boolean.TRUE);
          }
          return super.findInjectableValue(member);
        }
      };

  private static final InjectableValues ABSENT =
      new InjectableValues.Base() {
        private static final long serialVersionUID = 1L;

        @Override
        public Object findInjectableValue(
            DeserializationContext context,
            Object valueId,
            BeanProperty forProperty,
            Object beanInstance,
            Boolean optional,
            Boolean useInput) {
          return Optional.empty();
        }
      };

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder(
              YAMLFactory.builder()
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  // Only true and false are booleans: "home-country: NO" is Norway, not false.
                  .enable(YAMLParser.Feature.PARSE_BOOLEAN_LIKE_WORDS_AS_STRINGS)
                  // "limits:" with nothing after it is YAML's null: the key takes its default.
                  .enable(YAMLParser.Feature.EMPTY_STRING_AS_NULL)
                  .build())
          .enable(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
              DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
              DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // 60.5 is not a weight, rather than 60.
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
          .addModule(new Jdk8Module())
          .annotationIntrospector(OPTIONAL_MEANS_ABSENT_OK)
          .injectableValues(ABSENT)
          // An empty list item or rule ("sources: [~]") is an error, not a null to trip over.
          .defaultSetterInfo(JsonSetter.Value.forContentNulls(Nulls.FAIL))
          // "enabled: 1" and "weight: ''" are mistakes, not true and null.
          .withCoercionConfig(
              LogicalType.Boolean,
              c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail))
          .withCoercionConfigDefaults(
              c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
          .build();

  /** Warnings go where the proxy's own messages go; whose fault: the operator's, hence WARN. */
  private static final Logger log = LoggerFactory.getLogger(ConfigLoader.class);

  private ConfigLoader() {}

  private static Map<String, JsonNode> standIns() {
    ObjectNode nextHop = JsonNodeFactory.instance.objectNode();
    nextHop.put("address", "192.0.2.1:5060");
    return Map.of("listen", JsonNodeFactory.instance.objectNode(), "next-hop", nextHop);
  }

  /**
   * Reads, validates and converts a YAML file, and logs its {@link #check warnings}. Never does
   * network I/O (no DNS): a next hop given by name is resolved when the proxy starts.
   *
   * @throws ConfigException naming the file, line and key of every problem found
   */
  public static ProxySettings load(Path file) throws ConfigException {
    CheckedConfig checked = check(file);
    for (ConfigWarning warning : checked.warnings()) {
      log.warn("{}", warning.message());
    }
    return checked.settings();
  }

  /**
   * As {@link #load}, without logging: the settings, and the settings that cannot take effect
   * ({@link UnreachableSettings}) for the caller to show.
   *
   * @throws ConfigException naming the file, line and key of every problem found
   */
  public static CheckedConfig check(Path file) throws ConfigException {
    Objects.requireNonNull(file, "file");
    String text = read(file);
    KeyIndex keys = index(file, text);
    ConfigSource source = new ConfigSource(file, keys);
    Optional<ConfigFile> bound = bind(source, text);
    if (bound.isEmpty()) {
      source.throwIfAny();
    }
    ProxySettings settings = new SettingsConverter(source).convert(bound.orElseThrow());
    return new CheckedConfig(
        settings, UnreachableSettings.find(source, bound.get(), settings.detector()));
  }

  /**
   * Applies the command line over the file: {@code --listen} sets both the UDP and the TCP address,
   * {@code --next-hop} the next hop's address (its transport stays as configured).
   */
  public static ProxySettings withOverrides(
      ProxySettings s, Optional<HostPort> listen, Optional<HostPort> nextHop) {
    Objects.requireNonNull(s, "s");
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(nextHop, "nextHop");
    ProxySettings.Builder builder = s.toBuilder().nextHop(nextHop.orElse(s.nextHop()));
    if (listen.isPresent()) {
      builder.udpListen(listen).tcpListen(listen);
    }
    return builder.build();
  }

  /**
   * A few lines for {@code sipsentry check-config}: what the proxy would do with these settings.
   */
  public static String summary(ProxySettings s) {
    return SettingsSummary.of(Objects.requireNonNull(s, "s"));
  }

  private static String read(Path file) throws ConfigException {
    try {
      if (Files.isDirectory(file)) {
        throw fileError(file, "is a directory; expected a YAML file", null);
      }
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw fileError(file, "is larger than 1 MiB; expected a YAML config file", null);
      }
      String text =
          StandardCharsets.UTF_8
              .newDecoder()
              .decode(ByteBuffer.wrap(Files.readAllBytes(file)))
              .toString();
      return text.startsWith("\uFEFF") ? text.substring(1) : text;
    } catch (NoSuchFileException e) {
      throw fileError(file, "file not found", e);
    } catch (AccessDeniedException e) {
      throw fileError(file, "cannot be read: permission denied", e);
    } catch (CharacterCodingException e) {
      throw fileError(file, "is not UTF-8 text; expected a YAML file", e);
    } catch (IOException e) {
      throw fileError(file, "cannot be read: " + e.getMessage(), e);
    }
  }

  private static ConfigException fileError(Path file, String problem, Throwable cause) {
    return new ConfigException(file, OptionalInt.empty(), "", problem, cause);
  }

  /** Step 1: the line and value of every key; YAML syntax, duplicate keys, a second document. */
  private static KeyIndex index(Path file, String text) throws ConfigException {
    KeyIndex keys = new KeyIndex();
    String noContent = "no settings in the file; expected " + ConfigFile.expected("").orElseThrow();
    try (JsonParser parser = MAPPER.createParser(text)) {
      try {
        JsonToken token = parser.nextToken();
        if (token == null || token == JsonToken.VALUE_NULL) {
          throw fileError(file, noContent, null);
        }
        if (token != JsonToken.START_OBJECT) {
          throw new ConfigException(
              file,
              OptionalInt.of(line(parser.currentTokenLocation())),
              "",
              shown(parser, token)
                  + " is not a mapping; expected "
                  + ConfigFile.expected("").orElseThrow());
        }
        int depth = 0;
        do {
          int line = line(parser.currentTokenLocation());
          switch (token) {
            case FIELD_NAME -> keys.key(KeyIndex.path(parser.getParsingContext()), line);
            case START_OBJECT, START_ARRAY -> {
              // The new context has no key yet, so this is the path of the mapping or list.
              keys.value(KeyIndex.path(parser.getParsingContext()), line, shown(parser, token));
              depth++;
            }
            case END_OBJECT, END_ARRAY -> depth--;
            default ->
                keys.value(KeyIndex.path(parser.getParsingContext()), line, shown(parser, token));
          }
          token = depth == 0 ? null : parser.nextToken();
        } while (token != null);
        if (parser.nextToken() != null) {
          throw new ConfigException(
              file,
              OptionalInt.of(line(parser.currentTokenLocation())),
              "",
              "a second YAML document; expected one document only");
        }
      } catch (JsonProcessingException e) {
        throw syntaxError(file, parser, e);
      }
    } catch (IOException e) {
      // Reading a String: only the parser's own errors, handled above, can occur.
      throw fileError(file, "cannot be read: " + e.getMessage(), e);
    }
    return keys;
  }

  private static ConfigException syntaxError(
      Path file, JsonParser parser, JsonProcessingException e) {
    OptionalInt line =
        e.getLocation() == null ? OptionalInt.empty() : OptionalInt.of(line(e.getLocation()));
    Matcher duplicate = DUPLICATE_KEY.matcher(e.getOriginalMessage());
    if (duplicate.matches()) {
      return new ConfigException(
          file,
          line,
          KeyIndex.path(parser.getParsingContext()),
          "duplicate key; expected each key once per mapping",
          e);
    }
    String problem = firstLine(e.getOriginalMessage());
    if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException marked
        && marked.getProblem() != null) {
      problem = marked.getProblem();
    }
    return new ConfigException(
        file,
        line,
        "",
        "not valid YAML: "
            + problem
            + "; expected YAML \"key: value\" lines, check the"
            + " indentation and quoting",
        e);
  }

  /**
   * Step 2: Jackson binds the text to the records of {@link ConfigFile}. Jackson stops at the first
   * unknown key or wrong type; so each error is recorded, the key it is about is taken out of the
   * tree (a list item's whole list, a missing key's mapping), and the rest is bound again, until it
   * binds or nothing is left to bind. Empty when it never bound; the errors are in {@code source}.
   */
  private static Optional<ConfigFile> bind(ConfigSource source, String text)
      throws ConfigException {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      // The index read the same text without error; keep Jackson's words rather than guess.
      throw source.error("", firstLine(e.getOriginalMessage()), line(e.getLocation()), e);
    }
    for (int errors = 0; errors < MAX_BINDING_ERRORS; errors++) {
      try {
        return Optional.of(MAPPER.treeToValue(tree, ConfigFile.class));
      } catch (JsonMappingException e) {
        source.record(bindingError(source, e));
        if (!dropFrom(tree, segments(e), e instanceof UnrecognizedPropertyException, source)) {
          return Optional.empty();
        }
      } catch (JsonProcessingException e) {
        source.record(source.error("", firstLine(e.getOriginalMessage()), 0, e));
        return Optional.empty();
      }
    }
    source.record(
        source.error(
            "",
            MAX_BINDING_ERRORS
                + " unknown keys or values of the wrong kind, and the rest of the file not checked;"
                + " expected a SipSentry config, see config/sipsentry.example.yaml"));
    return Optional.empty();
  }

  private static ConfigException bindingError(ConfigSource source, JsonMappingException e) {
    String path = path(segments(e));
    if (e instanceof UnrecognizedPropertyException unknown) {
      return source.error(
          path,
          "unknown key; expected one of "
              + keysOf(unknown.getReferringClass(), unknown.getKnownPropertyIds()),
          e);
    }
    if (e instanceof MismatchedInputException mismatch) {
      // Missing key, no value, or a value of the wrong kind (including InvalidFormatException
      // and InvalidNullException): which one, the index tells.
      KeyIndex keys = source.keys();
      String expected = ConfigFile.expected(path).orElse(kind(mismatch.getTargetType()));
      String problem;
      if (!keys.has(path)) {
        problem = "required key is missing; expected " + expected;
      } else if (keys.shown(path).equals(NO_VALUE)) {
        problem = "no value; expected " + expected;
      } else {
        problem =
            keys.shown(path)
                + " is not "
                + kind(mismatch.getTargetType())
                + "; expected "
                + expected;
      }
      return source.error(path, problem, e);
    }
    // Not expected with the records as they are; keep Jackson's words rather than guess.
    return source.error(path, firstLine(e.getOriginalMessage()), 0, e);
  }

  /**
   * Takes out of {@code tree} what the error at {@code at} is about, so that binding can go on: an
   * unknown key itself; else the wrong key, or the mapping a required key is missing from, and a
   * whole list rather than one of its items (taking an item out would renumber the others). What is
   * taken out is {@link ConfigSource#dropped}, so that errors following from it are not reported.
   * False when only the whole file is left to take out.
   */
  private static boolean dropFrom(
      JsonNode tree, List<Object> at, boolean unknownKey, ConfigSource source) {
    List<Object> target = at;
    if (!unknownKey) {
      if (find(tree, target) == null && !target.isEmpty()) {
        target = target.subList(0, target.size() - 1);
      }
      while (!target.isEmpty() && target.get(target.size() - 1) instanceof Integer) {
        target = target.subList(0, target.size() - 1);
      }
    }
    if (!unknownKey && (target.isEmpty() ? at : target).size() == 1) {
      return standIn(tree, (target.isEmpty() ? at : target).get(0), source);
    }
    if (target.isEmpty()) {
      return false;
    }
    JsonNode parent = find(tree, target.subList(0, target.size() - 1));
    if (!(parent instanceof ObjectNode mapping)
        || !(target.get(target.size() - 1) instanceof String key)
        || !mapping.has(key)) {
      return false;
    }
    mapping.remove(key);
    if (!unknownKey) {
      source.dropped(path(target));
    }
    return true;
  }

  /**
   * Takes out the top-level key {@code key}; a required one ({@code listen}, {@code next-hop}) is
   * replaced by a valid stand-in instead, as nothing binds without it. False when the stand-in is
   * already there.
   */
  private static boolean standIn(JsonNode tree, Object key, ConfigSource source) {
    if (!(tree instanceof ObjectNode root) || !(key instanceof String name)) {
      return false;
    }
    JsonNode standIn = STAND_INS.get(name);
    if (standIn == null) {
      if (!root.has(name)) {
        return false;
      }
      root.remove(name);
    } else if (standIn.equals(root.get(name))) {
      return false;
    } else {
      root.set(name, standIn.deepCopy());
    }
    source.dropped(name);
    return true;
  }

  /** The node at {@code at} (key names and list indexes), or null. */
  private static JsonNode find(JsonNode tree, List<Object> at) {
    JsonNode node = tree;
    for (Object step : at) {
      if (node == null) {
        return null;
      }
      node = step instanceof Integer index ? node.get(index) : node.get((String) step);
    }
    return node;
  }

  private static String shown(JsonParser parser, JsonToken token) throws IOException {
    return switch (token) {
      case START_OBJECT -> "a mapping";
      case START_ARRAY -> "a list";
      case VALUE_NULL -> NO_VALUE;
      default -> "\"" + parser.getText() + "\"";
    };
  }

  private static String kind(Class<?> type) {
    if (type == null) {
      return "a value of this kind";
    }
    if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
      return "an integer";
    }
    if (type == Boolean.class || type == boolean.class) {
      return "a boolean";
    }
    if (type == String.class) {
      return "a single value";
    }
    if (Collection.class.isAssignableFrom(type)) {
      return "a list";
    }
    if (Map.class.isAssignableFrom(type) || type.isRecord()) {
      return "a mapping";
    }
    return "a " + type.getSimpleName();
  }

  /** The keys a record takes, in the order the file is documented in. */
  private static String keysOf(Class<?> type, Collection<Object> known) {
    List<String> keys = new ArrayList<>();
    if (type != null && type.isRecord()) {
      for (var component : type.getRecordComponents()) {
        keys.add(new PropertyNamingStrategies.KebabCaseStrategy().translate(component.getName()));
      }
    } else if (known != null) {
      known.forEach(k -> keys.add(String.valueOf(k)));
    }
    return String.join(", ", keys);
  }

  /** Where the error is: a key name or a list index per step. */
  private static List<Object> segments(JsonMappingException e) {
    List<Object> at = new ArrayList<>();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        at.add(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        at.add(ref.getIndex());
      }
    }
    return at;
  }

  private static String path(List<Object> at) {
    StringBuilder path = new StringBuilder();
    for (Object step : at) {
      if (step instanceof Integer index) {
        path.append('[').append(index).append(']');
      } else {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(step);
      }
    }
    return path.toString();
  }

  private static int line(JsonLocation location) {
    return location == null ? 0 : location.getLineNr();
  }

  private static String firstLine(String message) {
    String text = message == null ? "unreadable" : message.strip();
    int end = text.indexOf('\n');
    return end < 0 ? text : text.substring(0, end).strip();
  }
}

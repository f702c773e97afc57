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
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.AnnotatedParameter;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
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

/**
 * Reads the YAML config file into {@link ProxySettings}. docs/configuration.md describes every key;
 * config/sipsentry.example.yaml is a complete example.
 *
 * <p>Loading is three steps: the tokens are read once into a {@link KeyIndex} (which also catches
 * YAML syntax errors, duplicate keys and a second document), Jackson binds the text to {@link
 * ConfigFile} (unknown keys, missing keys and wrong types), and {@link SettingsConverter} checks
 * the values. Every failure becomes one {@link ConfigException} naming the file, the line and the
 * key.
 */
public final class ConfigLoader {

  /** Far above any real config; a cap so that a wrong path (a log, a pcap) fails quickly. */
  static final int MAX_FILE_BYTES = 1 << 20;

  /** How the index shows a key with no value ({@code key:} or {@code key: ~}). */
  private static final String NO_VALUE = "no value";

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

  private ConfigLoader() {}

  /**
   * Reads, validates and converts a YAML file. Never does network I/O (no DNS): a next hop given by
   * name is resolved when the proxy starts.
   *
   * @throws ConfigException naming the file, line and key of the first problem found
   */
  public static ProxySettings load(Path file) throws ConfigException {
    Objects.requireNonNull(file, "file");
    String text = read(file);
    KeyIndex keys = index(file, text);
    ConfigSource source = new ConfigSource(file, keys);
    return new SettingsConverter(source).convert(bind(source, text));
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
    return new ProxySettings(
        listen.isPresent() ? listen : s.udpListen(),
        listen.isPresent() ? listen : s.tcpListen(),
        nextHop.orElse(s.nextHop()),
        s.nextHopTransport(),
        s.maxMessageBytes(),
        s.maxHeaders(),
        s.verdictHeader(),
        s.auditLog(),
        s.detector(),
        s.stir(),
        s.displayNamePrefix());
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

  /** Step 2: Jackson binds the text to the records of {@link ConfigFile}. */
  private static ConfigFile bind(ConfigSource source, String text) throws ConfigException {
    try {
      return MAPPER.readValue(text, ConfigFile.class);
    } catch (UnrecognizedPropertyException e) {
      String path = path(e);
      throw source.error(
          path,
          "unknown key; expected one of " + keysOf(e.getReferringClass(), e.getKnownPropertyIds()),
          e);
    } catch (MismatchedInputException e) {
      // Missing key, no value, or a value of the wrong kind (including InvalidFormatException
      // and InvalidNullException): which one, the index tells.
      String path = path(e);
      KeyIndex keys = source.keys();
      String expected = ConfigFile.expected(path).orElse(kind(e.getTargetType()));
      String problem;
      if (!keys.has(path)) {
        problem = "required key is missing; expected " + expected;
      } else if (keys.shown(path).equals(NO_VALUE)) {
        problem = "no value; expected " + expected;
      } else {
        problem =
            keys.shown(path) + " is not " + kind(e.getTargetType()) + "; expected " + expected;
      }
      throw source.error(path, problem, e);
    } catch (JsonMappingException e) {
      // Not expected with the records as they are; keep Jackson's words rather than guess.
      String path = path(e);
      throw source.error(path, firstLine(e.getOriginalMessage()), line(e.getLocation()), e);
    } catch (JsonProcessingException e) {
      throw source.error("", firstLine(e.getOriginalMessage()), line(e.getLocation()), e);
    }
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

  private static String path(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference ref : e.getPath()) {
      if (ref.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
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

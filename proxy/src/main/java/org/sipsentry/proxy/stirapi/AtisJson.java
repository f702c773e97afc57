package org.sipsentry.proxy.stirapi;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.sipsentry.proxy.admin.AdminResponse;

/**
 * The JSON of the STIR REST API (shaped after ATIS-1000082): a strict reader for its request bodies
 * and the error body every refusal carries,
 *
 * <pre>{"requestError": {"serviceException": {"messageId": "SVC4000", "text": "..."}}}</pre>
 *
 * Unknown fields, trailing data, a number where text belongs (or the reverse) and a fraction where
 * an integer belongs are errors, not guesses.
 */
final class AtisJson {

  /** The request body is not JSON of the expected shape (400). */
  static final String BAD_REQUEST = "SVC4000";

  /** A field has a value the service cannot use, e.g. a tn that is not a number (400). */
  static final String BAD_VALUE = "SVC4001";

  /** The body is larger than {@link #MAX_BODY_BYTES} (413). */
  static final String TOO_LARGE = "SVC4130";

  /** The service is not configured (503). */
  static final String NOT_CONFIGURED = "SVC5030";

  /**
   * A request carries one Identity header or the few claims of one PASSporT: well under 2 KiB in
   * practice. 8 KiB leaves room for long x5u URLs and many dest numbers.
   */
  static final int MAX_BODY_BYTES = 8 * 1024;

  /** Quoted values in error texts are cut to this length. */
  private static final int MAX_QUOTED = 64;

  private static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(
              DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
              DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
          .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
          // "tn": 41446681800 is a client bug (a number loses leading zeros), not a string.
          .withCoercionConfig(
              LogicalType.Textual,
              c ->
                  c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                      .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
          .build();

  private AtisJson() {}

  /** Thrown for a body the API refuses; carries the error response. */
  static final class Refused extends Exception {
    private final transient AdminResponse response;

    Refused(AdminResponse response) {
      super(response.toString(), null, false, false);
      this.response = response;
    }

    AdminResponse response() {
      return response;
    }
  }

  /**
   * Reads {@code body} as {@code type}.
   *
   * @throws Refused 413 when it is too large, 400 when it is not JSON of that shape
   */
  static <T> T read(byte[] body, Class<T> type) throws Refused {
    if (body.length > MAX_BODY_BYTES) {
      throw new Refused(
          error(
              HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE,
              TOO_LARGE,
              "the body is "
                  + body.length
                  + " bytes; at most "
                  + MAX_BODY_BYTES
                  + " are accepted"));
    }
    if (body.length == 0) {
      throw badRequest("the body is empty; expected a JSON object");
    }
    try {
      T value = MAPPER.readValue(body, type);
      if (value == null) {
        throw badRequest("the body is null; expected a JSON object");
      }
      return value;
    } catch (UnrecognizedPropertyException e) {
      List<String> known = new ArrayList<>();
      e.getKnownPropertyIds().forEach(id -> known.add(String.valueOf(id)));
      known.sort(null);
      throw badRequest(
          "unknown field "
              + path(e.getPath())
              + "; expected "
              + (known.isEmpty() ? "no fields" : "only " + String.join(", ", known)));
    } catch (MismatchedInputException e) {
      String at = path(e.getPath());
      throw badRequest(
          (at.isEmpty() ? "the body" : at)
              + " has the wrong type; expected "
              + kind(e.getTargetType()));
    } catch (JsonProcessingException e) {
      JsonLocation where = e.getLocation();
      throw badRequest(
          "not valid JSON: "
              + withoutSource(e.getOriginalMessage())
              + (where == null
                  ? ""
                  : " at line " + where.getLineNr() + ", column " + where.getColumnNr()));
    } catch (IOException e) {
      // A byte array cannot fail to read; keep the compiler and any surprise honest.
      throw badRequest("cannot read the body: " + e.getMessage());
    }
  }

  /** A 400 refusal for a body of the wrong shape. */
  static Refused badRequest(String text) {
    return new Refused(error(HttpResponseStatus.BAD_REQUEST, BAD_REQUEST, text));
  }

  /** A 400 refusal for a value the service cannot use. */
  static Refused badValue(String text) {
    return new Refused(error(HttpResponseStatus.BAD_REQUEST, BAD_VALUE, text));
  }

  /** A 400 refusal for a required field that is absent or null. */
  static Refused missing(String path) {
    return badRequest(path + " is missing");
  }

  /** The error body with {@code status}. */
  static AdminResponse error(HttpResponseStatus status, String messageId, String text) {
    Map<String, Object> exception = new LinkedHashMap<>();
    exception.put("messageId", messageId);
    exception.put("text", text);
    return AdminResponse.json(
        status, Map.of("requestError", Map.of("serviceException", exception)));
  }

  /** {@code value} in quotes for an error text, cut short; it is the client's own input. */
  static String quote(String value) {
    String shown = value.length() > MAX_QUOTED ? value.substring(0, MAX_QUOTED) + "..." : value;
    return '"' + shown + '"';
  }

  /** {@code verificationRequest.to.tn[0]} from Jackson's reference path. */
  private static String path(List<JsonMappingException.Reference> references) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : references) {
      if (reference.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  /** What a value of {@code type} is written as in JSON. */
  private static String kind(Class<?> type) {
    if (type == null) {
      return "another value";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type == Long.class || type == long.class || type == Integer.class || type == int.class) {
      return "an integer";
    }
    if (java.util.Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  /** Jackson's message without its source location and Java class names. */
  private static String withoutSource(String message) {
    if (message == null) {
      return "unreadable";
    }
    String text = message.lines().findFirst().orElse("");
    for (String cut : List.of(" (start marker", " at [Source", " (for ", ": was expecting")) {
      int at = text.indexOf(cut);
      if (at > 0) {
        text = text.substring(0, at);
      }
    }
    return text;
  }
}

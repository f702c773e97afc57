package org.sipsentry.sip;

import gov.nist.core.CommonLogger;
import gov.nist.javax.sip.header.CSeq;
import gov.nist.javax.sip.header.RequestLine;
import gov.nist.javax.sip.header.StatusLine;
import gov.nist.javax.sip.header.ViaList;
import gov.nist.javax.sip.message.SIPMessage;
import gov.nist.javax.sip.message.SIPResponse;
import gov.nist.javax.sip.parser.ParseExceptionListener;
import gov.nist.javax.sip.parser.StringMsgParser;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.sipsentry.sip.ParseResult.Parsed;
import org.sipsentry.sip.ParseResult.Rejected;
import org.sipsentry.sip.internal.HeaderSection;
import org.sipsentry.sip.internal.NameAddrParser;
import org.sipsentry.sip.internal.SilentStackLogger;

/**
 * Parses SIP messages (RFC 3261 §7) with JAIN-SIP's parser and checks what JAIN-SIP lets through.
 *
 * <p>Before JAIN-SIP sees a message, one pass over the bytes ({@link HeaderSection}) enforces the
 * {@link SipLimits}, finds the end of the header section, rejects duplicated single-value header
 * fields and an unusable Content-Length, and checks the SIP version. JAIN-SIP then parses the start
 * line and header fields; its {@link ParseExceptionListener} tells us about every header field it
 * could not parse, which it would otherwise drop silently (a From with a missing {@code >} leaves
 * {@code getFrom()} null). A malformed Via, From, To, Call-ID, CSeq, Max-Forwards, Content-Length,
 * Route or Record-Route rejects the message; a malformed P-Asserted-Identity, P-Preferred-Identity
 * or Privacy is reported in {@link SipMessage#defects()}; other malformed header fields are
 * forwarded as received and not looked at.
 */
public final class SipCodec {

  static {
    // JAIN-SIP's CommonLogger falls back to log4j 1.x, which is not on our classpath: without this
    // a CRLF keep-alive and ~0.05% of fuzzed inputs throw NoClassDefFoundError (DEPENDENCIES.md).
    CommonLogger.useLegacyLogger = true;
    CommonLogger.legacyLogger = SilentStackLogger.INSTANCE;
  }

  /** JAIN-SIP's parser objects are not documented as thread-safe: one per thread. */
  private static final ThreadLocal<StringMsgParser> PARSER =
      ThreadLocal.withInitial(StringMsgParser::new);

  /** Header fields every request and response carries (RFC 3261 §8.1.1), in reporting order. */
  private static final List<String> MANDATORY = List.of("from", "to", "call-id", "cseq", "via");

  /** Header fields that may occur once only (RFC 3261 §7.3.1, §20), in reporting order. */
  private static final List<String> SINGLE =
      List.of("from", "to", "call-id", "cseq", "max-forwards");

  /** Header fields a proxy routes or judges by: when JAIN-SIP cannot parse one, we reject. */
  private static final Set<String> FATAL =
      Set.of(
          "via",
          "from",
          "to",
          "call-id",
          "cseq",
          "max-forwards",
          "content-length",
          "route",
          "record-route");

  /** Header fields JAIN-SIP may drop that the detector needs to know were there. */
  private static final Set<String> IDENTITY =
      Set.of("p-asserted-identity", "p-preferred-identity", "privacy");

  /** 10 digits exceed Integer.MAX_VALUE; any real body is far below that. */
  private static final int MAX_CONTENT_LENGTH_DIGITS = 9;

  private SipCodec() {}

  /**
   * Parses one SIP message: a UDP datagram or one TCP frame. Never throws for any input, including
   * {@code Error}s from inside JAIN-SIP ({@code LinkageError}, {@code StackOverflowError}); only a
   * {@link VirtualMachineError} such as {@code OutOfMemoryError} propagates. Thread-safe.
   *
   * @param bytes the message; kept (not copied) by the resulting {@link SipMessage}, so the caller
   *     must not change it afterwards; {@code null} is treated as empty
   * @param limits the bounds to enforce; {@code null} means {@link SipLimits#DEFAULT}
   */
  public static ParseResult parse(byte[] bytes, SipLimits limits) {
    try {
      return parseChecked(
          bytes == null ? new byte[0] : bytes, limits == null ? SipLimits.DEFAULT : limits);
    } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
      // Bad input is data (RFC 3261 §7: a malformed message gets a 400), never a crash.
      return new Rejected(Defect.MALFORMED_MESSAGE, "parser failure: " + e);
    }
  }

  private static ParseResult parseChecked(byte[] bytes, SipLimits limits) {
    if (HeaderSection.isBlank(bytes)) {
      return new Rejected(Defect.EMPTY, bytes.length == 0 ? "no bytes" : "whitespace only");
    }
    if (bytes.length > limits.maxMessageBytes()) {
      return new Rejected(
          Defect.TOO_LARGE, bytes.length + " bytes, limit " + limits.maxMessageBytes());
    }
    HeaderSection section = HeaderSection.scan(bytes, limits.maxHeaders());
    if (section.problem() != HeaderSection.Problem.NONE) {
      return rejectScan(section);
    }
    if (section.isTerminated()) {
      return parseSection(bytes, section);
    }
    // No empty line ends the header section (RFC 4475 §3.1.2.15 ships one like that). Parse it as
    // if it had one to name a more specific defect, then reject it anyway.
    byte[] terminated = terminate(bytes);
    HeaderSection completed = HeaderSection.scan(terminated, limits.maxHeaders());
    if (completed.problem() != HeaderSection.Problem.NONE) {
      return rejectScan(completed);
    }
    ParseResult result = completed.isTerminated() ? parseSection(terminated, completed) : null;
    return result instanceof Rejected
        ? result
        : new Rejected(Defect.MISSING_EMPTY_LINE, "header section not ended by an empty line");
  }

  private static byte[] terminate(byte[] bytes) {
    boolean endsWithLineFeed = bytes[bytes.length - 1] == '\n';
    byte[] terminator =
        endsWithLineFeed ? new byte[] {'\r', '\n'} : "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] terminated = Arrays.copyOf(bytes, bytes.length + terminator.length);
    System.arraycopy(terminator, 0, terminated, bytes.length, terminator.length);
    return terminated;
  }

  private static Rejected rejectScan(HeaderSection section) {
    Defect defect =
        switch (section.problem()) {
          case TOO_MANY_HEADERS -> Defect.TOO_MANY_HEADERS;
          case MALFORMED_START_LINE -> Defect.MALFORMED_START_LINE;
          case MALFORMED_HEADER, NONE -> Defect.MALFORMED_HEADER;
        };
    return new Rejected(defect, section.problemDetail());
  }

  private static ParseResult parseSection(byte[] bytes, HeaderSection section) {
    SipMessage.Builder message = new SipMessage.Builder();
    message.headers = section;
    Rejected rejected = readStartLine(section.startLine(), message);
    if (rejected != null) {
      return rejected;
    }
    for (String name : SINGLE) {
      if (section.occurrences(name) > 1) {
        return new Rejected(Defect.DUPLICATE_HEADER, displayName(name));
      }
    }
    int length = messageLength(bytes, section);
    if (length < 0) {
      return new Rejected(Defect.BAD_CONTENT_LENGTH, contentLengthProblem(bytes, section));
    }
    message.bytes = length == bytes.length ? bytes : Arrays.copyOf(bytes, length);

    Listener listener = new Listener();
    SIPMessage parsed;
    try {
      // readBody=false: JAIN-SIP stops at the empty line; we framed the body ourselves.
      parsed = PARSER.get().parseSIPMessage(message.bytes, false, false, listener);
    } catch (ParseException e) {
      return listener.fatal != null
          ? listener.fatal
          : new Rejected(Defect.MALFORMED_MESSAGE, String.valueOf(e.getMessage()));
    }
    if (listener.fatal != null) {
      return listener.fatal;
    }
    if (parsed == null) {
      return new Rejected(Defect.MALFORMED_MESSAGE, "no message");
    }
    for (String name : MANDATORY) {
      if (section.indexOf(name) < 0) {
        return new Rejected(Defect.MISSING_HEADER, displayName(name));
      }
    }
    rejected = readMandatory(parsed, section, message);
    if (rejected == null) {
      rejected = readStatus(parsed, message);
    }
    if (rejected != null) {
      return rejected;
    }
    readIdentity(section, listener, message);
    return new Parsed(new SipMessage(message));
  }

  /**
   * Checks the start line ourselves for what JAIN-SIP is liberal about: the SIP version (RFC 3261
   * §7.1; RFC 4475 §3.1.2.16 expects 505), extra whitespace in a Request-Line (§3.1.2.8-10: the
   * proxy forwards the bytes it received, and a liberal element must not forward it) and headers in
   * a SIP Request-URI (§19.1.1; RFC 4475 §3.1.2.11). JAIN-SIP then parses the rest of it.
   */
  private static Rejected readStartLine(String line, SipMessage.Builder message) {
    if (line.startsWith("SIP/")) {
      int space = line.indexOf(' ');
      String version = space < 0 ? line : line.substring(0, space);
      if (!version.equals("SIP/2.0")) {
        return new Rejected(Defect.UNSUPPORTED_VERSION, version);
      }
      message.request = false;
      return null;
    }
    // Request-Line = Method SP Request-URI SP SIP-Version CRLF (RFC 3261 §7.1)
    if (line.charAt(line.length() - 1) <= ' ') {
      return new Rejected(Defect.MALFORMED_START_LINE, "whitespace at the end of the Request-Line");
    }
    int first = line.indexOf(' ');
    int last = line.lastIndexOf(' ');
    if (first <= 0 || last == first) {
      return new Rejected(Defect.MALFORMED_START_LINE, "not Method SP Request-URI SP SIP-Version");
    }
    String method = line.substring(0, first);
    for (int i = 0; i < method.length(); i++) {
      if (!HeaderSection.isTokenChar(method.charAt(i))) {
        return new Rejected(Defect.MALFORMED_START_LINE, "method is not a token");
      }
    }
    String version = line.substring(last + 1);
    if (!version.equalsIgnoreCase("SIP/2.0")) {
      return version.regionMatches(true, 0, "SIP/", 0, 4)
          ? new Rejected(Defect.UNSUPPORTED_VERSION, version)
          : new Rejected(Defect.MALFORMED_START_LINE, "no SIP-Version");
    }
    String uri = line.substring(first + 1, last);
    for (int i = 0; i < uri.length(); i++) {
      if (uri.charAt(i) <= ' ') {
        return new Rejected(Defect.MALFORMED_START_LINE, "whitespace in the Request-URI");
      }
    }
    if (uri.regionMatches(true, 0, "sip:", 0, 4) || uri.regionMatches(true, 0, "sips:", 0, 5)) {
      int at = uri.indexOf('@');
      if (uri.indexOf('?', Math.max(at, 0)) >= 0) {
        return new Rejected(Defect.MALFORMED_START_LINE, "Request-URI with headers");
      }
    }
    message.request = true;
    message.method = method;
    message.requestUri = uri;
    return null;
  }

  /**
   * The length of header section plus body (RFC 3261 §18.3): the bytes after a Content-Length body
   * are ignored (RFC 4475 §3.1.1.8); without Content-Length the body runs to the end of the
   * datagram. {@code -1} when Content-Length is unusable.
   */
  private static int messageLength(byte[] bytes, HeaderSection section) {
    int index = section.indexOf("content-length");
    if (index < 0) {
      return bytes.length;
    }
    if (section.occurrences("content-length") > 1) {
      return -1;
    }
    long contentLength = contentLength(section.value(index));
    int available = bytes.length - section.end();
    return contentLength < 0 || contentLength > available
        ? -1
        : section.end() + (int) contentLength;
  }

  /** The Content-Length value: 1*DIGIT (RFC 3261 §20.14); {@code -1} when it is not that. */
  private static long contentLength(String value) {
    if (value.isEmpty() || value.length() > MAX_CONTENT_LENGTH_DIGITS) {
      return -1;
    }
    long length = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      length = length * 10 + (c - '0');
    }
    return length;
  }

  private static String contentLengthProblem(byte[] bytes, HeaderSection section) {
    int occurrences = section.occurrences("content-length");
    if (occurrences > 1) {
      return occurrences + " Content-Length header fields";
    }
    String value = section.value(section.indexOf("content-length"));
    return contentLength(value) < 0
        ? "Content-Length is not a number: " + value
        : "Content-Length "
            + value
            + " larger than the body ("
            + (bytes.length - section.end())
            + " bytes)";
  }

  private static Rejected readMandatory(
      SIPMessage parsed, HeaderSection section, SipMessage.Builder message) {
    message.from = NameAddrParser.parseOne(section.value(section.indexOf("from")));
    if (message.from == null || parsed.getFrom() == null) {
      return new Rejected(Defect.MALFORMED_HEADER, "From");
    }
    message.to = NameAddrParser.parseOne(section.value(section.indexOf("to")));
    if (message.to == null || parsed.getTo() == null) {
      return new Rejected(Defect.MALFORMED_HEADER, "To");
    }
    message.callId = section.value(section.indexOf("call-id"));
    if (message.callId.isEmpty() || parsed.getCallId() == null) {
      return new Rejected(Defect.MALFORMED_HEADER, "Call-ID");
    }
    CSeq cseq = (CSeq) parsed.getCSeq();
    String cseqMethod = cseqMethod(section.value(section.indexOf("cseq")));
    if (cseq == null || cseqMethod.isEmpty()) {
      return new Rejected(Defect.MALFORMED_HEADER, "CSeq");
    }
    message.cseqNumber = cseq.getSeqNumber();
    message.cseqMethod = cseqMethod;
    ViaList vias = parsed.getViaHeaders();
    if (vias == null || vias.isEmpty()) {
      return new Rejected(Defect.MALFORMED_HEADER, "Via");
    }
    List<Via> converted = new ArrayList<>(vias.size());
    for (gov.nist.javax.sip.header.Via via : vias) {
      if (via.getPort() < -1 || via.getPort() > 65_535) {
        return new Rejected(Defect.MALFORMED_HEADER, "Via");
      }
      converted.add(toVia(via));
    }
    message.vias = converted;
    if (parsed.getMaxForwards() != null) {
      message.maxForwards = OptionalInt.of(parsed.getMaxForwards().getMaxForwards());
    } else if (section.indexOf("max-forwards") >= 0) {
      return new Rejected(Defect.MALFORMED_HEADER, "Max-Forwards");
    }
    return null;
  }

  /** The method of a CSeq value as received ({@code "1 INVITE"} → {@code INVITE}). */
  private static String cseqMethod(String value) {
    int i = 0;
    while (i < value.length() && value.charAt(i) >= '0' && value.charAt(i) <= '9') {
      i++;
    }
    return value.substring(i).trim();
  }

  private static Via toVia(gov.nist.javax.sip.header.Via via) {
    Map<String, String> parameters = new LinkedHashMap<>();
    for (Iterator<String> names = via.getParameterNames(); names.hasNext(); ) {
      String name = names.next();
      String value = via.getParameter(name);
      parameters.put(name.toLowerCase(Locale.ROOT), value == null ? "" : value);
    }
    return new Via(via.getTransport(), via.getHost(), via.getPort(), parameters);
  }

  private static Rejected readStatus(SIPMessage parsed, SipMessage.Builder message) {
    if (message.request) {
      // RFC 3261 §8.1.1.5; for ACK and CANCEL too, the CSeq method is the request's own.
      if (!message.cseqMethod.equals(message.method)) {
        return new Rejected(
            Defect.CSEQ_METHOD_MISMATCH,
            "request " + message.method + ", CSeq " + message.cseqMethod);
      }
      return null;
    }
    SIPResponse response = (SIPResponse) parsed;
    if (response.getStatusLine() == null
        || response.getStatusCode() < 100
        || response.getStatusCode() > 699) {
      return new Rejected(Defect.MALFORMED_START_LINE, "status code out of range");
    }
    message.statusCode = response.getStatusCode();
    String reason = response.getReasonPhrase();
    message.reasonPhrase = reason == null ? "" : reason;
    message.method = message.cseqMethod;
    return null;
  }

  private static void readIdentity(
      HeaderSection section, Listener listener, SipMessage.Builder message) {
    List<NameAddress> asserted = new ArrayList<>(2);
    List<NameAddress> preferred = new ArrayList<>(1);
    List<String> privacy = new ArrayList<>(2);
    List<String> identity = new ArrayList<>(1);
    List<String> defects = new ArrayList<>(0);
    String userAgent = null;
    for (int i = 0; i < section.count(); i++) {
      String name = section.name(i);
      switch (name) {
        case "p-asserted-identity" -> addIdentities(section, i, listener, asserted, defects);
        case "p-preferred-identity" -> addIdentities(section, i, listener, preferred, defects);
        case "privacy" -> {
          if (isValid(section, i, listener)) {
            addPrivacyValues(section.value(i), privacy);
          } else {
            defects.add(malformed(section, i));
          }
        }
        case "identity" -> identity.add(section.value(i));
        case "user-agent" -> {
          if (userAgent == null) {
            userAgent = section.value(i);
          }
        }
        default -> {
          // not needed by the detector; header(name) reads any header field on demand
        }
      }
    }
    message.pAssertedIdentities = asserted;
    message.pPreferredIdentities = preferred;
    message.privacy = privacy;
    message.identityHeaders = identity;
    message.userAgent = userAgent == null ? "" : userAgent;
    message.defects = defects;
  }

  private static void addIdentities(
      HeaderSection section,
      int index,
      Listener listener,
      List<NameAddress> addresses,
      List<String> defects) {
    List<NameAddress> entries =
        isValid(section, index, listener) ? NameAddrParser.parseList(section.value(index)) : null;
    if (entries == null) {
      defects.add(malformed(section, index));
    } else {
      addresses.addAll(entries);
    }
  }

  private static boolean isValid(HeaderSection section, int index, Listener listener) {
    return !listener.dropped(section.name(index)) || parsesAlone(section.line(index));
  }

  private static String malformed(HeaderSection section, int index) {
    return "malformed " + displayName(section.name(index)) + ": " + section.value(index);
  }

  /**
   * When JAIN-SIP dropped some header field of a name (it only tells us the text), re-parse each
   * one of that name alone to learn which: rare, so the second parse costs nothing in practice.
   */
  private static boolean parsesAlone(String line) {
    try {
      StringMsgParser.parseSIPHeader(line);
      return true;
    } catch (ParseException e) {
      return false;
    }
  }

  /** Privacy: priv-value *(";" priv-value) (RFC 3323 §4.2), compared case-insensitively. */
  private static void addPrivacyValues(String value, List<String> privacy) {
    for (String token : value.split(";")) {
      String trimmed = token.trim().toLowerCase(Locale.ROOT);
      if (!trimmed.isEmpty()) {
        privacy.add(trimmed);
      }
    }
  }

  /** The name as spelled in its RFC, for details and reason phrases. */
  private static String displayName(String canonical) {
    return switch (canonical) {
      case "via" -> "Via";
      case "from" -> "From";
      case "to" -> "To";
      case "call-id" -> "Call-ID";
      case "cseq" -> "CSeq";
      case "max-forwards" -> "Max-Forwards";
      case "content-length" -> "Content-Length";
      case "route" -> "Route";
      case "record-route" -> "Record-Route";
      case "p-asserted-identity" -> "P-Asserted-Identity";
      case "p-preferred-identity" -> "P-Preferred-Identity";
      case "privacy" -> "Privacy";
      default -> canonical;
    };
  }

  /**
   * Receives JAIN-SIP's reports of what it could not parse. Throwing aborts the parse, which we do
   * as soon as a fatal header field fails.
   */
  private static final class Listener implements ParseExceptionListener {
    Rejected fatal;
    private Set<String> dropped = Set.of();

    @Override
    public void handleException(
        ParseException ex,
        SIPMessage message,
        @SuppressWarnings("rawtypes") Class headerClass,
        String header,
        String rawMessage)
        throws ParseException {
      if (headerClass == RequestLine.class) {
        fatal = new Rejected(Defect.MALFORMED_START_LINE, "unparsable Request-Line: " + header);
        throw ex;
      }
      if (headerClass == StatusLine.class) {
        fatal = new Rejected(Defect.MALFORMED_START_LINE, "unparsable Status-Line: " + header);
        throw ex;
      }
      String name = nameOf(header);
      if (FATAL.contains(name)) {
        fatal = new Rejected(Defect.MALFORMED_HEADER, displayName(name));
        throw ex;
      }
      if (IDENTITY.contains(name)) {
        if (dropped.isEmpty()) {
          dropped = new HashSet<>(2);
        }
        dropped.add(name);
      }
      // Anything else (Date, Expires, ...) JAIN-SIP leaves out of its objects; the proxy forwards
      // it as received and nothing here reads it.
    }

    boolean dropped(String name) {
      return dropped.contains(name);
    }

    private static String nameOf(String header) {
      int colon = header == null ? -1 : header.indexOf(':');
      return colon < 0 ? "" : HeaderSection.canonicalName(header.substring(0, colon).trim());
    }
  }
}

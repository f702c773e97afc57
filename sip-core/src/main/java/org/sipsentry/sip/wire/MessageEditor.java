package org.sipsentry.sip.wire;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Builds an edited copy of a message, the way Kamailio applies its "lumps": edits are recorded
 * against offsets of the ORIGINAL bytes and applied in one pass by {@link #toBytes()}, with one
 * allocation of the final size and {@code System.arraycopy} of the untouched runs. The start line,
 * the body and every header line no edit touches are copied byte for byte (order, case, spacing,
 * folding and compact forms preserved); Content-Length is never changed, as only headers are.
 *
 * <p>Lines we insert end like the message's start line (CRLF, or bare LF for a message that uses
 * bare LF) and are written {@code Name: value}.
 *
 * <p>When edits overlap, the one that starts first wins and an edit starting inside a range already
 * removed or replaced is dropped; at the same offset, insertions come before a removal or
 * replacement. So {@code removeHeaders("Via")} together with {@link #addTopViaParameters} drops the
 * parameters, and {@link #addViaOnTop} still inserts before the removed lines. {@link
 * #setMaxForwards} inserts a new line when every Max-Forwards line is removed. A {@link
 * #setUriParameter} wins over a {@link #removeUriParameter} of the same parameter on the same URI,
 * whatever the call order.
 *
 * <p>An editor is a short-lived, single-thread builder; {@link #toBytes()} may be called again.
 */
public final class MessageEditor {

  /** Ordering of edits at one offset: our Vias, then Max-Forwards, then others, then ranges. */
  private static final int RANK_LINE_END = 0;

  private static final int RANK_TOP_VIA = 1;
  private static final int RANK_MAX_FORWARDS = 2;
  private static final int RANK_INSERT = 3;
  private static final int RANK_RANGE = 4;

  private static final Comparator<Edit> ORDER =
      Comparator.comparingInt(Edit::start).thenComparingInt(Edit::rank).thenComparingInt(Edit::seq);

  private static final byte[] NOTHING = {};

  private static final byte[] CLOSE_ANGLE = {'>'};

  private final HeaderIndex index;
  private final byte[] bytes;
  private final byte[] eol;
  private final List<Edit> edits = new ArrayList<>(8);
  private final List<String> topVias = new ArrayList<>(1);
  private final List<String> removedNames = new ArrayList<>(2);
  private final List<UriParameterRemoval> uriRemovals = new ArrayList<>(1);
  private final List<UriParameterSetting> uriSettings = new ArrayList<>(1);
  private final List<DisplayNamePrefix> displayPrefixes = new ArrayList<>(1);
  private int maxForwards = -1;
  private int seq;

  /** One recorded edit: replace {@code [start, end)} with {@code data}; an insertion when equal. */
  private record Edit(int start, int end, int rank, int seq, byte[] data) {}

  /** {@link #removeUriParameter}: applied in {@link #toBytes()}, after the settings are known. */
  private record UriParameterRemoval(String header, String name) {}

  /** {@link #setUriParameter}, applied in {@link #toBytes()}. */
  private record UriParameterSetting(HeaderLine line, int entry, String name, String value) {
    boolean targets(HeaderLine other, int otherEntry, String parameter) {
      return line.lineStart() == other.lineStart()
          && entry == otherEntry
          && name.equalsIgnoreCase(parameter);
    }
  }

  public MessageEditor(HeaderIndex index) {
    this.index = Objects.requireNonNull(index, "index");
    this.bytes = index.bytes();
    this.eol = index.lineTerminator();
  }

  /**
   * Inserts {@code Via: <viaValue>} immediately before the first Via line, or right after the start
   * line when there is none. A later call inserts above an earlier one, as a Via stack grows.
   */
  public MessageEditor addViaOnTop(String viaValue) {
    topVias.add(value(viaValue, "Via value"));
    return this;
  }

  /**
   * Removes the first Via value: its whole line when the line carries one value, else only that
   * value, its comma and the white space (or fold) after the comma. Commas inside quoted strings do
   * not separate values. Does nothing when the message has no Via.
   */
  public MessageEditor removeTopVia() {
    HeaderLine via = index.firstOrNull(HeaderNames.VIA);
    if (via == null) {
      return this;
    }
    int comma = SipSyntax.indexOfUnquoted(bytes, (byte) ',', via.valueStart(), via.valueEnd());
    int next = comma < 0 ? via.valueEnd() : comma;
    while (next < via.valueEnd() && (bytes[next] == ',' || SipSyntax.isLws(bytes[next]))) {
      next++;
    }
    if (next == via.valueEnd()) {
      record(via.lineStart(), via.lineEnd(), RANK_RANGE, NOTHING);
    } else {
      record(via.valueStart(), next, RANK_RANGE, NOTHING);
    }
    return this;
  }

  /**
   * Appends {@code params} (e.g. {@code ";received=192.0.2.1;rport=5060"}) to the first value of
   * the original top Via, before the comma when its line carries several values. A parameter the
   * value already has is replaced in place rather than duplicated (RFC 3261 §7.3.1 forbids
   * repeating a parameter name): in particular a bare {@code ;rport} becomes {@code ;rport=5060}
   * (RFC 3581 §4). Does nothing when the message has no Via.
   *
   * @throws IllegalArgumentException when {@code params} does not start with {@code ;} or spans
   *     lines
   */
  public MessageEditor addTopViaParameters(String params) {
    String p = value(params, "Via parameters");
    if (!p.startsWith(";")) {
      throw new IllegalArgumentException("Via parameters must start with ';': \"" + p + "\"");
    }
    HeaderLine via = index.firstOrNull(HeaderNames.VIA);
    if (via == null) {
      return this;
    }
    int comma = SipSyntax.indexOfUnquoted(bytes, (byte) ',', via.valueStart(), via.valueEnd());
    int valueEnd =
        SipSyntax.trimLwsEnd(bytes, via.valueStart(), comma < 0 ? via.valueEnd() : comma);

    StringBuilder appended = new StringBuilder(p.length());
    for (String param : splitParameters(p)) {
      int eq = param.indexOf('=');
      String name = (eq < 0 ? param : param.substring(0, eq)).strip();
      int[] existing = SipSyntax.findParameter(bytes, via.valueStart(), valueEnd, name);
      if (existing == null || name.isEmpty()) {
        appended.append(';').append(param);
      } else {
        record(existing[0], existing[1], RANK_RANGE, utf8(param.strip()));
      }
    }
    if (appended.length() > 0) {
      record(valueEnd, valueEnd, RANK_INSERT, utf8(appended.toString()));
    }
    return this;
  }

  /**
   * Sets the first Max-Forwards value, or inserts {@code Max-Forwards: N} right after the top Via
   * (ours when {@link #addViaOnTop} was called, whatever the call order) when there is none.
   */
  public MessageEditor setMaxForwards(int value) {
    if (value < 0) {
      throw new IllegalArgumentException("Max-Forwards must not be negative: " + value);
    }
    maxForwards = value;
    return this;
  }

  /** Removes every line of the header {@code name} (case-insensitive; compact forms included). */
  public MessageEditor removeHeaders(String name) {
    String canonical = HeaderNames.canonical(SipSyntax.requireToken(name.strip(), "header name"));
    removedNames.add(canonical);
    for (HeaderLine line : index.headers()) {
      if (line.is(canonical)) {
        record(line.lineStart(), line.lineEnd(), RANK_RANGE, NOTHING);
      }
    }
    return this;
  }

  /** Removes one header line, which must come from this editor's index. */
  public MessageEditor removeLine(HeaderLine line) {
    Objects.requireNonNull(line, "line");
    if (!index.contains(line)) {
      throw new IllegalArgumentException("line is not from this message: " + line);
    }
    record(line.lineStart(), line.lineEnd(), RANK_RANGE, NOTHING);
    return this;
  }

  /**
   * Adds {@code name: value} as the last header line, before the empty line (at the end of a
   * message that has none; no empty line is added).
   */
  public MessageEditor addHeader(String name, String value) {
    SipSyntax.requireToken(name, "header name");
    String v = value(value, "value of " + name);
    int at = index.headerEnd();
    record(at, at, RANK_INSERT, line(name, v));
    return this;
  }

  /** Replaces the whole value of {@code line}, which must come from this editor's index. */
  public MessageEditor replaceHeaderValue(HeaderLine line, String newValue) {
    Objects.requireNonNull(line, "line");
    String v = value(newValue, "value of " + line.name());
    if (!index.contains(line)) {
      throw new IllegalArgumentException("line is not from this message: " + line);
    }
    boolean glued = line.valueStart() > 0 && bytes[line.valueStart() - 1] == ':';
    record(line.valueStart(), line.valueEnd(), RANK_RANGE, utf8(glued ? " " + v : v));
    return this;
  }

  /**
   * Removes the URI parameter {@code name} (case-insensitive; e.g. {@code verstat}) from every URI
   * of every line of the header {@code headerName} (From, To, P-Asserted-Identity, ...; each
   * comma-separated entry of a line). In a bare addr-spec entry, whose parameters RFC 3261 §20
   * reads as header parameters, a parameter of that name after the URI is removed too. Parameters
   * after the {@code >} of a name-addr ({@code ;tag}) are never touched.
   */
  public MessageEditor removeUriParameter(String headerName, String name) {
    String canonical =
        HeaderNames.canonical(SipSyntax.requireToken(headerName.strip(), "header name"));
    uriRemovals.add(
        new UriParameterRemoval(canonical, SipSyntax.requireToken(name, "parameter name")));
    return this;
  }

  /**
   * Sets the URI parameter {@code name=value} on the URI {@code uri} found by {@link
   * HeaderIndex#uris} on this editor's index. An existing parameter of that name is replaced in
   * place; otherwise {@code ;name=value} is appended to the URI's parameters (before any {@code
   * ?headers} and the {@code >}). A bare addr-spec is enclosed in {@code <>} first, so that the
   * parameter belongs to the URI rather than to the header (RFC 3261 §20): {@code From:
   * sip:+1@h;tag=1} becomes {@code From: <sip:+1@h;name=value>;tag=1}, and a header parameter of
   * the same name is removed. A later call for the same URI and name replaces an earlier one.
   *
   * @throws IllegalArgumentException when the name or the value is not a SIP token, or {@code uri}
   *     is not from this editor's index
   */
  public MessageEditor setUriParameter(HeaderUri uri, String name, String value) {
    Objects.requireNonNull(uri, "uri");
    SipSyntax.requireToken(name, "parameter name");
    SipSyntax.requireToken(value, "value of " + name);
    if (!index.contains(uri.line())) {
      throw new IllegalArgumentException("uri is not from this message: " + uri);
    }
    uriSettings.removeIf(s -> s.targets(uri.line(), uri.entry(), name));
    uriSettings.add(new UriParameterSetting(uri.line(), uri.entry(), name, value));
    return this;
  }

  /** {@link #prefixDisplayName} and {@link #prefixDisplayNames}, applied in {@link #toBytes()}. */
  private record DisplayNamePrefix(HeaderLine line, int entry, String prefix, byte[] escaped) {
    /** {@code entry} of every entry of the line. */
    static final int ALL_ENTRIES = -1;

    boolean targets(HeaderLine other, int otherEntry) {
      return line.lineStart() == other.lineStart()
          && (entry == otherEntry || entry == ALL_ENTRIES || otherEntry == ALL_ENTRIES);
    }
  }

  /**
   * Puts {@code prefix} in front of the display name of the entry {@code uri} (found by {@link
   * HeaderIndex#uris} on this editor's index), e.g. {@code "[SPOOF?] "}: {@code "Bank"
   * <sip:+41446681800@h>;tag=1} becomes {@code "[SPOOF?] Bank" <sip:+41446681800@h>;tag=1}.
   *
   * <p>The new display name is always a quoted-string (RFC 3261 §25.1): the prefix's {@code "} and
   * {@code \} are escaped as quoted-pairs; a quoted display name keeps its content byte for byte
   * (its escapes included); a display name of tokens keeps its tokens, each run of white space
   * between them written as one space. An entry without a display name (or with {@code ""}) gets
   * the prefix followed by the user part of its URI ({@code "[SPOOF?] +41446681800"}), cut at a
   * {@code ;} or {@code :} in it; a URI without a user part gets the prefix alone, trailing white
   * space removed. A bare addr-spec is enclosed in {@code <>}, its header parameters ({@code ;tag})
   * staying after the {@code >} (RFC 3261 §20). Only the display name and, for a bare addr-spec,
   * the brackets are written: the URI and the parameters stay as received. A later call for the
   * same entry replaces an earlier one. Not to be combined with {@link #replaceHeaderValue} of the
   * same line.
   *
   * @throws IllegalArgumentException when {@code prefix} is empty or holds a control character (CR,
   *     LF and tab included), or {@code uri} is not from this editor's index
   */
  public MessageEditor prefixDisplayName(HeaderUri uri, String prefix) {
    Objects.requireNonNull(uri, "uri");
    byte[] escaped = escape(utf8(requireDisplayNamePrefix(prefix)));
    if (!index.contains(uri.line())) {
      throw new IllegalArgumentException("uri is not from this message: " + uri);
    }
    displayPrefixes.removeIf(p -> p.targets(uri.line(), uri.entry()));
    displayPrefixes.add(new DisplayNamePrefix(uri.line(), uri.entry(), prefix, escaped));
    return this;
  }

  /**
   * As {@link #prefixDisplayName} for every entry of every line of the header {@code headerName}
   * (case-insensitive; compact forms included), without building a {@link HeaderUri} for each.
   */
  public MessageEditor prefixDisplayNames(String headerName, String prefix) {
    String canonical =
        HeaderNames.canonical(SipSyntax.requireToken(headerName.strip(), "header name"));
    byte[] escaped = escape(utf8(requireDisplayNamePrefix(prefix)));
    for (HeaderLine line : index.headers()) {
      if (line.is(canonical)) {
        displayPrefixes.removeIf(p -> p.targets(line, DisplayNamePrefix.ALL_ENTRIES));
        displayPrefixes.add(
            new DisplayNamePrefix(line, DisplayNamePrefix.ALL_ENTRIES, prefix, escaped));
      }
    }
    return this;
  }

  private static String requireDisplayNamePrefix(String prefix) {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isEmpty()) {
      throw new IllegalArgumentException("display-name prefix is empty");
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            "display-name prefix holds control character U+"
                + String.format("%04X", (int) c)
                + " at index "
                + i);
      }
    }
    return prefix;
  }

  /** The edited message, in a new array. */
  public byte[] toBytes() {
    List<Edit> all = new ArrayList<>(edits.size() + topVias.size() + 2);
    all.addAll(edits);
    HeaderLine firstVia = index.firstOrNull(HeaderNames.VIA);
    int viaAt = firstVia != null ? firstVia.lineStart() : index.headersStart();
    // The last one added goes on top.
    for (int i = 0; i < topVias.size(); i++) {
      all.add(new Edit(viaAt, viaAt, RANK_TOP_VIA, -i, line(HeaderNames.VIA, topVias.get(i))));
    }
    if (maxForwards >= 0) {
      addMaxForwards(all, firstVia, viaAt);
    }
    if (!uriSettings.isEmpty() || !uriRemovals.isEmpty()) {
      addUriParameterEdits(all);
    }
    if (!displayPrefixes.isEmpty()) {
      addDisplayNameEdits(all);
    }
    if (all.isEmpty()) {
      return bytes.clone();
    }
    int n = bytes.length;
    if (n > 0 && bytes[n - 1] != '\n' && !index.hasHeaderEnd()) {
      // The header section runs to the end without a line end: end that line before inserting.
      for (Edit e : all) {
        if (e.start() == n) {
          all.add(new Edit(n, n, RANK_LINE_END, 0, eol));
          break;
        }
      }
    }
    all.sort(ORDER);

    int size = 0;
    int cursor = 0;
    for (int i = 0; i < all.size(); i++) {
      Edit e = all.get(i);
      if (e.start() < cursor) {
        all.set(i, null);
        continue;
      }
      size += e.start() - cursor + e.data().length;
      cursor = e.end();
    }
    size += n - cursor;

    byte[] out = new byte[size];
    int o = 0;
    cursor = 0;
    for (Edit e : all) {
      if (e == null) {
        continue;
      }
      int run = e.start() - cursor;
      System.arraycopy(bytes, cursor, out, o, run);
      o += run;
      System.arraycopy(e.data(), 0, out, o, e.data().length);
      o += e.data().length;
      cursor = e.end();
    }
    System.arraycopy(bytes, cursor, out, o, n - cursor);
    return out;
  }

  private void addMaxForwards(List<Edit> all, HeaderLine firstVia, int viaAt) {
    HeaderLine existing =
        removedNames.contains(HeaderNames.MAX_FORWARDS)
            ? null
            : index.firstOrNull(HeaderNames.MAX_FORWARDS);
    byte[] digits = Integer.toString(maxForwards).getBytes(StandardCharsets.US_ASCII);
    if (existing != null) {
      int at = existing.valueStart();
      byte[] data = at > 0 && bytes[at - 1] == ':' ? utf8(" " + maxForwards) : digits;
      all.add(new Edit(at, existing.valueEnd(), RANK_RANGE, seq++, data));
    } else if (!topVias.isEmpty() || firstVia == null) {
      all.add(
          new Edit(
              viaAt, viaAt, RANK_MAX_FORWARDS, 0, line(HeaderNames.MAX_FORWARDS, maxForwards)));
    } else {
      int at = firstVia.lineEnd();
      all.add(new Edit(at, at, RANK_MAX_FORWARDS, 0, line(HeaderNames.MAX_FORWARDS, maxForwards)));
    }
  }

  private void addUriParameterEdits(List<Edit> all) {
    for (UriParameterSetting setting : uriSettings) {
      HeaderLine line = setting.line();
      List<UriSpan> spans = UriSpan.scan(bytes, line.valueStart(), line.valueEnd());
      if (setting.entry() >= spans.size()) {
        continue;
      }
      UriSpan span = spans.get(setting.entry());
      String parameter = setting.name() + "=" + setting.value();
      int[] existing =
          SipSyntax.findParameter(bytes, span.paramsStart(), span.paramsEnd(), setting.name());
      if (span.bracketed()) {
        if (existing != null) {
          all.add(new Edit(existing[0], existing[1], RANK_RANGE, seq++, utf8(parameter)));
        } else {
          int at = span.paramsEnd();
          all.add(new Edit(at, at, RANK_INSERT, seq++, utf8(";" + parameter)));
        }
      } else {
        int start = span.uriStart();
        if (!hasDisplayPrefix(line, setting.entry())) {
          // Else the display name's edit opens the bracket.
          all.add(new Edit(start, start, RANK_INSERT, seq++, utf8("<")));
        }
        int end = span.uriEnd();
        all.add(new Edit(end, end, RANK_INSERT, seq++, utf8(";" + parameter + ">")));
        if (existing != null) {
          addParameterRemoval(all, span, existing);
        }
      }
    }
    for (UriParameterRemoval removal : uriRemovals) {
      for (HeaderLine line : index.headers()) {
        if (!line.is(removal.header())) {
          continue;
        }
        List<UriSpan> spans = UriSpan.scan(bytes, line.valueStart(), line.valueEnd());
        for (int entry = 0; entry < spans.size(); entry++) {
          if (isSet(line, entry, removal.name())) {
            continue;
          }
          UriSpan span = spans.get(entry);
          int[] existing =
              SipSyntax.findParameter(bytes, span.paramsStart(), span.paramsEnd(), removal.name());
          if (existing != null) {
            addParameterRemoval(all, span, existing);
          }
        }
      }
    }
  }

  private void addDisplayNameEdits(List<Edit> all) {
    for (DisplayNamePrefix prefix : displayPrefixes) {
      HeaderLine line = prefix.line();
      List<UriSpan> spans = UriSpan.scan(bytes, line.valueStart(), line.valueEnd());
      if (prefix.entry() == DisplayNamePrefix.ALL_ENTRIES) {
        for (int entry = 0; entry < spans.size(); entry++) {
          addDisplayNameEdit(all, prefix, line, entry, spans.get(entry));
        }
      } else if (prefix.entry() < spans.size()) {
        addDisplayNameEdit(all, prefix, line, prefix.entry(), spans.get(prefix.entry()));
      }
    }
  }

  private void addDisplayNameEdit(
      List<Edit> all, DisplayNamePrefix prefix, HeaderLine line, int entry, UriSpan span) {
    byte[] name = displayName(span, prefix);
    if (span.bracketed()) {
      int start = span.displayStart();
      int end = span.displayEnd();
      if (start == end) {
        byte[] spaced = Arrays.copyOf(name, name.length + 1);
        spaced[name.length] = ' ';
        all.add(new Edit(start, start, RANK_INSERT, seq++, spaced));
      } else {
        all.add(new Edit(start, end, RANK_RANGE, seq++, name));
      }
    } else {
      byte[] opened = Arrays.copyOf(name, name.length + 2);
      opened[name.length] = ' ';
      opened[name.length + 1] = '<';
      all.add(new Edit(span.uriStart(), span.uriStart(), RANK_INSERT, seq++, opened));
      if (!hasUriSetting(line, entry)) {
        // Else the parameter's edit closes the bracket.
        all.add(new Edit(span.uriEnd(), span.uriEnd(), RANK_INSERT, seq++, CLOSE_ANGLE));
      }
    }
  }

  /**
   * The quoted display name for {@code span}: the prefix, then the received display name or, when
   * there is none, the URI's user part.
   */
  private byte[] displayName(UriSpan span, DisplayNamePrefix prefix) {
    int from = span.displayStart();
    int to = span.displayEnd();
    boolean quoted = from < to && bytes[from] == '"';
    byte[] tail;
    if (quoted) {
      int close = SipSyntax.skipQuoted(bytes, from, to);
      int innerEnd = close - 1 > from && bytes[close - 1] == '"' ? close - 1 : close;
      tail = Arrays.copyOfRange(bytes, from + 1, innerEnd);
    } else {
      tail = collapseLws(from, to);
    }
    byte[] head = prefix.escaped();
    if (tail.length == 0) {
      tail = userPart(span);
      if (tail.length == 0) {
        head = escape(utf8(prefix.prefix().strip()));
      }
    }
    byte[] out = new byte[head.length + tail.length + 2];
    out[0] = '"';
    System.arraycopy(head, 0, out, 1, head.length);
    System.arraycopy(tail, 0, out, 1 + head.length, tail.length);
    out[out.length - 1] = '"';
    return out;
  }

  /** {@code bytes[from, to)} with each run of linear white space written as one space. */
  private byte[] collapseLws(int from, int to) {
    byte[] out = new byte[to - from];
    int n = 0;
    boolean space = false;
    for (int i = from; i < to; i++) {
      if (SipSyntax.isLws(bytes[i])) {
        space = true;
      } else {
        if (space && n > 0) {
          out[n++] = ' ';
        }
        space = false;
        out[n++] = bytes[i];
      }
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * The user part of the URI of {@code span}, escaped for a quoted-string: the number of a {@code
   * tel} URI, else what comes before the {@code @}, cut at a {@code ;} (user parameters such as
   * {@code ;npdi}) or {@code :} (a password); empty when there is none.
   */
  private byte[] userPart(UriSpan span) {
    int end = Math.min(span.uriEnd(), span.paramsStart());
    int colon = SipSyntax.indexOf(bytes, (byte) ':', span.uriStart(), end);
    if (colon < 0) {
      return NOTHING;
    }
    int userStart = colon + 1;
    int userEnd;
    if ("tel".equals(span.scheme())) {
      userEnd = end;
    } else {
      int at = SipSyntax.indexOf(bytes, (byte) '@', userStart, span.uriEnd());
      if (at < 0) {
        return NOTHING;
      }
      userEnd = at;
    }
    for (int i = userStart; i < userEnd; i++) {
      if (bytes[i] == ';' || bytes[i] == ':') {
        userEnd = i;
        break;
      }
    }
    return escape(Arrays.copyOfRange(bytes, userStart, userEnd));
  }

  private boolean hasDisplayPrefix(HeaderLine line, int entry) {
    for (DisplayNamePrefix prefix : displayPrefixes) {
      if (prefix.targets(line, entry)) {
        return true;
      }
    }
    return false;
  }

  private boolean hasUriSetting(HeaderLine line, int entry) {
    for (UriParameterSetting setting : uriSettings) {
      if (setting.line().lineStart() == line.lineStart() && setting.entry() == entry) {
        return true;
      }
    }
    return false;
  }

  /** {@code "} and {@code \} as quoted-pairs (RFC 3261 §25.1), for inside a quoted-string. */
  private static byte[] escape(byte[] raw) {
    int specials = 0;
    for (byte b : raw) {
      if (b == '"' || b == '\\') {
        specials++;
      }
    }
    if (specials == 0) {
      return raw;
    }
    byte[] out = new byte[raw.length + specials];
    int n = 0;
    for (byte b : raw) {
      if (b == '"' || b == '\\') {
        out[n++] = '\\';
      }
      out[n++] = b;
    }
    return out;
  }

  /**
   * Removes {@code ;name[=value]} whose name-to-value range is {@code found}, with its {@code ;}.
   */
  private void addParameterRemoval(List<Edit> all, UriSpan span, int[] found) {
    int semi = found[0] - 1;
    while (semi > span.paramsStart() && bytes[semi] != ';') {
      semi--;
    }
    all.add(new Edit(semi, found[1], RANK_RANGE, seq++, NOTHING));
  }

  private boolean isSet(HeaderLine line, int entry, String name) {
    for (UriParameterSetting setting : uriSettings) {
      if (setting.targets(line, entry, name)) {
        return true;
      }
    }
    return false;
  }

  private void record(int start, int end, int rank, byte[] data) {
    edits.add(new Edit(start, end, rank, seq++, data));
  }

  private byte[] line(String name, Object value) {
    return utf8(name + ": " + value + (eol.length == 1 ? "\n" : "\r\n"));
  }

  private static String value(String value, String what) {
    Objects.requireNonNull(value, what);
    return SipSyntax.requireSingleLine(value.strip(), what);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** {@code ";a=1;b=\"x;y\""} → {@code [a=1, b="x;y"]}; empty segments dropped. */
  private static List<String> splitParameters(String params) {
    List<String> out = new ArrayList<>(2);
    byte[] b = utf8(params);
    int from = 0;
    while (from < b.length) {
      int semi = SipSyntax.indexOfUnquoted(b, (byte) ';', from, b.length);
      int end = semi < 0 ? b.length : semi;
      String segment = new String(b, from, end - from, StandardCharsets.UTF_8).strip();
      if (!segment.isEmpty()) {
        out.add(segment);
      }
      from = end + 1;
    }
    return out;
  }
}

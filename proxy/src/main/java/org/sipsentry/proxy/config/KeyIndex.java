package org.sipsentry.proxy.config;

import com.fasterxml.jackson.core.JsonStreamContext;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Where each key of a YAML file is, and what it holds, by key path ({@code trunks[1].sources[0]}).
 * Jackson's tree nodes carry no location, and errors found after binding (a bad CIDR, label above
 * block) must still name the line; so the loader reads the tokens once into this index.
 */
final class KeyIndex {

  /** The line of the key, or of the list item, at each path. */
  private final Map<String, Integer> lines = new HashMap<>();

  /** How each value reads in a message: {@code "abc"}, {@code a mapping}, {@code no value}. */
  private final Map<String, String> values = new HashMap<>();

  void key(String path, int line) {
    lines.putIfAbsent(path, line);
  }

  void value(String path, int line, String shown) {
    lines.putIfAbsent(path, line);
    values.putIfAbsent(path, shown);
  }

  /** The line of {@code path}, else of its nearest enclosing key, else empty (the file). */
  OptionalInt line(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      Integer line = lines.get(p);
      if (line != null) {
        return OptionalInt.of(line);
      }
    }
    return OptionalInt.empty();
  }

  /** True when the file has {@code path}, even with no value. */
  boolean has(String path) {
    return values.containsKey(path);
  }

  /** The value at {@code path} as a message shows it; only for paths the file {@link #has}. */
  String shown(String path) {
    return values.get(path);
  }

  static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut < 0 ? "" : path.substring(0, cut);
  }

  /**
   * The path of the entry a parser context is at: the current key in a mapping, the current item in
   * a list. A context just opened (no key or item yet) adds nothing, so at a {@code START_OBJECT}
   * this is the path of the mapping itself.
   */
  static String path(JsonStreamContext context) {
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inObject() && c.getCurrentName() != null) {
        path.insert(0, c.getCurrentName());
        if (!c.getParent().inRoot()) {
          path.insert(0, '.');
        }
      } else if (c.inArray() && c.hasCurrentIndex()) {
        path.insert(0, "[" + c.getCurrentIndex() + "]");
      }
    }
    return path.toString();
  }
}

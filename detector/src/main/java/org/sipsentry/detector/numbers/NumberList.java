package org.sipsentry.detector.numbers;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable set of E.164 numbers and number prefixes, each with a {@link NumberRule}: a bank's
 * Do-Not-Originate list, a deny list, an allow list. Built to hold ten million entries in well
 * under 256 MB and to answer a lookup in a few hundred nanoseconds without allocating on a miss.
 *
 * <p>Layout: {@value #PAGES} open-addressing hash tables ("pages") of {@code long}s with linear
 * probing; an entry's page is chosen by the high bits of its hash, its slot by the low bits. Each
 * slot packs an entry's key (its digit count and value) and the index of its rule among the
 * distinct rules of the list:
 *
 * <pre>
 *   bit 63         62..59    58..9                  8..0
 *   prefix flag    length    digits as a number     rule index (0..511)
 * </pre>
 *
 * A number of up to 15 digits (ITU-T E.164 §6.1) is below 10^15 < 2^50, so the digits need 50 bits;
 * the length keeps {@code 044} and {@code 44} apart; the flag keeps the number {@code 4144} and the
 * prefix {@code 4144*} apart. An empty slot is 0, which no entry can be (its length is at least 1).
 * Each page is at most 3/4 full, so a probe sequence is short and mostly within one or two cache
 * lines. Ten million entries fill pages of 2^14 slots, 128 MiB in all; pages keep every array small
 * (128 KiB), so building never needs one huge contiguous block, and growing doubles one page at a
 * time instead of the whole table. A page is allocated at its first entry: a short list takes a few
 * pages of {@value #FIRST_PAGE_SLOTS} slots.
 *
 * <p>Lookup tries the exact number first, then each prefix length present in the list, longest
 * first. Thread-safe (immutable after {@link Builder#build()}).
 */
public final class NumberList {

  /** ITU-T E.164 §6.1: at most 15 digits. */
  public static final int MAX_DIGITS = 15;

  /** Distinct rules a list can hold: the 9 low bits of a slot. */
  public static final int MAX_RULES = 1 << 9;

  private static final int RULE_BITS = 9;
  private static final long RULE_MASK = MAX_RULES - 1;
  private static final int VALUE_BITS = 50;
  private static final long PREFIX_FLAG = 0x10;

  /** Pages of the table: enough that a page of ten million entries is 128 KiB. */
  static final int PAGES = 1 << 10;

  private static final int PAGE_BITS = 10;

  /** Slots of a page when its first entry arrives. */
  static final int FIRST_PAGE_SLOTS = 8;

  /** Grow a page when more than 3/4 full. */
  private static final int LOAD_NUMERATOR = 3;

  private static final int LOAD_DENOMINATOR = 4;

  private static final NumberList EMPTY = new Builder().build();

  /** The pages by the high bits of the hash; null for a page without entries. */
  private final long[][] pages;

  private final int size;
  private final List<NumberRule> rules;

  /** Bit {@code n} set when the list holds a prefix of {@code n} digits. */
  private final int prefixLengths;

  private NumberList(long[][] pages, int size, List<NumberRule> rules, int prefixLengths) {
    this.pages = pages;
    this.size = size;
    this.rules = List.copyOf(rules);
    this.prefixLengths = prefixLengths;
  }

  /** A list with no entries. */
  public static NumberList empty() {
    return EMPTY;
  }

  /** A builder for a new list. */
  public static Builder builder() {
    return new Builder();
  }

  /** The number of entries (numbers and prefixes). */
  public int size() {
    return size;
  }

  /** The distinct rules of the entries. */
  public List<NumberRule> rules() {
    return rules;
  }

  /**
   * The entry that covers {@code digits}: the number itself, else its longest listed prefix.
   *
   * @param digits an E.164 number without {@code +}: 1 to 15 ASCII digits; anything else matches
   *     nothing
   */
  public Optional<Match> lookup(String digits) {
    int length = digits.length();
    if (length == 0 || length > MAX_DIGITS) {
      return Optional.empty();
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      char c = digits.charAt(i);
      if (c < '0' || c > '9') {
        return Optional.empty();
      }
      value = value * 10 + (c - '0');
    }
    int rule = find(key(length, false, value));
    if (rule >= 0) {
      return Optional.of(new Match(digits, false, rules.get(rule)));
    }
    if (prefixLengths == 0) {
      return Optional.empty();
    }
    long prefix = value;
    for (int n = length; n >= 1; n--) {
      if ((prefixLengths & (1 << n)) != 0) {
        rule = find(key(n, true, prefix));
        if (rule >= 0) {
          return Optional.of(new Match(digits.substring(0, n), true, rules.get(rule)));
        }
      }
      prefix /= 10;
    }
    return Optional.empty();
  }

  /** Whether {@link #lookup} finds an entry, without allocating. */
  public boolean covers(String digits) {
    return lookup(digits).isPresent();
  }

  /**
   * An entry that covers a looked-up number.
   *
   * @param entry the listed digits: the number, or the prefix
   * @param prefix whether the entry is a prefix ({@code entry*} in a list file)
   * @param rule the entry's rule
   */
  public record Match(String entry, boolean prefix, NumberRule rule) {
    public Match {
      Objects.requireNonNull(entry, "entry");
      Objects.requireNonNull(rule, "rule");
    }

    /** The entry as written in a list file: {@code +41446681800} or {@code +4144668*}. */
    @Override
    public String toString() {
      return "+" + entry + (prefix ? "*" : "");
    }
  }

  private int find(long key) {
    long hash = hash(key);
    long[] page = pages[page(hash)];
    if (page == null) {
      return -1;
    }
    int mask = page.length - 1;
    long wanted = key << RULE_BITS;
    for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
      long entry = page[slot];
      if (entry == 0) {
        return -1;
      }
      if ((entry & ~RULE_MASK) == wanted) {
        return (int) (entry & RULE_MASK);
      }
    }
  }

  private static long key(int length, boolean prefix, long value) {
    return ((prefix ? PREFIX_FLAG : 0L) | length) << VALUE_BITS | value;
  }

  private static long hash(long key) {
    // The finaliser of MurmurHash3 (public domain): spreads the clustered digits over the pages
    // (high bits) and over the slots of a page (low bits).
    long h = key;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }

  private static int page(long hash) {
    return (int) (hash >>> (Long.SIZE - PAGE_BITS));
  }

  /** Collects entries; not thread-safe. */
  public static final class Builder {

    private long[][] pages = new long[PAGES][];
    private final int[] pageSizes = new int[PAGES];
    private int size;
    private final List<NumberRule> rules = new ArrayList<>();
    private final Map<NumberRule, Integer> ruleIndex = new HashMap<>();
    private int prefixLengths;

    private Builder() {}

    /**
     * Adds a number or prefix.
     *
     * @param digits 1 to 15 ASCII digits (E.164 without {@code +})
     * @param prefix whether it covers every number that starts with it
     * @return false when the entry was already present (the first rule is kept)
     * @throws IllegalArgumentException when {@code digits} is not 1–15 digits, or the list would
     *     have more than {@link #MAX_RULES} distinct rules
     */
    public boolean add(String digits, boolean prefix, NumberRule rule) {
      Objects.requireNonNull(rule, "rule");
      int length = digits.length();
      if (length == 0 || length > MAX_DIGITS) {
        throw new IllegalArgumentException("not 1 to " + MAX_DIGITS + " digits: " + digits);
      }
      long value = 0;
      for (int i = 0; i < length; i++) {
        char c = digits.charAt(i);
        if (c < '0' || c > '9') {
          throw new IllegalArgumentException("not a digit string: " + digits);
        }
        value = value * 10 + (c - '0');
      }
      Integer index = ruleIndex.get(rule);
      if (index == null) {
        if (rules.size() == MAX_RULES) {
          throw new IllegalArgumentException(
              "more than " + MAX_RULES + " distinct trunk/attestation combinations in one list");
        }
        index = rules.size();
        rules.add(rule);
        ruleIndex.put(rule, index);
      }
      long key = key(length, prefix, value);
      long hash = hash(key);
      int page = page(hash);
      long[] table = pages[page];
      if (table == null) {
        table = new long[FIRST_PAGE_SLOTS];
        pages[page] = table;
      } else if ((pageSizes[page] + 1) * LOAD_DENOMINATOR > table.length * LOAD_NUMERATOR) {
        table = grow(table);
        pages[page] = table;
      }
      if (!insert(table, key, hash, index)) {
        return false;
      }
      pageSizes[page]++;
      size++;
      if (prefix) {
        prefixLengths |= 1 << length;
      }
      return true;
    }

    /** The number of distinct entries added so far. */
    public int size() {
      return size;
    }

    /** The list; the builder must not be used afterwards. */
    public NumberList build() {
      NumberList list = new NumberList(pages, size, rules, prefixLengths);
      pages = null;
      return list;
    }

    private static long[] grow(long[] table) {
      long[] bigger = new long[table.length * 2];
      for (long entry : table) {
        if (entry != 0) {
          long key = entry >>> RULE_BITS;
          insert(bigger, key, hash(key), (int) (entry & RULE_MASK));
        }
      }
      return bigger;
    }

    private static boolean insert(long[] table, long key, long hash, int rule) {
      int mask = table.length - 1;
      long wanted = key << RULE_BITS;
      for (int slot = (int) hash & mask; ; slot = (slot + 1) & mask) {
        long entry = table[slot];
        if (entry == 0) {
          table[slot] = wanted | rule;
          return true;
        }
        if ((entry & ~RULE_MASK) == wanted) {
          return false;
        }
      }
    }
  }
}

package org.sipsentry.proxy;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.sipsentry.sip.stir.StirFailure;

/**
 * Exports each {@link ProxyStats} counter as a tagged Prometheus counter: {@code invite.block}
 * becomes {@code sipsentry_invites_total{action="block"}}. The first rule whose prefix matches a
 * name, followed by one more dot-free word, gives the meter and puts the word in its tag; a name no
 * rule takes (a counter added later) is still exported, as {@code sipsentry_events_total{event=
 * "<name>"}}. Each meter name has one set of tag keys, as Prometheus requires. docs/operations.md
 * lists them all.
 */
final class CounterMeters {

  /**
   * One family of counters: {@code prefix + word} becomes meter {@code meter} with {@code
   * tag=word}. A prefix that does not end in a dot is one exact name, tagged with its last word
   * (untagged when {@code tag} is empty).
   */
  private record Rule(String prefix, String meter, String tag, String description) {}

  /** More specific prefixes first. */
  private static final List<Rule> RULES =
      List.of(
          new Rule(
              "invite.retransmission.",
              "sipsentry.invite.retransmissions",
              "outcome",
              "Retransmitted initial INVITEs: replayed (decision repeated) or absorbed (pending)"),
          new Rule(
              "invite.detector_error",
              "sipsentry.detector.errors",
              "",
              "Initial INVITEs the detector failed on (forwarded unlabelled; a bug)"),
          new Rule("invite.", "sipsentry.invites", "action", "Initial INVITEs by verdict action"),
          new Rule(
              "received.",
              "sipsentry.received",
              "transport",
              "SIP messages received, parsed or not, by transport"),
          new Rule("request.", "sipsentry.requests", "method", "Parsed SIP requests by method"),
          new Rule(
              "rejected.",
              "sipsentry.rejected",
              "reason",
              "Messages refused: a parse defect (e.g. bad_header) or loop, too_many_hops,"
                  + " bad_extension"),
          new Rule(
              "dropped.", "sipsentry.dropped", "reason", "Messages dropped unanswered, by reason"),
          new Rule(
              "answered.",
              "sipsentry.answered",
              "reason",
              "Requests answered by the proxy itself: by status code, or malformed, cancel"),
          new Rule("absorbed.", "sipsentry.absorbed", "what", "Messages absorbed, not forwarded"),
          new Rule(
              "forwarded.",
              "sipsentry.forwarded",
              "kind",
              "Messages forwarded: request or response"),
          new Rule(
              "stir.fetch.failed.",
              "sipsentry.certificate.fetches",
              "outcome",
              "x5u certificate fetch attempts by outcome (ok or the failure kind)"),
          new Rule(
              "stir.fetch.ok",
              "sipsentry.certificate.fetches",
              "outcome",
              "x5u certificate fetch attempts by outcome (ok or the failure kind)"),
          new Rule(
              "stir.fetch.breaker_opened",
              "sipsentry.certificate.breaker.openings",
              "",
              "Times a host's certificate fetch breaker opened"),
          new Rule(
              "stir.fetch.started",
              "sipsentry.certificate.fetches.started",
              "",
              "x5u certificate fetches that went to the network"),
          new Rule(
              "stir.fetch.",
              "sipsentry.certificate.cache",
              "result",
              "x5u certificate cache lookups: hit or miss"),
          new Rule(
              "stir.failure.",
              "sipsentry.stir.failures",
              "reason",
              "STIR verification failures by reason, tagged with their RFC 8224 SIP code"),
          new Rule(
              "stir.indeterminate",
              "sipsentry.stir.indeterminate",
              "",
              "STIR verifications that could not complete (e.g. certificate unavailable)"),
          new Rule(
              "stir.verstat_unplaced",
              "sipsentry.stir.verstat.unplaced",
              "",
              "Verstats with no From or P-Asserted-Identity URI to carry them"),
          new Rule("stir.", "sipsentry.stir.outcomes", "verstat", "STIR outcomes by verstat"),
          new Rule(
              "audit.",
              "sipsentry.audit.records",
              "outcome",
              "Audit records: queued, written, dropped (queue full)"),
          new Rule(
              "config.reload.",
              "sipsentry.config.reloads",
              "outcome",
              "Configuration reloads: ok or failed"),
          new Rule("tcp.", "sipsentry.tcp.events", "event", "TCP transport events"),
          new Rule("udp.", "sipsentry.udp.events", "event", "UDP transport events"),
          new Rule(
              "removed.",
              "sipsentry.removed",
              "what",
              "Untrusted identity fields removed from forwarded requests"));

  private static final Rule OTHER =
      new Rule("", "sipsentry.events", "event", "Other proxy events, by counter name");

  private CounterMeters() {}

  /** Registers {@code adder}, the counter {@code name}, with {@code registry}. */
  static void register(MeterRegistry registry, String name, LongAdder adder) {
    Rule rule = ruleFor(name);
    FunctionCounter.builder(rule.meter(), adder, LongAdder::doubleValue)
        .description(rule.description())
        .tags(tags(rule, name))
        .register(registry);
  }

  /** The Prometheus name and labels {@code name} is exported under, e.g. for the docs and tests. */
  static String exportedAs(String name) {
    Rule rule = ruleFor(name);
    StringBuilder text = new StringBuilder(rule.meter().replace('.', '_')).append("_total");
    Tags tags = tags(rule, name);
    if (tags.stream().findAny().isPresent()) {
      text.append('{');
      tags.stream()
          .forEach(
              tag -> text.append(tag.getKey()).append("=\"").append(tag.getValue()).append("\","));
      text.setCharAt(text.length() - 1, '}');
    }
    return text.toString();
  }

  private static Rule ruleFor(String name) {
    for (Rule rule : RULES) {
      if (rule.prefix().endsWith(".") ? matches(rule, name) : name.equals(rule.prefix())) {
        return rule;
      }
    }
    return OTHER;
  }

  private static boolean matches(Rule rule, String name) {
    if (!name.startsWith(rule.prefix()) || name.length() == rule.prefix().length()) {
      return false;
    }
    return name.indexOf('.', rule.prefix().length()) < 0;
  }

  private static Tags tags(Rule rule, String name) {
    if (rule == OTHER) {
      return Tags.of("event", name);
    }
    if (rule.tag().isEmpty()) {
      return Tags.empty();
    }
    String word =
        rule.prefix().endsWith(".")
            ? name.substring(rule.prefix().length())
            : name.substring(name.lastIndexOf('.') + 1);
    if (rule.prefix().equals("stir.failure.")) {
      return Tags.of("reason", word, "code", sipCode(word));
    }
    return Tags.of(rule.tag(), word);
  }

  /** The RFC 8224 code of the failure with id {@code id}; "unknown" for an id we do not know. */
  private static String sipCode(String id) {
    for (StirFailure failure : StirFailure.values()) {
      if (failure.id().equals(id)) {
        return String.valueOf(failure.code());
      }
    }
    return "unknown";
  }
}

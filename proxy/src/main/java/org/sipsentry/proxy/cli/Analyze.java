package org.sipsentry.proxy.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.sipsentry.detector.CallContext;
import org.sipsentry.detector.Verdict;
import org.sipsentry.proxy.ProxySettings;
import org.sipsentry.proxy.analyze.AnalysedCall;
import org.sipsentry.proxy.analyze.CaptureAnalysis;
import org.sipsentry.proxy.analyze.CaptureFormatException;
import org.sipsentry.proxy.config.ConfigException;
import org.sipsentry.proxy.config.ConfigLoader;
import org.sipsentry.sip.NameAddress;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sipsentry analyze}: the verdict of every initial INVITE in pcap/pcapng captures, as the
 * proxy under a given config would have given it (see {@link CaptureAnalysis}).
 */
@Command(
    name = "analyze",
    sortOptions = false,
    description = {
      "Run every initial INVITE of pcap or pcapng captures through the detector, as the proxy with"
          + " the given config would, and print one line per INVITE: a table (time, call-id, from,"
          + " pai, to, action, reasons) or, with --json, one JSON object per line.",
      "Reads UDP and TCP (streams reassembled in capture order and framed by Content-Length),"
          + " IPv4 and IPv6, Ethernet, Linux cooked (SLL, SLL2), raw IP and loopback captures."
          + " IP fragments are reassembled. Retransmissions are analysed once.",
      "Problems (damaged or truncated capture, TCP gaps, unparsable INVITEs) go to standard error"
          + " as 'FILE: packet N: what', and the rest is still analysed; a summary line follows.",
      "Exit 0: all read without problems; 1: problems reported (the rest was analysed); 2: bad"
          + " usage or config, or a file that is not a capture.",
    },
    footer = {
      "",
      "JSON fields: time (capture time of the INVITE), packet, call-id, source"
          + " (transport:address:port), trunk, from, pai (list), to, action, score, reasons (list),"
          + " verstat (the STIR/SHAKEN result on a verifying trunk, else null), stir-failure (why"
          + " verification failed, e.g. stale-date), and code and reason when the action is block.",
      "STIR/SHAKEN is verified as at the INVITE's capture time unless --now is given.",
      "An INVITE whose top Via is SipSentry's own (its branch prefix, sent-by one of the config's"
          + " listen addresses) is one it forwarded: counted as forwarded by SipSentry, not judged,"
          + " so a capture of both legs gives the verdicts of what arrived. TCP segments captured"
          + " out of order are not reordered (a gap is reported). See docs/operations.md,"
          + " 'Analysing a capture'.",
    })
final class Analyze implements Callable<Integer> {

  static final int EXIT_PROBLEMS = 1;

  @Option(
      names = "--config",
      required = true,
      paramLabel = "FILE",
      description = "The YAML config file.")
  Path config;

  @Option(names = "--json", description = "One JSON object per INVITE instead of a table.")
  boolean json;

  @Option(
      names = "--now",
      paramLabel = "ISO-INSTANT",
      description =
          "Judge every call as at this instant, e.g. 2026-03-01T12:00:00Z (default: each"
              + " INVITE's capture time).")
  String now;

  @Option(
      names = "--cert",
      paramLabel = "DIR",
      description =
          "Serve x5u certificates from DIR instead of fetching them: an x5u URL maps to the file"
              + " named by its last path segment (https://host/sti/sp1.pem -> DIR/sp1.pem); no such"
              + " file counts as a 404.")
  Path certs;

  @Parameters(paramLabel = "CAPTURE", arity = "1..*", description = "pcap or pcapng files.")
  List<Path> captures = new ArrayList<>();

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help and exit.")
  boolean help;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Optional<Instant> at;
    try {
      at = now == null ? Optional.empty() : Optional.of(Instant.parse(now));
    } catch (DateTimeParseException e) {
      err.println(
          "sipsentry analyze: --now \""
              + now
              + "\" is not an ISO instant such as 2026-03-01T12:00:00Z");
      return Main.EXIT_BAD_CONFIG;
    }
    if (certs != null && !Files.isDirectory(certs)) {
      err.println("sipsentry analyze: --cert " + certs + " is not a directory");
      return Main.EXIT_BAD_CONFIG;
    }
    ProxySettings settings;
    try {
      settings = ConfigLoader.load(config);
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return Main.EXIT_BAD_CONFIG;
    }
    if (!json) {
      out.println(Row.HEADER);
    }
    CaptureAnalysis.Summary total = CaptureAnalysis.Summary.empty();
    boolean unreadable = false;
    try (CaptureAnalysis analysis =
        CaptureAnalysis.create(
            settings,
            at,
            Optional.ofNullable(certs),
            call -> out.println(json ? jsonLine(call) : Row.of(call)),
            (capture, packet, message) ->
                err.println(capture + ": packet " + packet + ": " + message))) {
      for (Path capture : captures) {
        try {
          total = total.plus(analysis.analyse(capture));
        } catch (CaptureFormatException e) {
          err.println(capture + ": " + e.getMessage());
          unreadable = true;
        } catch (IOException e) {
          err.println(capture + ": cannot read: " + Verify.why(e));
          unreadable = true;
        }
      }
    }
    out.flush();
    err.println(
        "sipsentry analyze: "
            + total.packets()
            + " packets, "
            + total.sipMessages()
            + " SIP messages, "
            + total.invites()
            + " INVITEs analysed ("
            + total.retransmissions()
            + " retransmissions, "
            + total.refused()
            + " answered before inspection), "
            + total.forwarded()
            + " INVITEs forwarded by SipSentry and not judged, "
            + total.fragments()
            + " incomplete IP datagrams, "
            + total.problems()
            + (total.problems() == 1 ? " problem" : " problems"));
    if (unreadable) {
      return Main.EXIT_BAD_CONFIG;
    }
    return total.problems() > 0 ? EXIT_PROBLEMS : 0;
  }

  /** A table row; columns are padded to a width and pushed right by a longer value. */
  record Row(
      String time,
      String callId,
      String from,
      String pai,
      String to,
      String action,
      String reasons) {

    static final int[] WIDTHS = {24, 36, 32, 32, 32, 9};

    static final String HEADER =
        new Row("TIME", "CALL-ID", "FROM", "PAI", "TO", "ACTION", "REASONS").toString();

    static Row of(AnalysedCall analysed) {
      CallContext call = analysed.call();
      Verdict verdict = analysed.verdict();
      List<String> pai = new ArrayList<>();
      for (NameAddress identity : call.pAssertedIdentities()) {
        pai.add(identity.uri());
      }
      return new Row(
          analysed.time().truncatedTo(ChronoUnit.MILLIS).toString(),
          call.callId(),
          call.from().uri(),
          pai.isEmpty() ? "-" : String.join(",", pai),
          call.to().uri(),
          verdict.action().id(),
          verdict.reasons().isEmpty() ? "-" : String.join(",", verdict.reasons()));
    }

    @Override
    public String toString() {
      String[] cells = {time, callId, from, pai, to, action};
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < cells.length; i++) {
        line.append(cells[i]);
        int pad = Math.max(1, WIDTHS[i] + 1 - cells[i].length());
        line.append(" ".repeat(pad));
      }
      return line.append(reasons).toString();
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  /** One JSON object, field names as in the audit log. */
  static String jsonLine(AnalysedCall analysed) {
    CallContext call = analysed.call();
    Verdict verdict = analysed.verdict();
    StringWriter line = new StringWriter();
    try (JsonGenerator out = JSON.createGenerator(line)) {
      out.writeStartObject();
      out.writeStringField("time", analysed.time().toString());
      out.writeNumberField("packet", analysed.packet());
      out.writeStringField("call-id", call.callId());
      out.writeStringField(
          "source",
          call.transport().viaToken().toLowerCase(Locale.ROOT)
              + ":"
              + call.source().getAddress().getHostAddress()
              + ":"
              + call.source().getPort());
      out.writeStringField("trunk", call.trunk().name());
      out.writeStringField("from", call.from().uri());
      out.writeArrayFieldStart("pai");
      for (NameAddress pai : call.pAssertedIdentities()) {
        out.writeString(pai.uri());
      }
      out.writeEndArray();
      out.writeStringField("to", call.to().uri());
      out.writeStringField("action", verdict.action().id());
      out.writeNumberField("score", verdict.score());
      out.writeArrayFieldStart("reasons");
      for (String reason : verdict.reasons()) {
        out.writeString(reason);
      }
      out.writeEndArray();
      if (verdict.stir().isPresent()) {
        out.writeStringField("verstat", verdict.stir().get().verstat());
        if (verdict.stir().get().failure().isPresent()) {
          out.writeStringField("stir-failure", verdict.stir().get().failure().get().id());
        }
      } else {
        out.writeNullField("verstat");
      }
      if (verdict.response().isPresent()) {
        out.writeNumberField("code", verdict.response().get().code());
        out.writeStringField("reason", verdict.response().get().reason());
      }
      out.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("writing JSON to a string", e);
    }
    return line.toString();
  }
}

package org.sipsentry.sip.stir.cert;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.sipsentry.sip.stir.StirFailure;

/**
 * The TNAuthList extension of an STI certificate (RFC 8226 §9, OID 1.3.6.1.5.5.7.1.26): the
 * telephone numbers, ranges and Service Provider Codes its holder is authorised for.
 *
 * <pre>
 * TNAuthorizationList ::= SEQUENCE SIZE (1..MAX) OF TNEntry
 * TNEntry ::= CHOICE {
 *   spc   [0] ServiceProviderCode,      -- IA5String
 *   range [1] TelephoneNumberRange,     -- SEQUENCE { start TelephoneNumber, count INTEGER (2..MAX) }
 *   one   [2] TelephoneNumber }         -- IA5String (SIZE (1..15)) (FROM ("0123456789#*"))
 * </pre>
 *
 * <p>The RFC 8226 module uses EXPLICIT tags, which is what production SHAKEN certificates carry
 * ({@code 30 08 a0 06 16 04 "318J"}); implicitly tagged entries are accepted too, since the CA's
 * signature, not the encoding, is what makes the list trustworthy.
 *
 * @param entries the entries in certificate order, at least one
 */
public record TnAuthList(List<Entry> entries) implements TnAuthListParse {

  /** The extension's OID, id-pe-TNAuthList (RFC 8226 §9). */
  public static final String OID = "1.3.6.1.5.5.7.1.26";

  /** RFC 8226 §9: TelephoneNumber ::= IA5String (SIZE (1..15)). */
  private static final int MAX_TELEPHONE_NUMBER_LENGTH = 15;

  public TnAuthList {
    entries = List.copyOf(entries);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("a TNAuthList has at least one entry (RFC 8226 §9)");
    }
  }

  /** One TNEntry. */
  public sealed interface Entry
      permits ServiceProviderCode, TelephoneNumberRange, TelephoneNumber {}

  /** {@code spc [0]}: a Service Provider Code, e.g. {@code "318J"} (SHAKEN: the OCN). */
  public record ServiceProviderCode(String code) implements Entry {
    public ServiceProviderCode {
      Objects.requireNonNull(code, "code");
      if (code.isEmpty()) {
        throw new IllegalArgumentException("empty ServiceProviderCode");
      }
    }
  }

  /** {@code range [1]}: {@code count} consecutive numbers starting at {@code start}. */
  public record TelephoneNumberRange(String start, int count) implements Entry {
    public TelephoneNumberRange {
      requireTelephoneNumber(start);
      if (count < 2) {
        throw new IllegalArgumentException("TelephoneNumberRange count " + count + " < 2");
      }
    }
  }

  /** {@code one [2]}: a single telephone number (digits, {@code #}, {@code *}). */
  public record TelephoneNumber(String number) implements Entry {
    public TelephoneNumber {
      requireTelephoneNumber(number);
    }
  }

  /** The Service Provider Codes, in certificate order. */
  public List<String> spcs() {
    List<String> spcs = new ArrayList<>(1);
    for (Entry entry : entries) {
      if (entry instanceof ServiceProviderCode spc) {
        spcs.add(spc.code());
      }
    }
    return List.copyOf(spcs);
  }

  /**
   * Reads the TNAuthList of {@code certificate}. Returns {@link CertificateValidation.Invalid} with
   * {@link StirFailure#NO_TN_AUTH_LIST} when the extension is absent, and also when it is present
   * but not an RFC 8226 TNAuthorizationList: either way the certificate authorises no number, and
   * the detail says which case it was.
   */
  public static TnAuthListParse of(X509Certificate certificate) {
    byte[] extension = certificate.getExtensionValue(OID);
    if (extension == null) {
      return new CertificateValidation.Invalid(
          StirFailure.NO_TN_AUTH_LIST, "no TNAuthList extension (" + OID + ")");
    }
    try {
      return parse(ASN1OctetString.getInstance(extension).getOctets());
    } catch (IllegalArgumentException e) {
      return new CertificateValidation.Invalid(
          StirFailure.NO_TN_AUTH_LIST, "malformed TNAuthList extension: " + e.getMessage());
    }
  }

  /**
   * Parses the DER of a TNAuthorizationList (the extension's {@code extnValue} contents).
   *
   * @throws IllegalArgumentException naming what is wrong when it is not one
   */
  public static TnAuthList parse(byte[] der) {
    ASN1Primitive list;
    try {
      list = ASN1Primitive.fromByteArray(der);
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not DER: " + e.getMessage(), e);
    }
    if (list == null) {
      throw new IllegalArgumentException("empty extension value");
    }
    if (!(list instanceof ASN1Sequence sequence)) {
      throw new IllegalArgumentException("not a SEQUENCE but " + describe(list));
    }
    List<Entry> entries = new ArrayList<>(sequence.size());
    for (ASN1Encodable element : sequence) {
      entries.add(entry(element.toASN1Primitive(), entries.size()));
    }
    if (entries.isEmpty()) {
      throw new IllegalArgumentException("empty SEQUENCE (RFC 8226 §9: SIZE (1..MAX))");
    }
    return new TnAuthList(entries);
  }

  private static Entry entry(ASN1Primitive element, int index) {
    if (!(element instanceof ASN1TaggedObject tagged)
        || tagged.getTagClass() != BERTags.CONTEXT_SPECIFIC) {
      throw new IllegalArgumentException(
          "entry " + index + " is " + describe(element) + ", not a tagged TNEntry");
    }
    try {
      return switch (tagged.getTagNo()) {
        case 0 -> new ServiceProviderCode(ia5(tagged));
        case 1 -> range(tagged);
        case 2 -> new TelephoneNumber(ia5(tagged));
        default -> throw new IllegalArgumentException("unknown tag [" + tagged.getTagNo() + "]");
      };
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IllegalArgumentException("entry " + index + ": " + e.getMessage(), e);
    }
  }

  private static String ia5(ASN1TaggedObject tagged) {
    boolean explicit = tagged.isExplicit() && tagged.getBaseObject() instanceof ASN1IA5String;
    return ASN1IA5String.getInstance(tagged, explicit).getString();
  }

  private static TelephoneNumberRange range(ASN1TaggedObject tagged) {
    // EXPLICIT: [1] { SEQUENCE { start, count } }; IMPLICIT: [1] { start, count }.
    ASN1Sequence range =
        tagged.getBaseObject() instanceof ASN1Sequence explicit
            ? explicit
            : ASN1Sequence.getInstance(tagged, false);
    if (range.size() < 2) {
      throw new IllegalArgumentException("TelephoneNumberRange has " + range.size() + " fields");
    }
    String start = ASN1IA5String.getInstance(range.getObjectAt(0)).getString();
    BigInteger count = ASN1Integer.getInstance(range.getObjectAt(1)).getValue();
    if (count.bitLength() > 31) {
      throw new IllegalArgumentException("TelephoneNumberRange count " + count + " out of range");
    }
    return new TelephoneNumberRange(start, count.intValue());
  }

  private static void requireTelephoneNumber(String number) {
    Objects.requireNonNull(number, "number");
    if (number.isEmpty() || number.length() > MAX_TELEPHONE_NUMBER_LENGTH) {
      throw new IllegalArgumentException(
          "TelephoneNumber \"" + number + "\" is not 1..15 characters");
    }
    for (int i = 0; i < number.length(); i++) {
      char c = number.charAt(i);
      if (!(c >= '0' && c <= '9') && c != '#' && c != '*') {
        throw new IllegalArgumentException(
            "TelephoneNumber \"" + number + "\" has a character outside 0-9, #, *");
      }
    }
  }

  private static String describe(ASN1Primitive primitive) {
    String type = primitive.getClass().getSimpleName();
    if (primitive instanceof ASN1IA5String string) {
      return "an IA5String \"" + string.getString() + "\"";
    }
    return "a " + type;
  }
}

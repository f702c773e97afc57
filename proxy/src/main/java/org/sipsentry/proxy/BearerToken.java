package org.sipsentry.proxy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * The token the admin endpoint asks for ({@code Authorization: Bearer <token>}, RFC 6750 §2.1),
 * read from {@code admin.token-file}. Only its SHA-256 digest is kept, and {@link #toString} names
 * the file, never the token, so the settings can be logged.
 */
public final class BearerToken {

  private final Path file;
  private final byte[] digest;

  private BearerToken(Path file, byte[] digest) {
    this.file = file;
    this.digest = digest;
  }

  /**
   * The token {@code token}, read from {@code file}.
   *
   * @throws IllegalArgumentException when the token is empty or holds white space or control
   *     characters (it must fit an Authorization header line as RFC 6750 §2.1 b64token)
   */
  public static BearerToken of(Path file, String token) {
    Objects.requireNonNull(file, "file");
    if (token.isEmpty()) {
      throw new IllegalArgumentException("the token is empty");
    }
    for (int i = 0; i < token.length(); i++) {
      char c = token.charAt(i);
      if (c <= ' ' || c >= 0x7f) {
        throw new IllegalArgumentException(
            "the token has white space or a control or non-ASCII character at index "
                + i
                + "; expected one line of letters, digits and -._~+/=");
      }
    }
    return new BearerToken(file, sha256(token));
  }

  /**
   * Whether {@code authorization}, an Authorization header value, is {@code Bearer <this token>}.
   * Compares digests in constant time, so the time taken says nothing about the token.
   */
  public boolean accepts(String authorization) {
    if (authorization == null || authorization.length() < 7) {
      return false;
    }
    if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    return MessageDigest.isEqual(digest, sha256(authorization.substring(7).strip()));
  }

  /** The file the token was read from. */
  public Path file() {
    return file;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BearerToken other
        && file.equals(other.file)
        && MessageDigest.isEqual(digest, other.digest);
  }

  @Override
  public int hashCode() {
    return file.hashCode() * 31 + Arrays.hashCode(digest);
  }

  @Override
  public String toString() {
    return "token from " + file;
  }
}

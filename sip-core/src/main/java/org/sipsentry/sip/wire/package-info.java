/**
 * Byte-level scanning and editing of SIP messages.
 *
 * <p>The proxy forwards the bytes it received with a few edits (insert a Via, decrement
 * Max-Forwards, add or replace the headers a verdict touches) instead of re-serialising a parsed
 * message, which reorders and merges header lines. {@link org.sipsentry.sip.wire.HeaderIndex} finds
 * the header lines of one message in a single pass, {@link org.sipsentry.sip.wire.MessageEditor}
 * records edits against the original offsets and applies them in one copy, and {@link
 * org.sipsentry.sip.wire.SipResponses} builds stateless responses from raw header lines, so that
 * even a message the SIP parser rejected can be answered with a 400.
 *
 * <p>Pure JDK code: no parser, no Netty. Bad input is data: scanning never throws.
 */
package org.sipsentry.sip.wire;

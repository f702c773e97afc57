/**
 * Machinery behind {@link org.sipsentry.sip.SipCodec}: locating header lines, reading name-addr
 * values and silencing JAIN-SIP's logger. Not API: these types may change without notice.
 */
package org.sipsentry.sip.internal;

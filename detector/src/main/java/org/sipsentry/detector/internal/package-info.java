/**
 * The detector's machinery: the identities of a call, the checks, and the policy that turns
 * findings into a {@link org.sipsentry.detector.Verdict}. Not an API: only {@link
 * org.sipsentry.detector.Detector#of} reaches in here, and everything may change.
 */
package org.sipsentry.detector.internal;

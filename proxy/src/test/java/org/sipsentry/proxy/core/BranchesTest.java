package org.sipsentry.proxy.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.sipsentry.sip.ParseResult;
import org.sipsentry.sip.SipCodec;
import org.sipsentry.sip.SipMessage;

class BranchesTest {

  static final String INVITE =
      "INVITE sip:+41446681801@192.0.2.10 SIP/2.0\r\n"
          + "Via: SIP/2.0/UDP 198.51.100.7:5062;branch=z9hG4bK-c1\r\n"
          + "Max-Forwards: 70\r\n"
          + "From: <sip:+41446681800@198.51.100.7>;tag=f1\r\n"
          + "To: <sip:+41446681801@192.0.2.10>\r\n"
          + "Call-ID: call-1@198.51.100.7\r\n"
          + "CSeq: 1 INVITE\r\n"
          + "Content-Length: 0\r\n\r\n";

  /** An RFC 2543 client: no magic cookie, no branch at all. */
  static final String INVITE_2543 = INVITE.replace(";branch=z9hG4bK-c1", "");

  @Test
  void forRequest_rfc3261_ourPrefixAnd96BitsOfHash() {
    assertThat(Branches.forRequest(parse(INVITE))).matches("z9hG4bK-sS-[0-9a-f]{24}");
  }

  @Test
  void forRequest_retransmissionCancelAndAck_sameBranch() {
    String branch = Branches.forRequest(parse(INVITE));

    assertThat(Branches.forRequest(parse(INVITE))).isEqualTo(branch);
    assertThat(Branches.forRequest(parse(cancel(INVITE)))).isEqualTo(branch);
    assertThat(Branches.forRequest(parse(ack(INVITE)))).isEqualTo(branch);
  }

  @Test
  void forRequest_otherBranchSentByOrCallId_otherBranch() {
    String branch = Branches.forRequest(parse(INVITE));

    assertThat(Branches.forRequest(parse(INVITE.replace("z9hG4bK-c1", "z9hG4bK-c2"))))
        .isNotEqualTo(branch);
    assertThat(Branches.forRequest(parse(INVITE.replace(":5062;", ":5064;")))).isNotEqualTo(branch);
    assertThat(Branches.forRequest(parse(INVITE.replace("call-1@", "call-2@"))))
        .isNotEqualTo(branch);
  }

  @Test
  void forRequest_rfc2543WithoutBranch_stableForRetransmissionCancelAndAck() {
    String branch = Branches.forRequest(parse(INVITE_2543));

    assertThat(branch).matches("z9hG4bK-sS-[0-9a-f]{24}");
    assertThat(Branches.forRequest(parse(INVITE_2543))).isEqualTo(branch);
    assertThat(Branches.forRequest(parse(cancel(INVITE_2543)))).isEqualTo(branch);
    assertThat(Branches.forRequest(parse(ack(INVITE_2543)))).isEqualTo(branch);
  }

  @Test
  void forRequest_rfc2543_newCSeqCallIdOrFromTag_otherBranch() {
    String branch = Branches.forRequest(parse(INVITE_2543));

    assertThat(Branches.forRequest(parse(INVITE_2543.replace("CSeq: 1", "CSeq: 2"))))
        .isNotEqualTo(branch);
    assertThat(Branches.forRequest(parse(INVITE_2543.replace("call-1@", "call-2@"))))
        .isNotEqualTo(branch);
    assertThat(Branches.forRequest(parse(INVITE_2543.replace("tag=f1", "tag=f2"))))
        .isNotEqualTo(branch);
  }

  @Test
  void forRequest_bareMagicCookie_treatedAsRfc2543() {
    String bare = INVITE.replace("branch=z9hG4bK-c1", "branch=z9hG4bK");

    assertThat(Branches.transactionKey(parse(bare))).contains("1\n").contains("sip:+41446681801");
    assertThat(Branches.forRequest(parse(bare))).isEqualTo(Branches.forRequest(parse(bare)));
  }

  @Test
  void toTag_stablePerTransactionAndAToken() {
    String tag = Branches.toTag(parse(INVITE));

    assertThat(tag).matches("sS[0-9a-f]{16}");
    assertThat(Branches.toTag(parse(cancel(INVITE)))).isEqualTo(tag);
    assertThat(Branches.toTag(parse(INVITE.replace("z9hG4bK-c1", "z9hG4bK-c2")))).isNotEqualTo(tag);
    assertThat(Branches.toTag(parse(INVITE_2543))).matches("sS[0-9a-f]{16}");
  }

  static String cancel(String invite) {
    return invite.replace("INVITE sip:", "CANCEL sip:").replace("1 INVITE", "1 CANCEL");
  }

  /** The ACK of a non-2xx final response: same branch and CSeq number, To tagged. */
  static String ack(String invite) {
    return invite
        .replace("INVITE sip:", "ACK sip:")
        .replace("1 INVITE", "1 ACK")
        .replace("192.0.2.10>\r\n", "192.0.2.10>;tag=sSx\r\n");
  }

  static SipMessage parse(String text) {
    ParseResult result = SipCodec.parse(text.getBytes(StandardCharsets.UTF_8), null);
    assertThat(result).isInstanceOf(ParseResult.Parsed.class);
    return ((ParseResult.Parsed) result).message();
  }
}

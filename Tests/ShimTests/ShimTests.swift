import Testing
import COpus
import CSRTP
import COpenSSL
import CNice
import CUsrsctp

/// Each system library is found, links, and answers a call through its module map.
@Suite struct ShimTests {
    @Test func opusLinksAndReportsVersion() {
        let v = String(cString: opus_get_version_string())
        #expect(v.hasPrefix("libopus"))
        var err: Int32 = 0
        let enc = opus_encoder_create(48_000, 1, OPUS_APPLICATION_VOIP, &err)
        #expect(err == OPUS_OK)
        var lookahead: Int32 = 0
        #expect(sr_opus_get_lookahead(enc, &lookahead) == OPUS_OK)
        #expect(lookahead > 0)
        opus_encoder_destroy(enc)
    }

    /// srtp_init belongs to the SRTP module (once per process); here only the library's own calls.
    @Test func srtpLinksAndItsPolicyMacrosAreReachable() {
        #expect(String(cString: srtp_get_version_string()).contains("2."))
        var policy = srtp_crypto_policy_t()
        sr_srtp_policy_aes_gcm_128_16_auth(&policy)
        #expect(policy.auth_tag_len == 16)
        #expect(sr_srtp_max_trailer_len() >= 16)
    }

    @Test func openSSLIsVersion3() {
        #expect(OpenSSL_version_num() >= 0x3000_0000)
        let key = sr_EVP_EC_gen_p256()
        #expect(key != nil)
        EVP_PKEY_free(key)
    }

    @Test func niceAgentCanBeCreated() {
        let ctx = g_main_context_new()
        let agent = nice_agent_new_full(ctx, NICE_COMPATIBILITY_RFC5245, NICE_AGENT_OPTION_NONE)
        #expect(agent != nil)
        sr_g_object_unref(UnsafeMutableRawPointer(agent))
        g_main_context_unref(ctx)
    }

    @Test func usrsctpHasConnAddressFamily() {
        #expect(AF_CONN == 123)
    }
}

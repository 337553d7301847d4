// libsrtp2: the crypto-policy setters are macros in <srtp2/srtp.h>; wrap the ones DTLS-SRTP needs.
#ifndef SWIFTREALTIME_CSRTP_SHIM_H
#define SWIFTREALTIME_CSRTP_SHIM_H
#include <srtp2/srtp.h>

static inline void sr_srtp_policy_aes_cm_128_hmac_sha1_80(srtp_crypto_policy_t *p) { srtp_crypto_policy_set_aes_cm_128_hmac_sha1_80(p); }
static inline void sr_srtp_policy_aes_cm_128_hmac_sha1_32(srtp_crypto_policy_t *p) { srtp_crypto_policy_set_aes_cm_128_hmac_sha1_32(p); }
static inline void sr_srtp_policy_aes_gcm_128_16_auth(srtp_crypto_policy_t *p) { srtp_crypto_policy_set_aes_gcm_128_16_auth(p); }
static inline void sr_srtp_policy_aes_gcm_256_16_auth(srtp_crypto_policy_t *p) { srtp_crypto_policy_set_aes_gcm_256_16_auth(p); }
/// Spare bytes a protect call may append (auth tag, MKI): callers size buffers with it.
static inline int sr_srtp_max_trailer_len(void) { return SRTP_MAX_TRAILER_LEN; }

#endif

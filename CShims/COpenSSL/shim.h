// OpenSSL 3.0: macros and variadic calls Swift cannot reach, each as a typed static inline function.
#ifndef SWIFTREALTIME_COPENSSL_SHIM_H
#define SWIFTREALTIME_COPENSSL_SHIM_H
#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/ec.h>

static inline long sr_SSL_CTX_set_mode(SSL_CTX *c, long m) { return SSL_CTX_set_mode(c, m); }
static inline long sr_SSL_set_mtu(SSL *s, long mtu) { return SSL_set_mtu(s, mtu); }
static inline long sr_DTLS_set_link_mtu(SSL *s, long mtu) { return DTLS_set_link_mtu(s, mtu); }
static inline long sr_DTLSv1_get_timeout(SSL *s, struct timeval *tv) { return DTLSv1_get_timeout(s, tv); }
static inline long sr_DTLSv1_handle_timeout(SSL *s) { return DTLSv1_handle_timeout(s); }
static inline long sr_BIO_get_mem_data(BIO *b, char **pp) { return BIO_get_mem_data(b, pp); }
static inline long sr_BIO_set_mem_eof_return(BIO *b, long v) { return BIO_set_mem_eof_return(b, v); }
static inline size_t sr_BIO_pending(BIO *b) { return BIO_pending(b); }
static inline int sr_BIO_reset(BIO *b) { return (int)BIO_reset(b); }
static inline int sr_SSL_CTX_set_min_proto_version(SSL_CTX *c, int v) { return (int)SSL_CTX_set_min_proto_version(c, v); }
static inline int sr_SSL_CTX_set_max_proto_version(SSL_CTX *c, int v) { return (int)SSL_CTX_set_max_proto_version(c, v); }
static inline int sr_SSL_CTX_set1_groups_list(SSL_CTX *c, const char *l) { return (int)SSL_CTX_set1_groups_list(c, l); }
static inline void sr_SSL_CTX_set_read_ahead(SSL_CTX *c, int v) { SSL_CTX_set_read_ahead(c, v); }
static inline long sr_SSL_CTX_set_session_cache_mode(SSL_CTX *c, long m) { return SSL_CTX_set_session_cache_mode(c, m); }
static inline void sr_OPENSSL_free(void *p) { OPENSSL_free(p); }
static inline EVP_PKEY *sr_EVP_EC_gen_p256(void) { return EVP_EC_gen("P-256"); }
static inline const char *sr_SSL_get_cipher(const SSL *s) { return SSL_get_cipher(s); }
static inline uint64_t sr_SSL_OP_NO_QUERY_MTU(void) { return SSL_OP_NO_QUERY_MTU; }
static inline uint64_t sr_SSL_OP_NO_TICKET(void) { return SSL_OP_NO_TICKET; }
static inline int sr_SSL_MODE_ENABLE_PARTIAL_WRITE(void) { return SSL_MODE_ENABLE_PARTIAL_WRITE; }
static inline int sr_BIO_CTRL_DGRAM_QUERY_MTU(void) { return BIO_CTRL_DGRAM_QUERY_MTU; }
static inline int sr_BIO_CTRL_FLUSH(void) { return BIO_CTRL_FLUSH; }
static inline int sr_MBSTRING_ASC(void) { return MBSTRING_ASC; }
static inline void sr_BIO_set_init(BIO *b, int v) { BIO_set_init(b, v); }

#endif

// Linux system calls the Glibc module does not show Swift: eventfd (its header is not in the
// module), ppoll and pthread_setname_np (declared only under _GNU_SOURCE). Used by Runtime.
#ifndef CLINUX_SHIM_H
#define CLINUX_SHIM_H
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <time.h>

/// A non-blocking, close-on-exec eventfd; -1 and errno on failure.
static inline int clinux_eventfd(void) { return eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC); }

/// Waits for POLLIN on one descriptor for at most `timeout_ns` (negative: without a limit).
static inline int clinux_wait_readable(int fd, int64_t timeout_ns) {
    struct pollfd p = { .fd = fd, .events = POLLIN, .revents = 0 };
    if (timeout_ns < 0) return ppoll(&p, 1, NULL, NULL);
    struct timespec t = { .tv_sec = timeout_ns / 1000000000, .tv_nsec = timeout_ns % 1000000000 };
    return ppoll(&p, 1, &t, NULL);
}
/// Names the calling thread (at most 15 bytes are kept), for top -H, perf and /proc.
static inline void clinux_name_this_thread(const char *name) { pthread_setname_np(pthread_self(), name); }
#endif

// usrsctp in AF_CONN mode. The debug printf callback is variadic, so a C one lives here.
#ifndef SWIFTREALTIME_CUSRSCTP_SHIM_H
#define SWIFTREALTIME_CUSRSCTP_SHIM_H
#include <stdio.h>
#include <stdarg.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <usrsctp.h>

/// A debug printf for usrsctp_init_nothreads that writes to stderr.
static inline void sr_usrsctp_debug_printf(const char *format, ...) {
    va_list ap;
    va_start(ap, format);
    vfprintf(stderr, format, ap);
    va_end(ap);
}
static inline void (*sr_usrsctp_debug_printf_ptr(void))(const char *, ...) { return sr_usrsctp_debug_printf; }

#endif

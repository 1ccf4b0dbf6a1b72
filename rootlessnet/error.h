/* error.h - an error that carries its errno and message up the call chain, gaining context */
#ifndef RN_ERROR_H
#define RN_ERROR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* room for a message with its context */
#define ERROR_MSGLEN 512

/**
 * struct error - what failed, for whoever handles it (logs it, answers a client with it)
 * @errnum:	positive errno, 0 while nothing failed
 * @plain:	@msg says it all; otherwise it is shown followed by ": " and the errno's text
 * @msg:	the message: "context: context: what failed", as it was wrapped on the way up
 *
 * Declare one zeroed where the error is handled, pass its address down (NULL where nobody
 * needs the words: the -errno still comes back), set it where the failure happens, wrap it
 * on the way up where a caller knows more, and show it once: error_str() or log.h's
 * err_report(). Fixed-size, so no failure path allocates.
 */
struct error {
	int errnum;
	bool plain;
	char msg[ERROR_MSGLEN];
};

int error_errno(struct error *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int error_plain(struct error *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int error_wrap(struct error *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *error_str(const struct error *e, char *buf, size_t len);
const char *error_errstr(int errnum);
void error_vformat(char *buf, size_t size, const char *fmt, va_list ap);

#endif /* RN_ERROR_H */

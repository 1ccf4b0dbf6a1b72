/* error.c - an error that carries its errno and message up the call chain, gaining context */
/**
 * DOC: Theory of operation
 *
 * One convention for failures, as crun's libcrun_error_t: a helper returns a negative errno
 * and, when its caller passed a &struct error, says in words what failed there, where the
 * facts are (error_errno(): the errno's text is added when it is shown; error_plain(): the
 * message is complete, as the API's messages to clients are). Each caller that knows more
 * wraps it (error_wrap(): "what I was doing: what failed"), and the error is shown once,
 * where it is handled: logged (log.h's err_report()), or sent to an API client
 * (error_str()). Nothing on the way logs it too.
 *
 * This file is also the one place that turns an errno into text (error_errstr()): log.c
 * and error_str() use it, nothing else calls strerror(3).
 *
 * Messages are formatted by error_vformat(): when one does not fit its buffer it loses its
 * middle, not its end, since a message quotes what the user gave and says what is wrong
 * after it.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"

/**
 * error_vformat() - vsnprintf() for messages: when the text does not fit, cut its middle
 * @buf:	buffer
 * @size:	size of @buf
 * @fmt:	printf format
 * @ap:		arguments
 *
 * Cut at the end, a long value (a 100000-character -p) would leave only itself; so the head
 * and the tail are kept, around " [...] ", the tail with the larger share.
 *
 * Return: nothing
 */
void error_vformat(char *buf, size_t size, const char *fmt, va_list ap)
{
	static const char mark[] = " [...] ";
	size_t avail, head, tail, len;
	char *full = NULL;
	va_list aq;
	int n;

	if (!size)
		return;
	va_copy(aq, ap);
	n = vsnprintf(buf, size, fmt, aq);
	va_end(aq);
	if (n < 0)
		buf[0] = '\0';
	if (n < 0 || (size_t)n < size || size < 4 * sizeof(mark))
		return;
	if (vasprintf(&full, fmt, ap) < 0)
		return; /* the message stays cut at the end */
	len = strlen(full);
	avail = size - 1 - (sizeof(mark) - 1);
	head = avail / 3;
	tail = avail - head;
	memcpy(buf, full, head);
	memcpy(buf + head, mark, sizeof(mark) - 1);
	memcpy(buf + head + sizeof(mark) - 1, full + len - tail, tail);
	buf[size - 1] = '\0';
	free(full);
}

/**
 * error_format() - error_vformat() with arguments
 * @buf:	buffer
 * @size:	size of @buf
 * @fmt:	printf format
 *
 * Return: nothing
 */
static void __attribute__((format(printf, 3, 4)))
error_format(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vformat(buf, size, fmt, ap);
	va_end(ap);
}

/**
 * error_errstr() - The text of an errno
 * @errnum:	errno, positive or negative
 *
 * Return: a static string ("Address already in use")
 */
const char *error_errstr(int errnum)
{
	return strerror(errnum < 0 ? -errnum : errnum);
}

/**
 * error_vset() - Set an error
 * @e:		error, may be NULL
 * @errnum:	errno, positive or negative (0 becomes EIO: a failure needs a cause)
 * @plain:	the message is complete
 * @fmt:	printf format
 * @ap:		arguments
 *
 * Return: the negative errno
 */
static int error_vset(struct error *e, int errnum, bool plain, const char *fmt, va_list ap)
{
	if (errnum < 0)
		errnum = -errnum;
	if (!errnum)
		errnum = EIO;
	if (!e)
		return -errnum;
	e->errnum = errnum;
	e->plain = plain;
	error_vformat(e->msg, sizeof(e->msg), fmt, ap);
	return -errnum;
}

/**
 * error_errno() - Say what failed, with an errno that explains it
 * @e:		error, may be NULL (only the return value is wanted)
 * @errnum:	errno, positive or negative
 * @fmt:	printf format: what failed ("cannot open /dev/net/tun")
 *
 * Shown as "MESSAGE: ERRNO TEXT".
 *
 * Return: the negative errno
 */
int error_errno(struct error *e, int errnum, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = error_vset(e, errnum, false, fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * error_plain() - Say what failed in words that need no errno text
 * @e:		error, may be NULL
 * @errnum:	errno for the return value, positive or negative
 * @fmt:	printf format: the whole message ("conflict with ID 3")
 *
 * Return: the negative errno
 */
int error_plain(struct error *e, int errnum, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = error_vset(e, errnum, true, fmt, ap);
	va_end(ap);
	return ret;
}

/**
 * error_wrap() - Put what the caller was doing in front of an error
 * @e:		error set by a callee, may be NULL
 * @fmt:	printf format: the context ("port 3")
 *
 * The message becomes "CONTEXT: MESSAGE". An error that was never set gets the context as
 * its message, with EIO.
 *
 * Return: the error's negative errno (-EIO when @e is NULL: a caller that may pass NULL
 * returns its own value instead)
 */
int error_wrap(struct error *e, const char *fmt, ...)
{
	char ctx[ERROR_MSGLEN], old[ERROR_MSGLEN];
	va_list ap;

	if (!e)
		return -EIO;
	if (!e->errnum) {
		va_start(ap, fmt);
		error_vset(e, EIO, false, fmt, ap);
		va_end(ap);
		return -EIO;
	}
	va_start(ap, fmt);
	error_vformat(ctx, sizeof(ctx), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	error_format(e->msg, sizeof(e->msg), "%s%s%s", ctx, *old ? ": " : "", old);
	return -e->errnum;
}

/**
 * error_str() - The error as it is shown
 * @e:		error
 * @buf:	buffer
 * @len:	its size
 *
 * Return: @buf: "MESSAGE: ERRNO TEXT", or the message alone for a plain error, or the
 * errno's text alone for an error without a message; "" when nothing failed
 */
const char *error_str(const struct error *e, char *buf, size_t len)
{
	if (!len)
		return buf;
	buf[0] = '\0';
	if (!e->errnum)
		return buf;
	if (e->plain)
		error_format(buf, len, "%s", e->msg);
	else if (*e->msg)
		error_format(buf, len, "%s: %s", e->msg, error_errstr(e->errnum));
	else
		error_format(buf, len, "%s", error_errstr(e->errnum));
	return buf;
}

/* log.c - levelled logging to stderr, one line per message, prefixed by process role */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "log.h"

static enum log_level log_level = LOG_LVL_INFO;
static const char *log_role = "rootlessnet";

static const char *const log_names[] = {
	[LOG_LVL_ERR] = "error",
	[LOG_LVL_WARN] = "warning",
	[LOG_LVL_INFO] = "info",
	[LOG_LVL_DEBUG] = "debug",
};

/**
 * log_set_level() - Set the most verbose level that is printed
 * @level:	LOG_LVL_ERR .. LOG_LVL_DEBUG
 *
 * Return: nothing
 */
void log_set_level(enum log_level level)
{
	log_level = level;
}

/**
 * log_set_role() - Set the prefix naming this process ("parent", "child", ...)
 * @role:	static string, shown as [rootlessnet:ROLE]
 *
 * Return: nothing
 */
void log_set_role(const char *role)
{
	log_role = role;
}

/**
 * log_debug_enabled() - Tell whether debug messages are printed
 *
 * Return: true with --debug
 */
bool log_debug_enabled(void)
{
	return log_level >= LOG_LVL_DEBUG;
}

/**
 * log_vmsg() - Format and write one message as a single write(2)
 * @level:	message level
 * @errnum:	errno whose text ends the message (either sign), 0 for none
 * @fmt:	printf format
 * @ap:		arguments
 *
 * A message longer than a line buffer keeps its head and its end (error_vformat()).
 *
 * Return: nothing; errno is preserved
 */
static void log_vmsg(enum log_level level, int errnum, const char *fmt, va_list ap)
{
	char buf[2048];
	int saved = errno;
	int n;

	if (level > log_level)
		return;
	if (strchr(log_role, ':'))
		n = snprintf(buf, sizeof(buf), "[%s] %s: ", log_role, log_names[level]);
	else
		n = snprintf(buf, sizeof(buf), "%s: %s: ", log_role, log_names[level]);
	if (n < 0 || (size_t)n >= sizeof(buf))
		n = 0;
	/* a message that does not fit loses its middle, not the reason at its end */
	if (errnum) {
		char msg[1536];

		error_vformat(msg, sizeof(msg), fmt, ap);
		snprintf(buf + n, sizeof(buf) - n - 1, "%.1535s: %s", msg, error_errstr(errnum));
	} else {
		error_vformat(buf + n, sizeof(buf) - n - 1, fmt, ap);
	}
	n += (int)strlen(buf + n);
	buf[n++] = '\n';
	if (write(STDERR_FILENO, buf, n) < 0) {
		/* nowhere left to report it */
	}
	errno = saved;
}

/**
 * log_msg() - Print a message at a level
 * @level:	message level
 * @fmt:	printf format, no trailing newline
 *
 * Return: nothing
 */
void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, 0, fmt, ap);
	va_end(ap);
}

/**
 * log_errno() - Print a message followed by ": " and the text of an errno
 * @level:	message level
 * @errnum:	errno, positive or negative
 * @fmt:	printf format: what failed
 *
 * Return: nothing
 */
void log_errno(enum log_level level, int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, errnum ? errnum : EIO, fmt, ap);
	va_end(ap);
}

/**
 * log_report() - Print an error where it is handled
 * @level:	message level
 * @e:		the error (error.h)
 *
 * Return: nothing
 */
void log_report(enum log_level level, const struct error *e)
{
	char buf[ERROR_MSGLEN + 128];

	log_msg(level, "%s", error_str(e, buf, sizeof(buf)));
}

/**
 * log_limit_pass() - Decide whether a rate-limited message is printed now
 * @lim:	its state
 * @now_ns:	CLOCK_MONOTONIC now
 * @suppressed:	set, when it is printed, to the number suppressed since the last one
 *
 * Return: true to print it (the next one then waits LOG_LIMIT_INTERVAL_S), false when it is
 * suppressed (and counted)
 */
bool log_limit_pass(struct log_limit *lim, uint64_t now_ns, unsigned long *suppressed)
{
	if (lim->next_ns && now_ns < lim->next_ns) {
		if (lim->suppressed < (unsigned long)-1)
			lim->suppressed++;
		return false;
	}
	*suppressed = lim->suppressed;
	lim->suppressed = 0;
	lim->next_ns = now_ns + (uint64_t)LOG_LIMIT_INTERVAL_S * 1000000000ULL;
	if (!lim->next_ns)
		lim->next_ns = 1;
	return true;
}

/**
 * log_limited() - Print a message unless one from the same state was printed recently
 * @lim:	state of this message (one per call site: see warn_limited())
 * @level:	message level
 * @errnum:	errno whose text ends the message (either sign), 0 for none
 * @fmt:	printf format
 *
 * A message below the current level costs nothing and is not counted.
 *
 * Return: nothing
 */
void log_limited(struct log_limit *lim, enum log_level level, int errnum, const char *fmt, ...)
{
	unsigned long suppressed;
	int saved = errno;
	struct timespec ts;
	char msg[1536];
	va_list ap;

	if (level > log_level)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	if (!log_limit_pass(lim, (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec,
			    &suppressed))
		return;
	va_start(ap, fmt);
	error_vformat(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (suppressed && errnum)
		log_msg(level, "%s: %s (%lu more like it suppressed since the last)", msg,
			error_errstr(errnum), suppressed);
	else if (suppressed)
		log_msg(level, "%s (%lu more like it suppressed since the last)", msg, suppressed);
	else if (errnum)
		log_msg(level, "%s: %s", msg, error_errstr(errnum));
	else
		log_msg(level, "%s", msg);
	errno = saved;
}

/**
 * die() - Print an error and exit with status 1; for setup paths only
 * @fmt:	printf format
 *
 * Return: does not return
 */
void die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERR, 0, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}

/**
 * die_errno() - Like die(), ending the message with the text of an errno
 * @errnum:	errno, positive or negative
 * @fmt:	printf format
 *
 * Return: does not return
 */
void die_errno(int errnum, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(LOG_LVL_ERR, errnum ? errnum : EIO, fmt, ap);
	va_end(ap);
	exit(EXIT_FAILURE);
}

/**
 * die_report() - Print an error and exit with status 1; for setup paths only
 * @e:		the error
 *
 * Return: does not return
 */
void die_report(const struct error *e)
{
	log_report(LOG_LVL_ERR, e);
	exit(EXIT_FAILURE);
}

/* log.h - levelled logging to stderr: err, warn, info, debug, and die for setup paths */
#ifndef RN_LOG_H
#define RN_LOG_H

#include <stdbool.h>
#include <stdint.h>

struct error;

enum log_level {
	LOG_LVL_ERR = 0,
	LOG_LVL_WARN,
	LOG_LVL_INFO,
	LOG_LVL_DEBUG
};

void log_set_level(enum log_level level);
void log_set_role(const char *role);
bool log_debug_enabled(void);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void log_errno(enum log_level level, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void log_report(enum log_level level, const struct error *e);
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void die_errno(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
void die_report(const struct error *e) __attribute__((noreturn));

/* a rate-limited message is printed at most once in this many seconds */
#define LOG_LIMIT_INTERVAL_S 5

/**
 * struct log_limit - state of one rate-limited message (zero-initialised: nothing printed yet)
 * @next_ns:	CLOCK_MONOTONIC time before which another one is suppressed
 * @suppressed:	messages suppressed since the last one printed
 */
struct log_limit {
	uint64_t next_ns;
	unsigned long suppressed;
};

bool log_limit_pass(struct log_limit *lim, uint64_t now_ns, unsigned long *suppressed);
void log_limited(struct log_limit *lim, enum log_level level, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/* a message; the _errno forms end it with ": " and the text of an errno (either sign) */
#define err(...)		log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define warn(...)		log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define info(...)		log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define err_errno(errnum, ...)	log_errno(LOG_LVL_ERR, errnum, __VA_ARGS__)
#define warn_errno(errnum, ...) log_errno(LOG_LVL_WARN, errnum, __VA_ARGS__)
#define info_errno(errnum, ...) log_errno(LOG_LVL_INFO, errnum, __VA_ARGS__)
#define debug(...)                                                                                 \
	do {                                                                                       \
		if (log_debug_enabled())                                                           \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__);                                       \
	} while (0)
#define debug_errno(errnum, ...)                                                                   \
	do {                                                                                       \
		if (log_debug_enabled())                                                           \
			log_errno(LOG_LVL_DEBUG, errnum, __VA_ARGS__);                             \
	} while (0)

/* a &struct error, where it is handled: logged once */
#define err_report(e)  log_report(LOG_LVL_ERR, e)
#define warn_report(e) log_report(LOG_LVL_WARN, e)

/*
 * Messages a loop can repeat (one per connection, datagram or request): the first is
 * printed, then at most one per LOG_LIMIT_INTERVAL_S at each call site, with the count of
 * those suppressed in between.
 */
#define LOG_LIMITED_(level, errnum, ...)                                                           \
	do {                                                                                       \
		static struct log_limit log_lim_;                                                  \
		log_limited(&log_lim_, level, errnum, __VA_ARGS__);                                \
	} while (0)
#define err_limited(...)		LOG_LIMITED_(LOG_LVL_ERR, 0, __VA_ARGS__)
#define warn_limited(...)		LOG_LIMITED_(LOG_LVL_WARN, 0, __VA_ARGS__)
#define info_limited(...)		LOG_LIMITED_(LOG_LVL_INFO, 0, __VA_ARGS__)
#define err_errno_limited(errnum, ...)	LOG_LIMITED_(LOG_LVL_ERR, errnum, __VA_ARGS__)
#define warn_errno_limited(errnum, ...) LOG_LIMITED_(LOG_LVL_WARN, errnum, __VA_ARGS__)
#define debug_limited(...)                                                                         \
	do {                                                                                       \
		if (log_debug_enabled())                                                           \
			LOG_LIMITED_(LOG_LVL_DEBUG, 0, __VA_ARGS__);                               \
	} while (0)
#define debug_errno_limited(errnum, ...)                                                           \
	do {                                                                                       \
		if (log_debug_enabled())                                                           \
			LOG_LIMITED_(LOG_LVL_DEBUG, errnum, __VA_ARGS__);                          \
	} while (0)

#endif /* RN_LOG_H */

/* log.h - levelled logging to stderr: err, warn, info, debug, and die for setup paths */
#ifndef RN_LOG_H
#define RN_LOG_H

#include <stdbool.h>

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
void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
void die_errno(int errnum, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));

#define err(...)  log_msg(LOG_LVL_ERR, __VA_ARGS__)
#define warn(...) log_msg(LOG_LVL_WARN, __VA_ARGS__)
#define info(...) log_msg(LOG_LVL_INFO, __VA_ARGS__)
#define debug(...)                                                                                 \
	do {                                                                                       \
		if (log_debug_enabled())                                                           \
			log_msg(LOG_LVL_DEBUG, __VA_ARGS__);                                       \
	} while (0)

#endif /* RN_LOG_H */

/* util.h - cleanup attributes with explicit hand-over, and small helpers */
#ifndef RN_UTIL_H
#define RN_UTIL_H

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

struct rlimit;

int util_write_file(const char *path, const char *s);
void util_raise_nofile(struct rlimit *old);

static inline void util_freep(void *p)
{
	free(*(void **)p);
}

static inline void util_closep(int *fd)
{
	if (*fd >= 0) {
		int saved = errno;

		close(*fd);
		errno = saved;
	}
}

static inline void util_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

/* Variables freed or closed when they leave scope; hand over with steal_*() */
#define cleanup_free   __attribute__((cleanup(util_freep)))
#define cleanup_close  __attribute__((cleanup(util_closep)))
#define cleanup_fclose __attribute__((cleanup(util_fclosep)))

/**
 * steal_fd() - Take an fd out of a cleanup_close variable
 * @fd:		pointer to the variable, set to -1
 *
 * Return: the fd
 */
static inline int steal_fd(int *fd)
{
	int ret = *fd;

	*fd = -1;
	return ret;
}

/**
 * steal_ptr() - Take a pointer out of a cleanup_free variable
 * @pp:		pointer to the variable, set to NULL
 *
 * Return: the pointer
 */
static inline void *steal_ptr(void *pp)
{
	void **p = pp;
	void *ret = *p;

	*p = NULL;
	return ret;
}

#endif /* RN_UTIL_H */

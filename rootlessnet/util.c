/* util.c - small helpers shared by the modules: control files, the open file limit */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "log.h"
#include "util.h"

/**
 * util_write_file() - Write a string to an existing file in one write(2)
 * @path:	file (a /proc, /sys or cgroup control file, typically)
 * @s:		content
 *
 * Control files take a value in one write; a short write is an error.
 *
 * Return: 0 or -errno (-EIO for a short write)
 */
int util_write_file(const char *path, const char *s)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CLOEXEC);
	size_t len = strlen(s);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, s, len);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/**
 * util_raise_nofile() - Raise the soft limit on open files to the hard limit
 * @old:	the limits before, which the command gets back (child_args)
 *
 * The builtin driver holds six descriptors per connection (two sockets and two pipes), the
 * API one per client: the usual soft limit of 1024 would stop it at about 170 connections.
 * Go raises the limit the same way in every program since Go 1.19, and restores it for the
 * programs it starts, so rootlesskit does both; so do we.
 *
 * Return: nothing (a failure is a debug message: we run with the limit we have)
 */
void util_raise_nofile(struct rlimit *old)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, old) < 0) {
		old->rlim_cur = old->rlim_max = RLIM_INFINITY;
		return;
	}
	rl = *old;
	if (rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) < 0) {
			debug_errno(errno, "cannot raise the open file limit");
			rl = *old;
		}
	}
	debug("open file limit %llu (was %llu; each builtin port connection takes 6, each API "
	      "client 1)",
	      (unsigned long long)rl.rlim_cur, (unsigned long long)old->rlim_cur);
}

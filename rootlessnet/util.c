/* util.c - small helpers shared by the modules: writing a control file */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

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

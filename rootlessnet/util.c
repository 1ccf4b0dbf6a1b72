/* util.c - small helpers shared by the modules: writing a control file, messages */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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

/**
 * util_vformat_msg() - vsnprintf() for messages: when the text does not fit, cut its middle
 * @buf:	buffer
 * @size:	size of @buf
 * @fmt:	printf format
 * @ap:		arguments
 *
 * A message that quotes what the user gave says what is wrong after the value. Cut at the
 * end, a long value (a 100000-character -p) leaves only itself; so the head and the tail
 * are kept, around " [...] ", the tail with the larger share.
 *
 * Return: nothing
 */
void util_vformat_msg(char *buf, size_t size, const char *fmt, va_list ap)
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

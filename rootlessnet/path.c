/* path.c - lexical cleaning of absolute paths, without looking at the file system */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "path.h"

/**
 * path_clean() - Clean an absolute path lexically, as Go's filepath.Clean does
 * @path:	absolute path, rewritten in place: no "//", "." or ".." parts, no trailing "/"
 *
 * A ".." part removes the part before it; at the root it stays at the root.
 *
 * Return: @path
 */
char *path_clean(char *path)
{
	char *out = path, *p = path;

	while (*p) {
		char *s;
		size_t n;

		while (*p == '/')
			p++;
		s = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - s);
		if (!n || (n == 1 && s[0] == '.'))
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (out > path && *--out != '/')
				;
			continue;
		}
		*out++ = '/';
		memmove(out, s, n);
		out += n;
	}
	if (out == path)
		*out++ = '/';
	*out = '\0';
	return path;
}

/**
 * path_clean_plain() - Clean an absolute path that must not climb: ".." parts are refused
 * @in:		absolute path
 * @out:	buffer for the cleaned path
 * @len:	size of @out
 *
 * Return: 0, or -EINVAL for a relative path, a ".." part or a path longer than @out
 */
int path_clean_plain(const char *in, char *out, size_t len)
{
	size_t n = strlen(in);

	if (in[0] != '/' || n >= len)
		return -EINVAL;
	for (const char *p = in; (p = strstr(p, "..")); p += 2) {
		if ((p == in || p[-1] == '/') && (p[2] == '/' || !p[2]))
			return -EINVAL;
	}
	memcpy(out, in, n + 1);
	path_clean(out);
	return 0;
}

/* fuzz.h - what the libFuzzer harnesses of tests/fuzz share: entry points, input helpers */
#ifndef RN_FUZZ_H
#define RN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* libFuzzer's entry points: every harness defines the first, some the second */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * A harness's own check of what a parser promised (a property, not a crash the sanitizers
 * see): say what broke, then abort, which libFuzzer and the regression driver both report.
 */
#define fuzz_assert(cond, ...)                                                                     \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			err("fuzz: %s:%d: %s", __FILE__, __LINE__, #cond);                         \
			err(__VA_ARGS__);                                                          \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/**
 * fuzz_strndup() - The input as a NUL-terminated string (cut at its first NUL, as a C
 *		    caller would see it)
 * @data:	input
 * @size:	its length
 *
 * Return: malloc'd copy; aborts when out of memory (a harness cannot go on)
 */
static inline char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/**
 * fuzz_split() - Split the input at a separator into NUL-terminated strings, in place
 * @buf:	the input, copied with fuzz_strndup() (its bytes are rewritten)
 * @size:	its length, without the final NUL
 * @sep:	separator byte (NUL for argument vectors)
 * @out:	up to @max pointers into @buf
 * @max:	room in @out; what follows the last piece is in the last one
 *
 * Return: the number of pieces, at least 1
 */
static inline size_t fuzz_split(char *buf, size_t size, char sep, char **out, size_t max)
{
	size_t n = 0;

	out[n++] = buf;
	for (size_t i = 0; i < size && n < max; i++) {
		if (buf[i] == sep) {
			buf[i] = '\0';
			out[n++] = buf + i + 1;
		}
	}
	return n;
}

#endif /* RN_FUZZ_H */

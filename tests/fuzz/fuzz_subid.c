/* fuzz_subid.c - fuzz harness: /etc/subuid and /etc/subgid, and the id maps built from them */
/**
 * DOC: Theory of operation
 *
 * The input is the content of a subordinate id file, read through an fmemopen() stream as
 * subid_parse_static() reads the real one, for the user "rlt" with uid 1001 and for a user
 * known only by uid. The ranges it returns are turned into newuidmap's arguments as
 * userns.c does. The harness checks what those callers rely on: no empty and no repeated
 * range, ids within 32 bits, and a map built whenever the ranges fit above the caller's id,
 * with the arguments in order.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "subid.h"
#include "userns.h"
#include "util.h"

/**
 * LLVMFuzzerInitialize() - Log everything (formatting is part of what is fuzzed)
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_LVL_DEBUG);
	return 0;
}

/**
 * subid_fuzz_check_map() - Check newuidmap's arguments for a list of ranges
 * @r:		ranges
 * @n:		number of @r
 *
 * Return: nothing; aborts on a broken promise
 */
static void subid_fuzz_check_map(const struct subid_range *r, size_t n)
{
	unsigned long long next = 1;
	char **argv = userns_map_argv("newuidmap", 4242, 1001, r, n);
	bool fits = true;
	size_t argc = 0;

	for (size_t i = 0; i < n; i++) {
		if (next + r[i].count > 4294967296ULL)
			fits = false;
		next += r[i].count;
	}
	fuzz_assert(!argv == !fits, "map %s although the ranges %s", argv ? "built" : "refused",
		    fits ? "fit" : "do not fit");
	if (!argv)
		return;
	while (argv[argc])
		argc++;
	fuzz_assert(argc == 5 + 3 * n, "%zu arguments for %zu ranges", argc, n);
	fuzz_assert(!strcmp(argv[0], "newuidmap") && !strcmp(argv[1], "4242") &&
			    !strcmp(argv[2], "0") && !strcmp(argv[3], "1001") &&
			    !strcmp(argv[4], "1"),
		    "map starts %s %s %s %s %s", argv[0], argv[1], argv[2], argv[3], argv[4]);
	next = 1;
	for (size_t i = 0; i < n; i++) {
		char want[3][24];

		snprintf(want[0], sizeof(want[0]), "%llu", next);
		snprintf(want[1], sizeof(want[1]), "%lu", r[i].start);
		snprintf(want[2], sizeof(want[2]), "%lu", r[i].count);
		for (int k = 0; k < 3; k++)
			fuzz_assert(!strcmp(argv[5 + 3 * i + k], want[k]), "range %zu: %s, not %s",
				    i, argv[5 + 3 * i + k], want[k]);
		next += r[i].count;
	}
	userns_argv_free(argv);
}

/**
 * subid_fuzz_parse() - Parse the input for one user, and check the ranges
 * @data:	input
 * @size:	its length
 * @user:	user name, or NULL
 *
 * Return: nothing; aborts on a broken promise
 */
static void subid_fuzz_parse(const uint8_t *data, size_t size, const char *user)
{
	cleanup_fclose FILE *f = NULL;
	cleanup_free struct subid_range *r = NULL;
	size_t n = 0;
	int ret;

	/* fmemopen() of zero bytes fails with EINVAL: an empty file is one blank byte */
	f = size ? fmemopen((void *)data, size, "r") : fmemopen((void *)"\n", 1, "r");
	if (!f)
		abort();
	ret = subid_parse_static(f, "/etc/subuid", user, 1001, &r, &n);
	if (ret) {
		fuzz_assert(ret == -EINVAL || ret == -ENOMEM, "subid_parse_static: %d", ret);
		return;
	}
	fuzz_assert(!n == !r, "%zu ranges at %p", n, (void *)r);
	for (size_t i = 0; i < n; i++) {
		fuzz_assert(r[i].count && r[i].count <= UINT32_MAX && r[i].start <= UINT32_MAX,
			    "range %lu+%lu", r[i].start, r[i].count);
		for (size_t j = 0; j < i; j++)
			fuzz_assert(r[i].start != r[j].start || r[i].count != r[j].count,
				    "range %lu+%lu twice", r[i].start, r[i].count);
	}
	subid_fuzz_check_map(r, n);
}

/**
 * LLVMFuzzerTestOneInput() - A subordinate id file
 * @data:	input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	subid_fuzz_parse(data, size, "rlt");
	subid_fuzz_parse(data, size, NULL);
	return 0;
}

/* test_userns.c - unit tests for the newuidmap/newgidmap arguments */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "userns.h"

static void expect_argv(char **argv, const char *const *want)
{
	size_t i;

	assert_non_null(argv);
	for (i = 0; want[i]; i++) {
		assert_non_null(argv[i]);
		assert_string_equal(argv[i], want[i]);
	}
	assert_null(argv[i]);
}

static void test_one_range(void **state)
{
	struct subid_range r[] = {{200000, 65536}};
	static const char *const want[] = {"newuidmap", "4242",	  "0",	   "1001", "1",
					   "1",		"200000", "65536", NULL};
	char **argv = userns_map_argv("newuidmap", 4242, 1001, r, 1);

	(void)state;
	expect_argv(argv, want);
	userns_argv_free(argv);
}

static void test_ranges_follow_each_other(void **state)
{
	struct subid_range r[] = {{200000, 65536}, {500000, 1000}, {700000, 7}};
	static const char *const want[] = {"newgidmap", "9",	  "0",	    "1000",  "1",
					   "1",		"200000", "65536",  "65537", "500000",
					   "1000",	"66537",  "700000", "7",     NULL};
	char **argv = userns_map_argv("newgidmap", 9, 1000, r, 3);

	(void)state;
	expect_argv(argv, want);
	userns_argv_free(argv);
}

static void test_no_range(void **state)
{
	static const char *const want[] = {"newuidmap", "1", "0", "0", "1", NULL};
	char **argv = userns_map_argv("newuidmap", 1, 0, NULL, 0);

	(void)state;
	expect_argv(argv, want);
	userns_argv_free(argv);
}

static void test_overflow(void **state)
{
	struct subid_range ok[] = {{1, 4294967295UL}};
	struct subid_range big[] = {{100000, 4294967295UL}, {1, 1}};
	char **argv;

	(void)state;
	/* 1 + 4294967295 ids end exactly at the top of the 32-bit space */
	argv = userns_map_argv("newuidmap", 1, 1000, ok, 1);
	assert_non_null(argv);
	userns_argv_free(argv);
	assert_null(userns_map_argv("newuidmap", 1, 1000, big, 2));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_range),
		cmocka_unit_test(test_ranges_follow_each_other),
		cmocka_unit_test(test_no_range),
		cmocka_unit_test(test_overflow),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

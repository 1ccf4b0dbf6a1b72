/* test_subid.c - unit tests for reading /etc/subuid-style files and nsswitch.conf's subid line */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "subid.h"

static int parse(const char *text, const char *user, uid_t uid, struct subid_range **r, size_t *n)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	int ret;

	assert_non_null(f);
	ret = subid_parse_static(f, "test", user, uid, r, n);
	fclose(f);
	return ret;
}

static void test_by_name_and_uid(void **state)
{
	struct subid_range *r = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(parse("# comment\n"
			       "\n"
			       "alice:100000:65536\n"
			       "  rlt:200000:65536  \n"
			       "1001:300000:1000\n"
			       "bob:400000:10\n"
			       "rlt:500000:5\r\n",
			       "rlt", 1001, &r, &n),
			 0);
	assert_int_equal(n, 3);
	assert_int_equal(r[0].start, 200000);
	assert_int_equal(r[0].count, 65536);
	assert_int_equal(r[1].start, 300000);
	assert_int_equal(r[1].count, 1000);
	assert_int_equal(r[2].start, 500000);
	assert_int_equal(r[2].count, 5);
	free(r);
}

static void test_none(void **state)
{
	struct subid_range *r = (void *)1;
	size_t n = 7;

	(void)state;
	assert_int_equal(parse("alice:100000:65536\n", "rlt", 1001, &r, &n), 0);
	assert_int_equal(n, 0);
	assert_null(r);
	/* an empty file, and a user without a name matched by uid only */
	assert_int_equal(parse("", "rlt", 1001, &r, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(parse("1001:7:8\nrlt:9:10\n", NULL, 1001, &r, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(r[0].start, 7);
	free(r);
}

static void test_duplicates_and_empty_ranges(void **state)
{
	struct subid_range *r = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(parse("rlt:100:10\n1001:100:10\nrlt:200:0\n", "rlt", 1001, &r, &n), 0);
	assert_int_equal(n, 1);
	free(r);
}

static void test_malformed(void **state)
{
	struct subid_range *r = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(parse("rlt:100000\n", "rlt", 1001, &r, &n), -EINVAL);
	assert_int_equal(parse("rlt:1:2:3\n", "rlt", 1001, &r, &n), -EINVAL);
	assert_int_equal(parse("rlt:abc:10\n", "rlt", 1001, &r, &n), -EINVAL);
	assert_int_equal(parse("rlt:10:-1\n", "rlt", 1001, &r, &n), -EINVAL);
	assert_int_equal(parse("rlt:10:99999999999\n", "rlt", 1001, &r, &n), -EINVAL);
	/* other users' lines are not checked for numbers, as in rootlesskit */
	assert_int_equal(parse("bob:x:y\nrlt:1:2\n", "rlt", 1001, &r, &n), 0);
	assert_int_equal(n, 1);
	free(r);
}

static bool nss(const char *text)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	bool ret;

	assert_non_null(f);
	ret = subid_nss_parse(f);
	fclose(f);
	return ret;
}

static void test_nss_module(void **state)
{
	(void)state;
	/* Debian's default file: no subid line, libsubid reads the files */
	assert_false(nss("passwd:         files systemd\ngroup:          files systemd\n"));
	assert_false(nss("subid: files\n"));
	assert_false(nss("#subid: sss\n"));
	assert_false(nss("subid:\n"));
	assert_false(nss("subid: files # sss\n"));
	assert_true(nss("subid: sss\n"));
	assert_true(nss("passwd: files\n  subid:\tfiles sss\n"));
	/* the last line counts, as in glibc */
	assert_false(nss("subid: sss\nsubid: files\n"));
	assert_false(nss("subuid: sss\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_by_name_and_uid),
		cmocka_unit_test(test_none),
		cmocka_unit_test(test_duplicates_and_empty_ranges),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_nss_module),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

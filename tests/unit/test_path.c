/* test_path.c - unit tests for cleaning absolute paths (--state-dir, --copy-up) */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "path.h"

static void expect_clean(const char *in, const char *want)
{
	char *p = strdup(in);

	assert_non_null(p);
	assert_string_equal(path_clean(p), want);
	free(p);
}

static void test_clean(void **state)
{
	(void)state;
	expect_clean("/run/user/1000/dockerd-rootless", "/run/user/1000/dockerd-rootless");
	expect_clean("/tmp/sd/", "/tmp/sd");
	expect_clean("//tmp///sd//", "/tmp/sd");
	expect_clean("/tmp/./sd/.", "/tmp/sd");
	expect_clean("/tmp/a/../sd", "/tmp/sd");
	expect_clean("/tmp/a/b/../../sd/..", "/tmp");
	expect_clean("/..", "/");
	expect_clean("/../../x", "/x");
	expect_clean("/", "/");
	expect_clean("/.", "/");
	/* names that only start or end with dots are names */
	expect_clean("/a/..b/c../.d", "/a/..b/c../.d");
}

static void expect_plain(const char *in, const char *want)
{
	char out[32];

	assert_int_equal(path_clean_plain(in, out, sizeof(out)), 0);
	assert_string_equal(out, want);
}

static void test_clean_plain(void **state)
{
	char out[8];

	(void)state;
	expect_plain("/etc", "/etc");
	expect_plain("//etc//ssl/./", "/etc/ssl");
	expect_plain("/", "/");
	expect_plain("/a/..b/c..", "/a/..b/c..");
	assert_int_equal(path_clean_plain("/etc/../root", out, sizeof(out)), -EINVAL);
	assert_int_equal(path_clean_plain("/..", out, sizeof(out)), -EINVAL);
	assert_int_equal(path_clean_plain("/etc/..", out, sizeof(out)), -EINVAL);
	assert_int_equal(path_clean_plain("etc", out, sizeof(out)), -EINVAL);
	assert_int_equal(path_clean_plain("", out, sizeof(out)), -EINVAL);
	/* 7 characters and the NUL fit in 8, 8 do not */
	assert_int_equal(path_clean_plain("/abcdef", out, sizeof(out)), 0);
	assert_int_equal(path_clean_plain("/abcdefg", out, sizeof(out)), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
		cmocka_unit_test(test_clean_plain),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

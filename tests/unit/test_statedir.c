/* test_statedir.c - unit tests for cleaning the --state-dir path */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "statedir.h"

static void expect_clean(const char *in, const char *want)
{
	char *p = strdup(in);

	assert_non_null(p);
	assert_string_equal(statedir_clean(p), want);
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
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_error.c - unit tests for the error convention: set, wrap, show, cut long messages */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "error.h"

static void test_errno_and_wrap(void **state)
{
	struct error e = {0};
	char buf[ERROR_MSGLEN + 64];

	assert_string_equal(error_str(&e, buf, sizeof(buf)), "");
	assert_int_equal(error_errno(&e, -ENOENT, "cannot open %s", "/dev/net/tun"), -ENOENT);
	assert_int_equal(e.errnum, ENOENT);
	assert_string_equal(error_str(&e, buf, sizeof(buf)),
			    "cannot open /dev/net/tun: No such file or directory");
	/* context goes in front, the errno stays the callee's */
	assert_int_equal(error_wrap(&e, "network setup"), -ENOENT);
	assert_string_equal(error_str(&e, buf, sizeof(buf)),
			    "network setup: cannot open /dev/net/tun: No such file or directory");
}

static void test_plain(void **state)
{
	struct error e = {0};
	char buf[ERROR_MSGLEN];

	assert_int_equal(error_plain(&e, EEXIST, "conflict with ID %d", 3), -EEXIST);
	assert_string_equal(error_str(&e, buf, sizeof(buf)), "conflict with ID 3");
	error_wrap(&e, "port 4");
	assert_string_equal(error_str(&e, buf, sizeof(buf)), "port 4: conflict with ID 3");
}

static void test_null_and_unset(void **state)
{
	struct error e = {0};
	char buf[ERROR_MSGLEN];

	/* no error wanted: only the return value */
	assert_int_equal(error_errno(NULL, EPERM, "x"), -EPERM);
	assert_int_equal(error_plain(NULL, -EINVAL, "x"), -EINVAL);
	assert_int_equal(error_wrap(NULL, "x"), -EIO);
	/* a failure needs a cause: errno 0 becomes EIO */
	assert_int_equal(error_errno(&e, 0, "odd"), -EIO);
	/* wrapping nothing makes the context the message */
	e = (struct error){0};
	assert_int_equal(error_wrap(&e, "listing ports"), -EIO);
	assert_string_equal(error_str(&e, buf, sizeof(buf)), "listing ports: Input/output error");
	/* an errno without words shows its text */
	e = (struct error){.errnum = EACCES};
	assert_string_equal(error_str(&e, buf, sizeof(buf)), "Permission denied");
}

static void test_long_message_keeps_its_end(void **state)
{
	static char value[4000];
	struct error e = {0};
	size_t n;

	memset(value, 'x', sizeof(value) - 1);
	error_plain(&e, EINVAL, "\"%s\": want PORT:PORT", value);
	n = strlen(e.msg);
	assert_int_equal(n, ERROR_MSGLEN - 1);
	assert_memory_equal(e.msg, "\"xxx", 4);
	assert_string_equal(e.msg + n - strlen(": want PORT:PORT"), ": want PORT:PORT");
	assert_non_null(strstr(e.msg, " [...] "));
	/* wrapping a full message keeps its end too */
	error_wrap(&e, "cannot publish -p");
	assert_memory_equal(e.msg, "cannot publish -p: ", 19);
	assert_string_equal(e.msg + strlen(e.msg) - strlen(": want PORT:PORT"), ": want PORT:PORT");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errno_and_wrap),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_null_and_unset),
		cmocka_unit_test(test_long_message_keeps_its_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_log.c - unit tests for logging: the rate limit of messages a loop can repeat */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define S 1000000000ULL

static void test_limit_pass(void **state)
{
	struct log_limit lim = {0};
	unsigned long sup = 99;

	/* the first one passes, with nothing suppressed before it */
	assert_true(log_limit_pass(&lim, 1000, &sup));
	assert_int_equal(sup, 0);
	/* then nothing for LOG_LIMIT_INTERVAL_S, each one counted */
	for (int i = 0; i < 1000; i++)
		assert_false(log_limit_pass(&lim, 1000 + (uint64_t)i * 1000000, &sup));
	assert_false(log_limit_pass(&lim, 1000 + LOG_LIMIT_INTERVAL_S * S - 1, &sup));
	/* the next one after the interval passes and reports the count */
	assert_true(log_limit_pass(&lim, 1000 + LOG_LIMIT_INTERVAL_S * S, &sup));
	assert_int_equal(sup, 1001);
	/* and the count starts again */
	assert_false(log_limit_pass(&lim, 1000 + LOG_LIMIT_INTERVAL_S * S + 1, &sup));
	assert_true(log_limit_pass(&lim, 1000 + 3 * LOG_LIMIT_INTERVAL_S * S, &sup));
	assert_int_equal(sup, 1);
	/* a quiet period: nothing suppressed, nothing to report */
	assert_true(log_limit_pass(&lim, 1000 + 10 * LOG_LIMIT_INTERVAL_S * S, &sup));
	assert_int_equal(sup, 0);
}

static void test_limit_at_time_zero(void **state)
{
	struct log_limit lim = {0};
	unsigned long sup;

	/* a clock reading of 0 must not leave the state looking unused */
	assert_true(log_limit_pass(&lim, 0, &sup));
	assert_false(log_limit_pass(&lim, 1, &sup));
}

/* run fn with stderr captured; returns what it wrote */
static size_t capture(void (*fn)(void), char *buf, size_t len)
{
	int p[2], saved = dup(STDERR_FILENO);
	ssize_t n;

	assert_int_equal(pipe2(p, O_NONBLOCK), 0);
	assert_true(dup2(p[1], STDERR_FILENO) >= 0);
	fn();
	dup2(saved, STDERR_FILENO);
	close(saved);
	close(p[1]);
	n = read(p[0], buf, len - 1);
	close(p[0]);
	buf[n > 0 ? n : 0] = '\0';
	return n > 0 ? (size_t)n : 0;
}

static void flood(void)
{
	for (int i = 0; i < 100000; i++)
		warn_limited("flood %d", i);
}

static void test_limited_flood(void **state)
{
	char buf[4096];

	capture(flood, buf, sizeof(buf));
	/* 100000 calls in well under the interval: one line */
	assert_non_null(strstr(buf, "flood 0\n"));
	assert_null(strchr(strchr(buf, '\n') + 1, '\n'));
}

static void below_level(void)
{
	log_set_level(LOG_LVL_WARN);
	for (int i = 0; i < 10; i++)
		info_limited("hidden %d", i);
	log_set_level(LOG_LVL_INFO);
}

static void test_limited_below_level(void **state)
{
	char buf[256];

	assert_int_equal(capture(below_level, buf, sizeof(buf)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_limit_pass),
		cmocka_unit_test(test_limit_at_time_zero),
		cmocka_unit_test(test_limited_flood),
		cmocka_unit_test(test_limited_below_level),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

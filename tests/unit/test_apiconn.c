/* test_apiconn.c - unit tests for the API's client table: deadlines, eviction order */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "apiconn.h"

#define S 1000000000ULL

static void test_new_clients_expire_after_request_deadline(void **state)
{
	struct apiconn_table t = {0};
	struct apiconn_entry a = {0}, b = {0};

	apiconn_table_add(&t, &a, 10 * S);
	apiconn_table_add(&t, &b, 11 * S);
	assert_int_equal(t.count, 2);
	assert_int_equal(apiconn_table_deadline(&t), (10 + APICONN_REQUEST_S) * S);
	assert_null(apiconn_table_expired(&t, (10 + APICONN_REQUEST_S) * S - 1));
	assert_ptr_equal(apiconn_table_expired(&t, (10 + APICONN_REQUEST_S) * S), &a);
	/* a cut client leaves the queues (no second cut) but still counts */
	apiconn_table_set(&t, &a, APICONN_CUT, 15 * S);
	assert_int_equal(t.count, 2);
	assert_null(apiconn_table_expired(&t, 15 * S));
	assert_ptr_equal(apiconn_table_expired(&t, 16 * S), &b);
	apiconn_table_remove(&t, &a);
	apiconn_table_remove(&t, &b);
	assert_int_equal(t.count, 0);
	assert_int_equal(apiconn_table_deadline(&t), 0);
	assert_null(apiconn_table_victim(&t));
}

static void test_request_start_restarts_the_clock(void **state)
{
	struct apiconn_table t = {0};
	struct apiconn_entry a = {0};

	apiconn_table_add(&t, &a, 0);
	/* its request line came at 4 s: the whole request is due 5 s after that */
	apiconn_table_set(&t, &a, APICONN_BUSY, 4 * S);
	assert_null(apiconn_table_expired(&t, 8 * S));
	assert_ptr_equal(apiconn_table_expired(&t, (4 + APICONN_REQUEST_S) * S), &a);
	/* answered: idle, with the longer allowance */
	apiconn_table_set(&t, &a, APICONN_IDLE, 6 * S);
	assert_null(apiconn_table_expired(&t, 20 * S));
	assert_int_equal(apiconn_table_deadline(&t), (6 + APICONN_IDLE_S) * S);
	assert_ptr_equal(apiconn_table_expired(&t, (6 + APICONN_IDLE_S) * S), &a);
}

static void test_deadline_is_the_earlier_queue(void **state)
{
	struct apiconn_table t = {0};
	struct apiconn_entry idle = {0}, fresh = {0};

	apiconn_table_add(&t, &idle, 0);
	apiconn_table_set(&t, &idle, APICONN_IDLE, 1 * S);
	apiconn_table_add(&t, &fresh, 20 * S);
	/* the idle one is older but due later (31 s) than the new one (25 s) */
	assert_int_equal(apiconn_table_deadline(&t), (20 + APICONN_REQUEST_S) * S);
	assert_ptr_equal(apiconn_table_expired(&t, 26 * S), &fresh);
	apiconn_table_set(&t, &fresh, APICONN_CUT, 26 * S);
	assert_int_equal(apiconn_table_deadline(&t), (1 + APICONN_IDLE_S) * S);
}

static void test_victim_prefers_the_longest_idle(void **state)
{
	struct apiconn_table t = {0};
	struct apiconn_entry e[4] = {0};

	for (int i = 0; i < 4; i++)
		apiconn_table_add(&t, &e[i], (uint64_t)i * S);
	/* no idle client: the oldest slow one */
	assert_ptr_equal(apiconn_table_victim(&t), &e[0]);
	apiconn_table_set(&t, &e[2], APICONN_IDLE, 5 * S);
	apiconn_table_set(&t, &e[3], APICONN_IDLE, 6 * S);
	assert_ptr_equal(apiconn_table_victim(&t), &e[2]);
	apiconn_table_set(&t, &e[2], APICONN_CUT, 7 * S);
	assert_ptr_equal(apiconn_table_victim(&t), &e[3]);
	/* moving an entry to the same queue makes it the newest */
	apiconn_table_set(&t, &e[0], APICONN_BUSY, 8 * S);
	apiconn_table_set(&t, &e[3], APICONN_CUT, 8 * S);
	assert_ptr_equal(apiconn_table_victim(&t), &e[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_clients_expire_after_request_deadline),
		cmocka_unit_test(test_request_start_restarts_the_clock),
		cmocka_unit_test(test_deadline_is_the_earlier_queue),
		cmocka_unit_test(test_victim_prefers_the_longest_idle),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_revive.c - unit tests for kept helper processes: restart, budget, failed starts, stuck */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "error.h"
#include "helper.h"
#include "loop.h"
#include "revive.h"

#define MS 1000000ULL

/**
 * struct kept - what the test's ops count and decide
 * @starts:	calls of kept_start()
 * @fail:	starts still to fail, with EMFILE
 * @started:	calls of kept_started()
 * @exit_at_once: the helpers exit as soon as they start
 */
struct kept {
	int starts;
	int fail;
	int started;
	bool exit_at_once;
};

/* a helper that exits with 3 at once */
static int quick_fn(int sock, void *arg)
{
	(void)sock;
	(void)arg;
	return 3;
}

/* a helper that lives until its socket closes, and ignores SIGTERM */
static int stay_fn(int sock, void *arg)
{
	char c;

	(void)arg;
	signal(SIGTERM, SIG_IGN);
	while (read(sock, &c, 1) > 0)
		;
	return 0;
}

static int kept_start(void *data, struct helper *proc, struct error *e)
{
	struct kept *k = data;
	struct helper_spec s = {.name = "rn-test-kept", .fn = k->exit_at_once ? quick_fn : stay_fn};

	k->starts++;
	if (k->fail > 0) {
		k->fail--;
		return error_errno(e, -EMFILE, "test start");
	}
	return helper_spawn(&s, proc);
}

static void kept_started(void *data)
{
	((struct kept *)data)->started++;
}

static const struct revive_ops kept_ops = {
	.what = "test helper",
	.without = "the test has none",
	.reap_ms = 50,
	.retry_ms = 20,
	.start = kept_start,
	.started = kept_started,
};

/* run the loop until cond holds or 10 s pass */
#define RUN_UNTIL(l, cond)                                                                         \
	do {                                                                                       \
		uint64_t end_ = loop_now_ns() + 10000 * MS;                                        \
		while (!(cond) && loop_now_ns() < end_)                                            \
			assert_int_equal(loop_run_once((l), 50), 0);                               \
		assert_true(cond);                                                                 \
	} while (0)

/* a loop, and a kept process started and watched as its module would */
static struct loop *kept_begin(struct kept *k, struct revive *r)
{
	struct loop *l;

	assert_int_equal(loop_new(&l), 0);
	revive_init(r, l, &kept_ops, k);
	assert_int_equal(kept_start(k, &r->proc, NULL), 0);
	assert_int_equal(revive_watch(r), 0);
	return l;
}

static void test_restart_until_budget(void **state)
{
	struct kept k = {.exit_at_once = true};
	struct loop *l;
	struct revive r;
	int st;

	(void)state;
	l = kept_begin(&k, &r);
	/* each death starts a new one at once, HELPER_RESTARTS times, then the budget is spent */
	RUN_UNTIL(l, r.restarts == HELPER_RESTARTS && !r.proc.pid);
	assert_int_equal(k.starts, 1 + HELPER_RESTARTS);
	assert_int_equal(k.started, HELPER_RESTARTS);
	/* the next start waits for the budget: a timer most of a minute away, no busy loop */
	assert_true(r.retry.deadline_ns > loop_now_ns() + 50000 * MS);
	for (int i = 0; i < 5; i++)
		assert_int_equal(loop_run_once(l, 20), 0);
	assert_int_equal(k.starts, 1 + HELPER_RESTARTS);
	revive_stop(&r, 100, &st);
	loop_free(l);
}

static void test_failed_starts_are_retried(void **state)
{
	struct kept k = {0};
	struct loop *l;
	struct revive r;
	pid_t first;
	int st;

	(void)state;
	l = kept_begin(&k, &r);
	first = r.proc.pid;
	k.fail = 2;
	assert_int_equal(kill(first, SIGKILL), 0);
	/* two failed starts, each retried after retry_ms, then one that works */
	RUN_UNTIL(l, r.proc.pid > 0 && r.proc.pid != first);
	assert_int_equal(k.starts, 4);
	assert_int_equal(r.restarts, 1);
	assert_int_equal(k.started, 1);
	revive_stop(&r, 1000, &st);
	assert_int_equal(r.proc.pid, 0);
	/* the helper exits when its socket closes */
	assert_true(WIFEXITED(st));
	loop_free(l);
}

static void test_stuck_is_killed_and_replaced(void **state)
{
	struct kept k = {0};
	struct loop *l;
	struct revive r;
	pid_t first;
	int st;

	(void)state;
	l = kept_begin(&k, &r);
	first = r.proc.pid;
	/* its module found it stuck: it is killed after reap_ms, and a new one started at once */
	revive_lost(&r);
	assert_true(r.proc.pid > 0);
	assert_int_not_equal(r.proc.pid, first);
	assert_int_equal(kill(first, 0), -1);
	assert_int_equal(r.restarts, 1);
	revive_stop(&r, 1000, &st);
	loop_free(l);
}

static void test_stop_without_process(void **state)
{
	struct kept k = {.fail = 1};
	struct loop *l;
	struct revive r;
	int st = -1;

	(void)state;
	assert_int_equal(loop_new(&l), 0);
	revive_init(&r, l, &kept_ops, &k);
	/* stopping one that never ran, or that waits for a retry, releases it all */
	revive_stop(&r, 100, &st);
	assert_int_equal(st, 0);
	loop_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_restart_until_budget),
		cmocka_unit_test(test_failed_starts_are_retried),
		cmocka_unit_test(test_stuck_is_killed_and_replaced),
		cmocka_unit_test(test_stop_without_process),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

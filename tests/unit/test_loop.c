/* test_loop.c - unit tests for the event loop: fd callbacks, removal in dispatch, timers, hooks */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "loop.h"

struct pair {
	struct loop_fd lfd;
	int calls;
	struct pair *victim;
};

static void read_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct pair *p = lfd->data;
	char c;

	assert_true(events & EPOLLIN);
	assert_int_equal(read(lfd->fd, &c, 1), 1);
	p->calls++;
	if (p->victim) {
		/* removing another registration must drop its pending event */
		loop_del(l, &p->victim->lfd);
		p->victim = NULL;
	}
}

static void test_fd_and_removal(void **state)
{
	struct loop *l;
	int a[2], b[2];
	struct pair pa = {0}, pb = {0};

	(void)state;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(pipe(a), 0);
	assert_int_equal(pipe(b), 0);
	pa.lfd = (struct loop_fd){.fd = a[0], .cb = read_cb, .data = &pa};
	pb.lfd = (struct loop_fd){.fd = b[0], .cb = read_cb, .data = &pb};
	assert_int_equal(loop_add(l, &pa.lfd, EPOLLIN), 0);
	assert_int_equal(loop_add(l, &pb.lfd, EPOLLIN), 0);
	pa.victim = &pb;
	pb.victim = &pa;
	assert_int_equal(write(a[1], "x", 1), 1);
	assert_int_equal(write(b[1], "x", 1), 1);
	assert_int_equal(loop_run_once(l, 1000), 0);
	/* exactly one ran: the first one removed the other before its event was dispatched */
	assert_int_equal(pa.calls + pb.calls, 1);
	loop_free(l);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
}

static void timer_cb(struct loop *l, struct loop_timer *t)
{
	int *n = t->data;

	if (++*n < 3)
		loop_timer_arm(l, t, loop_now_ns() + 1000000);
	else
		loop_quit(l, 42);
}

static void test_timer_rearm_and_quit(void **state)
{
	struct loop *l;
	struct loop_timer t = {.cb = timer_cb};
	int n = 0;
	uint64_t start = loop_now_ns();

	(void)state;
	t.data = &n;
	assert_int_equal(loop_new(&l), 0);
	loop_timer_arm(l, &t, loop_now_ns() + 1000000);
	assert_int_equal(loop_run(l), 42);
	assert_int_equal(n, 3);
	assert_true(loop_now_ns() - start >= 3000000);
	loop_free(l);
}

static void test_timer_disarm(void **state)
{
	struct loop *l;
	struct loop_timer t = {.cb = timer_cb};
	int n = 0;

	(void)state;
	t.data = &n;
	assert_int_equal(loop_new(&l), 0);
	loop_timer_arm(l, &t, loop_now_ns());
	loop_timer_disarm(l, &t);
	assert_int_equal(loop_run_once(l, 5), 0);
	assert_int_equal(n, 0);
	loop_free(l);
}

struct hookst {
	int fd;
	int idx;
	int prepared;
	int seen;
};

static void hook_prepare(struct loop *l, struct loop_pollset *ps, int *timeout, void *data)
{
	struct hookst *h = data;

	h->prepared++;
	h->idx = loop_pollset_add(ps, h->fd, POLLIN);
	assert_true(h->idx > 0); /* 0 is the epoll fd */
}

static void hook_dispatch(struct loop *l, struct loop_pollset *ps, bool error, void *data)
{
	struct hookst *h = data;

	assert_false(error);
	if (loop_pollset_revents(ps, h->idx) & POLLIN)
		h->seen++;
}

static void test_hook_and_epoll_together(void **state)
{
	struct loop *l;
	int a[2], b[2];
	struct pair pa = {0};
	struct hookst h = {0};
	struct loop_hook hook = {.prepare = hook_prepare, .dispatch = hook_dispatch, .data = &h};

	(void)state;
	assert_int_equal(loop_new(&l), 0);
	assert_int_equal(pipe(a), 0);
	assert_int_equal(pipe(b), 0);
	h.fd = b[0];
	pa.lfd = (struct loop_fd){.fd = a[0], .cb = read_cb, .data = &pa};
	assert_int_equal(loop_add(l, &pa.lfd, EPOLLIN), 0);
	assert_int_equal(loop_set_hook(l, &hook), 0);
	assert_int_equal(loop_set_hook(l, &hook), -EBUSY);
	assert_int_equal(write(a[1], "x", 1), 1);
	assert_int_equal(write(b[1], "x", 1), 1);
	assert_int_equal(loop_run_once(l, 1000), 0);
	assert_int_equal(pa.calls, 1);
	assert_int_equal(h.seen, 1);
	/* nothing ready: the timeout bounds the sleep and nothing is reported */
	assert_int_equal(read(b[0], (char[1]){0}, 1), 1);
	assert_int_equal(loop_run_once(l, 5), 0);
	assert_int_equal(pa.calls, 1);
	assert_int_equal(h.seen, 1);
	assert_int_equal(h.prepared, 2);
	loop_free(l);
	close(a[0]), close(a[1]), close(b[0]), close(b[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fd_and_removal),
		cmocka_unit_test(test_timer_rearm_and_quit),
		cmocka_unit_test(test_timer_disarm),
		cmocka_unit_test(test_hook_and_epoll_together),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

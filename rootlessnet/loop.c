/* loop.c - the one event loop: epoll fds with callbacks, timers, and poll hooks (libslirp) */
/**
 * DOC: Theory of operation
 *
 * Everything the parent does after start-up runs in this loop, in one thread: the tap and
 * libslirp, the API socket, port listeners and spliced connections, signals (signalfd) and
 * timers. Nothing in it may block: every fd is non-blocking and callbacks do bounded work.
 *
 * Long-lived fds sit in an epoll set; each registration points at a &struct loop_fd that
 * its owner embeds, and the callback is called with the events that fired.
 *
 * libslirp wants poll(2)-style fds that it recomputes on every iteration. A hook (at most
 * one) adds them to a &struct loop_pollset on each iteration, and the epoll fd itself is
 * added as entry 0: the loop then sleeps in a single poll(2) over both, and drains epoll
 * without waiting when entry 0 is readable. Without a hook the loop sleeps in epoll_wait().
 *
 * Timers are a short unsorted list (a handful exist: libslirp's, the UDP flow reaper):
 * the nearest deadline bounds the sleep, expired ones run after fd callbacks.
 *
 * An fd removed during dispatch may still have an event queued in the same batch: loop_del()
 * records it and those events are skipped; memory that such an event could point at is
 * released with loop_free_later(), at the end of the iteration.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"

#define LOOP_EVENTS   64
#define LOOP_DEAD_MAX 256

/**
 * struct loop_pollset - poll(2) array rebuilt on every iteration
 * @fds:	entries; entry 0 is the epoll fd
 * @n:		entries used
 * @cap:	entries allocated
 */
struct loop_pollset {
	struct pollfd *fds;
	int n;
	int cap;
};

/**
 * struct loop - loop state
 * @epfd:	epoll instance
 * @timers:	armed timers
 * @hook:	poll hook, if set
 * @has_hook:	@hook is valid
 * @ps:		poll set used with a hook
 * @dead:	fds removed during the current dispatch
 * @n_dead:	entries in @dead
 * @later:	pointers to free at the end of the iteration
 * @n_later:	entries in @later
 * @cap_later:	allocated entries in @later
 * @quit:	loop_quit() was called
 * @code:	exit code passed to loop_quit()
 */
struct loop {
	int epfd;
	struct loop_timer *timers;
	struct loop_hook hook;
	bool has_hook;
	struct loop_pollset ps;
	struct loop_fd *dead[LOOP_DEAD_MAX];
	int n_dead;
	void **later;
	int n_later;
	int cap_later;
	bool quit;
	int code;
};

/**
 * loop_new() - Create a loop
 * @out:	the new loop
 *
 * Return: 0 or -errno
 */
int loop_new(struct loop **out)
{
	struct loop *l = calloc(1, sizeof(*l));

	if (!l)
		return -ENOMEM;
	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		int ret = -errno;

		free(l);
		return ret;
	}
	*out = l;
	return 0;
}

/**
 * loop_run_later() - Free what loop_free_later() collected
 * @l:		loop
 *
 * Return: nothing
 */
static void loop_run_later(struct loop *l)
{
	for (int i = 0; i < l->n_later; i++)
		free(l->later[i]);
	l->n_later = 0;
}

/**
 * loop_free() - Destroy a loop; registered fds are not closed
 * @l:		loop, may be NULL
 *
 * Return: nothing
 */
void loop_free(struct loop *l)
{
	if (!l)
		return;
	loop_run_later(l);
	free(l->later);
	free(l->ps.fds);
	close(l->epfd);
	free(l);
}

/**
 * loop_add() - Watch an fd
 * @l:		loop
 * @lfd:	registration, with fd and cb set; must stay valid until loop_del()
 * @events:	EPOLLIN, EPOLLOUT, ...
 *
 * Return: 0 or -errno
 */
int loop_add(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = lfd};

	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, lfd->fd, &ev) < 0)
		return -errno;
	return 0;
}

/**
 * loop_mod() - Change the events watched on an fd
 * @l:		loop
 * @lfd:	registration
 * @events:	new event mask
 *
 * Return: 0 or -errno
 */
int loop_mod(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct epoll_event ev = {.events = events, .data.ptr = lfd};

	if (epoll_ctl(l->epfd, EPOLL_CTL_MOD, lfd->fd, &ev) < 0)
		return -errno;
	return 0;
}

/**
 * loop_del() - Stop watching an fd; pending events for it in this batch are dropped
 * @l:		loop
 * @lfd:	registration; free its memory with loop_free_later() if the fd is closed now
 *
 * Return: 0 or -errno
 */
int loop_del(struct loop *l, struct loop_fd *lfd)
{
	int ret = 0;

	if (epoll_ctl(l->epfd, EPOLL_CTL_DEL, lfd->fd, NULL) < 0)
		ret = -errno;
	if (l->n_dead < LOOP_DEAD_MAX)
		l->dead[l->n_dead++] = lfd;
	return ret;
}

/**
 * loop_free_later() - free(@ptr) at the end of this iteration
 * @l:		loop
 * @ptr:	heap pointer, may be NULL
 *
 * Return: nothing (frees at once if memory for the list cannot be had)
 */
void loop_free_later(struct loop *l, void *ptr)
{
	if (!ptr)
		return;
	if (l->n_later == l->cap_later) {
		int cap = l->cap_later ? l->cap_later * 2 : 32;
		void **n = realloc(l->later, cap * sizeof(*n));

		if (!n) {
			/* dead-list skipping still protects this batch up to its size */
			free(ptr);
			return;
		}
		l->later = n;
		l->cap_later = cap;
	}
	l->later[l->n_later++] = ptr;
}

/**
 * loop_now_ns() - Monotonic clock
 *
 * Return: CLOCK_MONOTONIC in nanoseconds
 */
uint64_t loop_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/**
 * loop_timer_disarm() - Cancel a timer
 * @l:		loop
 * @t:		timer, armed or not
 *
 * Return: nothing
 */
void loop_timer_disarm(struct loop *l, struct loop_timer *t)
{
	struct loop_timer **pp;

	t->deadline_ns = 0;
	if (!t->linked)
		return;
	for (pp = &l->timers; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->linked = false;
	t->next = NULL;
}

/**
 * loop_timer_arm() - Arm or re-arm a timer
 * @l:		loop
 * @t:		timer with cb set
 * @deadline_ns: loop_now_ns() based deadline
 *
 * Return: nothing
 */
void loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t deadline_ns)
{
	if (!deadline_ns)
		deadline_ns = 1;
	t->deadline_ns = deadline_ns;
	if (!t->linked) {
		t->next = l->timers;
		l->timers = t;
		t->linked = true;
	}
}

/**
 * loop_set_hook() - Install the poll hook (libslirp)
 * @l:		loop
 * @hook:	callbacks, copied; NULL removes the hook
 *
 * Return: 0, or -EBUSY if a hook is already set
 */
int loop_set_hook(struct loop *l, const struct loop_hook *hook)
{
	if (!hook) {
		l->has_hook = false;
		return 0;
	}
	if (l->has_hook)
		return -EBUSY;
	l->hook = *hook;
	l->has_hook = true;
	return 0;
}

/**
 * loop_pollset_add() - Add a poll(2) entry for this iteration
 * @ps:		poll set passed to the hook's prepare
 * @fd:		file descriptor
 * @events:	POLLIN, POLLOUT, ...
 *
 * Return: index to pass to loop_pollset_revents(), or -ENOMEM
 */
int loop_pollset_add(struct loop_pollset *ps, int fd, short events)
{
	if (ps->n == ps->cap) {
		int cap = ps->cap ? ps->cap * 2 : 64;
		struct pollfd *n = realloc(ps->fds, cap * sizeof(*n));

		if (!n)
			return -ENOMEM;
		ps->fds = n;
		ps->cap = cap;
	}
	ps->fds[ps->n] = (struct pollfd){.fd = fd, .events = events};
	return ps->n++;
}

/**
 * loop_pollset_revents() - Events returned for an entry
 * @ps:		poll set passed to the hook's dispatch
 * @idx:	index from loop_pollset_add()
 *
 * Return: revents, 0 for a bad index
 */
short loop_pollset_revents(const struct loop_pollset *ps, int idx)
{
	if (idx < 0 || idx >= ps->n)
		return 0;
	return ps->fds[idx].revents;
}

/**
 * loop_timeout() - Milliseconds until the nearest timer, bounded by a maximum
 * @l:		loop
 * @max_ms:	upper bound, -1 for none
 *
 * Return: timeout for poll/epoll_wait, -1 for none
 */
static int loop_timeout(struct loop *l, int max_ms)
{
	uint64_t now = loop_now_ns(), min = UINT64_MAX;
	int ms;

	for (struct loop_timer *t = l->timers; t; t = t->next)
		if (t->deadline_ns < min)
			min = t->deadline_ns;
	if (min == UINT64_MAX)
		return max_ms;
	if (min <= now)
		return 0;
	if ((min - now) / 1000000ULL >= (uint64_t)INT32_MAX)
		ms = INT32_MAX;
	else
		ms = (int)((min - now + 999999ULL) / 1000000ULL);
	if (max_ms >= 0 && ms > max_ms)
		ms = max_ms;
	return ms;
}

/**
 * loop_is_dead() - Tell whether a registration was removed during this batch
 * @l:		loop
 * @lfd:	registration
 *
 * Return: true if events for it must be dropped
 */
static bool loop_is_dead(const struct loop *l, const struct loop_fd *lfd)
{
	for (int i = 0; i < l->n_dead; i++)
		if (l->dead[i] == lfd)
			return true;
	return false;
}

/**
 * loop_dispatch_epoll() - Collect epoll events and call their callbacks
 * @l:		loop
 * @timeout_ms:	epoll_wait timeout
 *
 * Return: 0 or -errno from epoll_wait (EINTR is not an error)
 */
static int loop_dispatch_epoll(struct loop *l, int timeout_ms)
{
	struct epoll_event ev[LOOP_EVENTS];
	int n = epoll_wait(l->epfd, ev, LOOP_EVENTS, timeout_ms);

	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	l->n_dead = 0;
	for (int i = 0; i < n; i++) {
		struct loop_fd *lfd = ev[i].data.ptr;

		if (loop_is_dead(l, lfd))
			continue;
		lfd->cb(l, lfd, ev[i].events);
	}
	l->n_dead = 0;
	return 0;
}

/**
 * loop_run_timers() - Run the callbacks of expired timers
 * @l:		loop
 *
 * Return: nothing
 */
static void loop_run_timers(struct loop *l)
{
	uint64_t now = loop_now_ns();
	bool again = true;

	/* a callback may re-arm or disarm any timer: rescan after each one */
	while (again) {
		again = false;
		for (struct loop_timer *t = l->timers; t; t = t->next) {
			if (t->deadline_ns && t->deadline_ns <= now) {
				loop_timer_disarm(l, t);
				t->cb(l, t);
				again = true;
				break;
			}
		}
	}
}

/**
 * loop_run_once() - One iteration: wait, dispatch fds, hook and timers
 * @l:		loop
 * @max_timeout_ms: longest sleep, -1 for no bound
 *
 * Return: 0 or -errno
 */
int loop_run_once(struct loop *l, int max_timeout_ms)
{
	int timeout = loop_timeout(l, max_timeout_ms), ret = 0;

	if (!l->has_hook) {
		ret = loop_dispatch_epoll(l, timeout);
	} else {
		struct loop_pollset *ps = &l->ps;
		bool error = false;
		int n;

		ps->n = 0;
		if (loop_pollset_add(ps, l->epfd, POLLIN) < 0)
			return -ENOMEM;
		l->hook.prepare(l, ps, &timeout, l->hook.data);
		n = poll(ps->fds, ps->n, timeout);
		if (n < 0) {
			if (errno != EINTR)
				ret = -errno;
			error = true;
			for (int i = 0; i < ps->n; i++)
				ps->fds[i].revents = 0;
		}
		if (!error && (ps->fds[0].revents & POLLIN))
			ret = loop_dispatch_epoll(l, 0);
		l->hook.dispatch(l, ps, error, l->hook.data);
	}
	loop_run_timers(l);
	loop_run_later(l);
	return ret;
}

/**
 * loop_run() - Iterate until loop_quit()
 * @l:		loop
 *
 * Return: the code given to loop_quit(), or -errno if waiting failed
 */
int loop_run(struct loop *l)
{
	while (!l->quit) {
		int ret = loop_run_once(l, -1);

		if (ret < 0) {
			err_errno(ret, "event loop");
			return ret;
		}
	}
	return l->code;
}

/**
 * loop_quit() - Make loop_run() return after the current iteration
 * @l:		loop
 * @code:	value loop_run() returns
 *
 * Return: nothing
 */
void loop_quit(struct loop *l, int code)
{
	l->quit = true;
	l->code = code;
}

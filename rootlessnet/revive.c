/* revive.c - one helper process kept running from the event loop: watched, replaced, budgeted */
/**
 * DOC: Theory of operation
 *
 * The network process (net.c) and the port driver's helper in the namespace (nshelper.c)
 * must outlive anything that kills them: the daemon runs for weeks. Each is a helper.c
 * process that its module starts first itself, where a failure fails the start-up, and then
 * hands to revive_watch(): its pidfd goes into the parent's loop.
 *
 * When the pidfd says it exited, or its module finds it stuck (revive_lost(): no answer
 * within the module's bound), the process is reaped, killed first if it has not exited
 * within @reap_ms, and its end is logged once with its cause. A new one is started at once
 * through ops->start(), within the restart budget (helper.c: HELPER_RESTARTS a minute).
 * Past the budget, or when the start fails (no descriptors left, a namespace gone), one
 * message says what is lost and when the next try is, and a timer makes that try: a crash
 * loop costs a few starts a minute, never a busy loop, and start failures are rate-limited
 * in the log. While there is none, proc.pid is 0, which the modules report (the API refuses
 * new ports, forwards fail with -ENETDOWN).
 */
#include "config.h"

#include <errno.h>
#include <sys/epoll.h>

#include "error.h"
#include "helper.h"
#include "log.h"
#include "loop.h"
#include "revive.h"

static void revive_now(struct revive *r);

/**
 * revive_dead_cb() - Loop callback: the pidfd is readable, the process exited
 * @l:		loop
 * @lfd:	the pidfd registration
 * @events:	epoll events
 *
 * Return: nothing
 */
static void revive_dead_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	(void)l;
	(void)events;
	revive_lost(lfd->data);
}

/**
 * revive_retry_cb() - Timer: the budget allows a start now, or a failed one is tried again
 * @l:		loop
 * @t:		the retry timer
 *
 * Return: nothing
 */
static void revive_retry_cb(struct loop *l, struct loop_timer *t)
{
	struct revive *r = t->data;

	(void)l;
	if (!r->proc.pid)
		revive_now(r);
}

/**
 * revive_init() - Prepare a kept process, with none running yet
 * @r:		state, owned by the caller
 * @l:		loop that watches it
 * @ops:	what it is and how a new one starts (static)
 * @data:	for @ops' callbacks
 *
 * Return: nothing
 */
void revive_init(struct revive *r, struct loop *l, const struct revive_ops *ops, void *data)
{
	*r = (struct revive){
		.ops = ops,
		.data = data,
		.l = l,
		.proc = HELPER_INIT,
		.dead = {.fd = -1, .cb = revive_dead_cb, .data = r},
		.retry = {.cb = revive_retry_cb, .data = r},
	};
}

/**
 * revive_watch() - Watch the process in @r->proc: from now on it is replaced when it dies
 * @r:		state with a process
 *
 * Return: 0, or -errno (the process is then stopped and released)
 */
int revive_watch(struct revive *r)
{
	int ret, st;

	r->dead.fd = r->proc.pidfd;
	ret = loop_add(r->l, &r->dead, EPOLLIN);
	if (ret) {
		r->dead.fd = -1;
		helper_stop(&r->proc, 0, &st);
	}
	return ret;
}

/**
 * revive_now() - Start a new process if the budget allows, else schedule the start
 * @r:		state without a process
 *
 * Return: nothing
 */
static void revive_now(struct revive *r)
{
	const struct revive_ops *o = r->ops;
	uint64_t now = loop_now_ns(), when = helper_budget_take(&r->budget, now);
	struct error e = {0};

	if (when) {
		err("%s died %d times in %d s: %s until a new one starts in %llu s", o->what,
		    HELPER_RESTARTS, HELPER_RESTART_WINDOW_S, o->without,
		    (unsigned long long)((when - now) / 1000000000ULL + 1));
		loop_timer_arm(r->l, &r->retry, when);
		return;
	}
	if (o->start(r->data, &r->proc, &e) || revive_watch(r)) {
		char why[ERROR_MSGLEN];

		if (!e.errnum)
			error_errno(&e, -EIO, "cannot watch it");
		err_limited("%s: cannot start a new one: %s; %s: trying again in %u ms", o->what,
			    error_str(&e, why, sizeof(why)), o->without, o->retry_ms);
		loop_timer_arm(r->l, &r->retry, now + o->retry_ms * 1000000ULL);
		return;
	}
	r->restarts++;
	info("%s: a new one runs (pid %d, restart %lu)%s%s", o->what, (int)r->proc.pid, r->restarts,
	     o->after ? ": " : "", o->after ? o->after : "");
	if (o->started)
		o->started(r->data);
}

/**
 * revive_lost() - The process is gone or stuck: reap it (killing it if need be), say how it
 *		   ended, and start another
 * @r:		state with a process
 *
 * Return: nothing
 */
void revive_lost(struct revive *r)
{
	const struct revive_ops *o = r->ops;
	pid_t pid = r->proc.pid;
	int st;

	if (r->dead.fd >= 0) {
		loop_del(r->l, &r->dead);
		r->dead.fd = -1;
	}
	if (helper_reap(&r->proc, o->reap_ms, &st) == 1) {
		warn("%s (pid %d) stopped answering: killed it; starting a new one", o->what,
		     (int)pid);
	} else {
		char how[128];

		warn("%s (pid %d) %s%s; starting a new one", o->what, (int)pid,
		     helper_status_str(st, how, sizeof(how)), o->hint ? o->hint(st) : "");
	}
	revive_now(r);
}

/**
 * revive_stop() - Stop for good: no more watching, no restart, the process told to finish
 * @r:		state, with or without a process
 * @timeout_ms:	how long it may take to exit, then it is killed
 * @status:	its wait status (0 if there was none)
 *
 * Return: nothing
 */
void revive_stop(struct revive *r, int timeout_ms, int *status)
{
	*status = 0;
	loop_timer_disarm(r->l, &r->retry);
	if (r->dead.fd >= 0) {
		loop_del(r->l, &r->dead);
		r->dead.fd = -1;
	}
	helper_stop(&r->proc, timeout_ms, status);
}

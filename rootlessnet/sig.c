/* sig.c - passing every catchable signal on to the command, through signalfd */
/**
 * DOC: Theory of operation
 *
 * systemd and shells signal the top process (SIGTERM, SIGHUP, SIGINT, SIGUSR1, ...); the
 * command must get them. Every signal that can be caught, except SIGCHLD and the
 * synchronous fault signals (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, which must
 * stay deadly to the process that faults), is blocked before the child is cloned, so that
 * nothing is lost or acted upon during start-up, and read from a signalfd: in the parent
 * inside the event loop (sig_start()), in the child by the reaper. Each one is sent on
 * with kill(2) to the next process down: parent -> child -> command.
 *
 * A signal the process sent itself (SI_USER from its own pid, such as SIGPIPE raised by a
 * write to a closed socket when the writer forgot MSG_NOSIGNAL) is not passed on.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "log.h"
#include "loop.h"
#include "sig.h"

/**
 * struct sig - the parent's signal relay
 * @lfd:	signalfd registration in the loop
 * @target:	where signals go (the child)
 */
struct sig {
	struct loop_fd lfd;
	pid_t target;
};

/* the mask from before sig_block(): what processes we fork and exec must start with */
static sigset_t sig_orig_mask;

/**
 * sig_forward_set() - The signals that are passed on
 * @set:	filled in
 *
 * Return: nothing
 */
void sig_forward_set(sigset_t *set)
{
	sigfillset(set);
	sigdelset(set, SIGKILL);
	sigdelset(set, SIGSTOP);
	sigdelset(set, SIGCHLD);
	sigdelset(set, SIGSEGV);
	sigdelset(set, SIGBUS);
	sigdelset(set, SIGILL);
	sigdelset(set, SIGFPE);
	sigdelset(set, SIGTRAP);
	sigdelset(set, SIGSYS);
}

/**
 * sig_block() - Block the signals that are passed on
 * @old:	the previous mask, for processes we exec (may be NULL: see sig_original_mask())
 *
 * Return: 0 or -errno
 */
int sig_block(sigset_t *old)
{
	sigset_t set;

	sig_forward_set(&set);
	if (sigprocmask(SIG_BLOCK, &set, &sig_orig_mask) < 0)
		return -errno;
	if (old)
		*old = sig_orig_mask;
	return 0;
}

/**
 * sig_original_mask() - The signal mask from before sig_block()
 *
 * A process that the parent forks and execs (a helper) must set this mask first
 * (sigprocmask(SIG_SETMASK, sig_original_mask(), NULL)), or it starts with the forwarded
 * signals blocked.
 *
 * Return: the mask (empty before sig_block() ran)
 */
const sigset_t *sig_original_mask(void)
{
	return &sig_orig_mask;
}

/**
 * sig_fd_open() - A signalfd for the signals that are passed on (already blocked)
 *
 * Return: non-blocking close-on-exec fd, or -errno
 */
int sig_fd_open(void)
{
	sigset_t set;
	int fd;

	sig_forward_set(&set);
	fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/**
 * sig_relay() - Read pending signals and send each one on
 * @sfd:	signalfd from sig_fd_open()
 * @target:	process to signal; 0 to drop them (nobody to send to yet)
 * @last:	set to the last signal read, if not NULL
 *
 * Return: number of signals read, or -errno
 */
int sig_relay(int sfd, pid_t target, int *last)
{
	struct signalfd_siginfo si;
	pid_t self = getpid();
	int n = 0;

	for (;;) {
		ssize_t r = read(sfd, &si, sizeof(si));

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return n;
			return -errno;
		}
		if (r != sizeof(si))
			return -EIO;
		n++;
		if (last)
			*last = (int)si.ssi_signo;
		if (si.ssi_code == SI_USER && (pid_t)si.ssi_pid == self) {
			debug("dropping signal %u that this process raised itself", si.ssi_signo);
			continue;
		}
		if (target <= 0)
			continue;
		debug("passing signal %u (%s) from pid %u on to %ld", si.ssi_signo,
		      strsignal((int)si.ssi_signo), si.ssi_pid, (long)target);
		if (kill(target, (int)si.ssi_signo) < 0 && errno != ESRCH)
			warn_errno(errno, "cannot pass signal %u on to pid %ld", si.ssi_signo,
				   (long)target);
	}
}

/**
 * sig_cb() - Loop callback: pass pending signals on
 * @l:		loop
 * @lfd:	the signalfd registration
 * @events:	epoll events
 *
 * Return: nothing
 */
static void sig_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct sig *s = lfd->data;
	int ret;

	(void)l;
	(void)events;
	ret = sig_relay(lfd->fd, s->target, NULL);
	if (ret < 0)
		err_errno(ret, "reading signals");
}

/**
 * sig_start() - Pass signals on to @target from the event loop
 * @l:		loop
 * @target:	the child
 * @out:	relay state
 *
 * Return: 0 or -errno
 */
int sig_start(struct loop *l, pid_t target, struct sig **out)
{
	struct sig *s = calloc(1, sizeof(*s));
	int ret;

	if (!s)
		return -ENOMEM;
	s->target = target;
	s->lfd.fd = sig_fd_open();
	if (s->lfd.fd < 0) {
		ret = s->lfd.fd;
		free(s);
		return ret;
	}
	s->lfd.cb = sig_cb;
	s->lfd.data = s;
	ret = loop_add(l, &s->lfd, EPOLLIN);
	if (ret) {
		close(s->lfd.fd);
		free(s);
		return ret;
	}
	*out = s;
	return 0;
}

/**
 * sig_free() - Stop relaying signals (they stay blocked)
 * @l:		loop
 * @s:		relay state, may be NULL
 *
 * Return: nothing
 */
void sig_free(struct loop *l, struct sig *s)
{
	if (!s)
		return;
	loop_del(l, &s->lfd);
	close(s->lfd.fd);
	free(s);
}

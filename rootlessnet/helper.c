/* helper.c - helper processes: spawn into namespaces, fd passing, bounded waits, reaping */
/**
 * DOC: Theory of operation
 *
 * The parent has helper processes: the network process that runs libslirp (netproc.c), the
 * port driver's socket maker in the child's namespaces (nshelper.c), a one-shot maker of a
 * new tap when the network process is replaced (net.c); rootlessnet-docker-proxy runs
 * docker-proxy the same way (dproxy.c). What they share is here, done once:
 *
 * Spawning, helper_spawn(): a clone() child (with or without an exit signal) that
 *   - dies with its parent (PR_SET_PDEATHSIG) and exits at once if the parent died before
 *     that took effect (getppid() changed);
 *   - starts from a clean signal state: the mask asked for, every handler at its default,
 *     and, unless it is to exec a program, the terminal's signals ignored (^C is for the
 *     command) with SIGPIPE;
 *   - enters the child's user namespace, then its network namespace (setns(2): the user
 *     namespace first, since only there do we hold CAP_SYS_ADMIN over the network one;
 *     a freshly cloned process is single-threaded, as setns into a user namespace needs);
 *   - keeps stdio, its end of a SOCK_SEQPACKET socket pair and the fds asked for, and
 *     closes every other (close_range(2));
 *   - then runs the caller's function, whose return value is its exit status.
 *   The steps before the function report a failure on a close-on-exec status pipe, so that
 *   helper_spawn() returns why (a namespace that cannot be entered, ...) instead of a helper
 *   that vanished; it waits for that at most HELPER_SPAWN_TIMEOUT_MS. Each helper gets a
 *   pidfd: readable once it exited, for the owner's event loop, so a death is noticed at
 *   once whatever the helper was doing.
 *
 * Messages: helper_send() and helper_recv() carry one SEQPACKET record with up to
 *   HELPER_FDS_MAX descriptors (SCM_RIGHTS); a receive waits at most its timeout, and
 *   descriptors of a truncated or unwanted record are closed, never leaked.
 *
 * Ending: helper_reap() waits a bounded time, then kills (SIGKILL) and reaps, and tells how
 *   it ended (helper_status_str()); helper_stop() first closes the socket, which is how every
 *   helper is told to finish.
 *
 * Restarts: a helper that dies is replaced by its owner. helper_budget_take() bounds that to
 *   HELPER_RESTARTS in HELPER_RESTART_WINDOW_S and says when the next one is allowed, so
 *   that a helper killed over and over (an OOM loop, a packet that trips the seccomp filter)
 *   costs a few restarts a minute, not a loop of them.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helper.h"
#include "log.h"
#include "util.h"

/* most descriptors in one message */
#define HELPER_FDS_MAX 16
/* most fds a spec may keep */
#define HELPER_KEEP_MAX 8
/* how long helper_spawn() waits for the helper to be in its namespaces */
#define HELPER_SPAWN_TIMEOUT_MS 5000
/* the exit status of a helper whose set-up failed (the reason is on the status pipe) */
#define HELPER_EXIT_SETUP 125

/**
 * helper_now_ms() - CLOCK_MONOTONIC in milliseconds
 *
 * Return: milliseconds
 */
static uint64_t helper_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000ULL + (uint64_t)ts.tv_nsec / 1000000ULL;
}

/**
 * helper_wait_readable() - Wait until an fd is readable (or hung up), bounded
 * @fd:		file descriptor
 * @timeout_ms:	bound; negative waits without one
 *
 * Return: 0, -ETIMEDOUT, or -errno from poll(2)
 */
int helper_wait_readable(int fd, int timeout_ms)
{
	uint64_t deadline = helper_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int left = -1, n;

		if (timeout_ms >= 0) {
			uint64_t now = helper_now_ms();

			left = now >= deadline ? 0 : (int)(deadline - now);
		}
		n = poll(&p, 1, left);
		if (n > 0)
			return 0;
		if (n == 0)
			return -ETIMEDOUT;
		if (errno != EINTR)
			return -errno;
	}
}

/**
 * helper_close_fds() - Close every fd from 3 up but those in @keep
 * @keep:	fds to keep (any order; negative entries are ignored)
 * @n:		number of @keep
 *
 * Return: nothing
 */
static void helper_close_fds(const int *keep, size_t n)
{
	int k[HELPER_KEEP_MAX + 2];
	unsigned int from = 3;
	size_t m = 0;

	for (size_t i = 0; i < n && m < ARRAY_SIZE(k); i++)
		if (keep[i] >= 3)
			k[m++] = keep[i];
	/* a handful: insertion sort */
	for (size_t i = 1; i < m; i++)
		for (size_t j = i; j > 0 && k[j - 1] > k[j]; j--) {
			int t = k[j];

			k[j] = k[j - 1];
			k[j - 1] = t;
		}
	for (size_t i = 0; i < m; i++) {
		if ((unsigned int)k[i] > from)
			close_range(from, (unsigned int)k[i] - 1, 0);
		from = (unsigned int)k[i] + 1;
	}
	close_range(from, ~0U, 0);
}

/**
 * helper_reset_signals() - A clean signal state for a new helper
 * @s:		spec
 *
 * Return: nothing
 */
static void helper_reset_signals(const struct helper_spec *s)
{
	static const int tty[] = {SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU, SIGHUP, SIGPIPE};
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			signal(sig, SIG_DFL);
	if (!s->keep_tty_signals)
		for (size_t i = 0; i < ARRAY_SIZE(tty); i++)
			signal(tty[i], SIG_IGN);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, s->mask ? s->mask : &none, NULL);
}

/**
 * helper_child() - The new helper: set up, then run the spec's function
 * @s:		spec
 * @sock:	its end of the socket pair, or -1
 * @status:	write end of the status pipe (close-on-exec)
 * @userns:	user namespace to enter, or -1
 * @netns:	network namespace to enter, or -1
 * @parent:	the parent's pid
 *
 * Return: does not return
 */
static void __attribute__((noreturn))
helper_child(const struct helper_spec *s, int sock, int status, int userns, int netns, pid_t parent)
{
	static char role[HELPER_NAME_MAX + 8];
	int keep[HELPER_KEEP_MAX + 2], error = 0;
	size_t n = 0;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(HELPER_EXIT_SETUP);
	helper_reset_signals(s);
	if (s->name) {
		/* "rootlessnet-ns" logs as [rootlessnet:ns] */
		snprintf(role, sizeof(role), "%s", s->name);
		for (char *p = role; *p; p++)
			if (*p == '-') {
				*p = ':';
				break;
			}
		log_set_role(role);
		prctl(PR_SET_NAME, s->name);
	}
	if (userns >= 0 && setns(userns, CLONE_NEWUSER) < 0)
		error = errno;
	if (!error && netns >= 0 && setns(netns, CLONE_NEWNET) < 0)
		error = errno;
	if (error) {
		if (write(status, &error, sizeof(error)) < 0) {
			/* the parent sees the exit status instead */
		}
		_exit(HELPER_EXIT_SETUP);
	}
	keep[n++] = sock;
	keep[n++] = status;
	for (size_t i = 0; i < s->n_keep && n < ARRAY_SIZE(keep); i++)
		keep[n++] = s->keep[i];
	helper_close_fds(keep, n);
	close(status);
	/*
	 * The heap is a copy of the parent's: its free chunks would be reused, and each page
	 * written copied, so a helper started late (a replacement) would carry the parent's
	 * free memory. Hand the free pages back first.
	 */
	malloc_trim(0);
	_exit(s->fn(sock, s->arg));
}

/**
 * helper_open_ns() - Open the namespace files of a spec
 * @ns:		namespaces
 * @userns:	the user namespace's fd
 * @netns:	the network namespace's fd
 *
 * Return: 0 or -errno (logged with the path)
 */
static int helper_open_ns(const struct helper_ns *ns, int *userns, int *netns)
{
	char path[4096];

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)ns->pid);
	*userns = open(path, O_RDONLY | O_CLOEXEC);
	if (*userns < 0)
		goto fail;
	if (ns->netns_path)
		snprintf(path, sizeof(path), "%s", ns->netns_path);
	else
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)ns->pid);
	*netns = open(path, O_RDONLY | O_CLOEXEC);
	if (*netns < 0)
		goto fail;
	return 0;
fail:
	err_errno(errno, "cannot open %s", path);
	return -errno;
}

/**
 * helper_setup_result() - Wait for the new helper to be set up, or to say why it failed
 * @h:		the helper
 * @status:	read end of its status pipe
 *
 * Return: 0, the helper's -errno, -ETIMEDOUT, or -ECHILD if it died without a reason
 */
static int helper_setup_result(struct helper *h, int status)
{
	int error = 0, ret;
	ssize_t n;

	ret = helper_wait_readable(status, HELPER_SPAWN_TIMEOUT_MS);
	if (ret)
		return ret;
	do
		n = read(status, &error, sizeof(error));
	while (n < 0 && errno == EINTR);
	if (n == 0)
		return 0; /* closed on the way into the spec's function */
	if (n == sizeof(error) && error > 0)
		return -error;
	return -ECHILD;
}

/**
 * helper_spawn() - Start a helper
 * @s:		what to start
 * @h:		filled in; on failure it holds nothing
 *
 * Return: 0 once the helper runs its function (in its namespaces), or -errno: opening the
 * namespaces, socketpair, clone, pidfd_open, or the helper's own failure to enter them
 */
int helper_spawn(const struct helper_spec *s, struct helper *h)
{
	cleanup_close int userns = -1, netns = -1, status_r = -1;
	int sv[2] = {-1, -1}, st[2], ret;
	pid_t parent = getpid();
	long pid;

	*h = (struct helper)HELPER_INIT;
	snprintf(h->name, sizeof(h->name), "%s", s->name ? s->name : "rootlessnet");
	h->no_sigchld = s->no_sigchld;
	if (s->n_keep > HELPER_KEEP_MAX)
		return -EINVAL;
	if (s->ns) {
		ret = helper_open_ns(s->ns, &userns, &netns);
		if (ret)
			return ret;
	}
	if (pipe2(st, O_CLOEXEC) < 0)
		return -errno;
	status_r = st[0];
	if (!s->no_socket && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ret = -errno;
		close(st[1]);
		return ret;
	}
	/* like fork(), with or without the exit signal */
	pid = syscall(SYS_clone, s->no_sigchld ? 0UL : (unsigned long)SIGCHLD, NULL, NULL, NULL,
		      NULL);
	if (pid == 0) {
		if (sv[0] >= 0)
			close(sv[0]);
		close(status_r);
		helper_child(s, sv[1], st[1], userns, netns, parent);
	}
	ret = pid < 0 ? -errno : 0;
	close(st[1]);
	if (sv[1] >= 0)
		close(sv[1]);
	if (ret) {
		if (sv[0] >= 0)
			close(sv[0]);
		return ret;
	}
	h->pid = (pid_t)pid;
	h->sock = sv[0];
	h->pidfd = (int)syscall(SYS_pidfd_open, h->pid, 0);
	ret = h->pidfd < 0 ? -errno : helper_setup_result(h, status_r);
	if (ret) {
		int wst;

		helper_stop(h, 0, &wst);
		return ret;
	}
	return 0;
}

/**
 * helper_reap() - Wait for a helper to exit, killing it after a bound; release it
 * @h:		helper; afterwards it holds nothing (pid 0, fds closed)
 * @timeout_ms:	how long it may take to exit by itself (0: kill it unless it already exited)
 * @status:	its wait status
 *
 * Return: 0 if it exited by itself, 1 if it had to be killed, -ECHILD if there was none
 */
int helper_reap(struct helper *h, int timeout_ms, int *status)
{
	/*
	 * __WALL: whatever its exit signal. A helper started without one (no_sigchld) gets
	 * SIGCHLD as exit signal if it execs, and __WCLONE would then no longer see it.
	 */
	int flags = __WALL, ret = 0;
	uint64_t deadline = helper_now_ms() + (uint64_t)(timeout_ms > 0 ? timeout_ms : 0);

	*status = 0;
	if (h->pid <= 0) {
		ret = -ECHILD;
		goto out;
	}
	for (;;) {
		pid_t r = waitpid(h->pid, status, flags | WNOHANG);
		uint64_t now;

		if (r == h->pid)
			goto out;
		if (r < 0 && errno != EINTR) {
			ret = -ECHILD;
			goto out;
		}
		now = helper_now_ms();
		if (r == 0 && now >= deadline)
			break;
		if (r == 0 && h->pidfd >= 0)
			helper_wait_readable(h->pidfd, (int)(deadline - now));
		else if (r == 0)
			nanosleep(&(struct timespec){.tv_nsec = 5000000}, NULL);
	}
	kill(h->pid, SIGKILL);
	while (waitpid(h->pid, status, flags) < 0)
		if (errno != EINTR)
			break;
	ret = 1;
out:
	if (h->sock >= 0)
		close(h->sock);
	if (h->pidfd >= 0)
		close(h->pidfd);
	h->sock = h->pidfd = -1;
	h->pid = 0;
	return ret;
}

/**
 * helper_disown() - Stop waiting for a helper that is exiting by itself
 * @h:		helper; its descriptors stay until helper_stop() or helper_reap() close them
 *		without waiting
 *
 * For a helper that said it is done and whose exit is only the kernel's work left (the
 * network process's tap teardown): it is not waited for, and whoever reaps our orphans
 * reaps it once we have exited.
 *
 * Return: nothing
 */
void helper_disown(struct helper *h)
{
	h->pid = 0;
}

/**
 * helper_stop() - Tell a helper to finish (close its socket), then reap it
 * @h:		helper, may hold nothing
 * @timeout_ms:	how long it may take, then it is killed
 * @status:	its wait status (0 if there was none)
 *
 * Return: nothing
 */
void helper_stop(struct helper *h, int timeout_ms, int *status)
{
	if (h->sock >= 0) {
		close(h->sock);
		h->sock = -1;
	}
	helper_reap(h, timeout_ms, status);
}

/**
 * helper_status_str() - Say how a process ended
 * @status:	wait status
 * @buf:	buffer
 * @len:	its size
 *
 * Return: @buf, a predicate: "exited with status N", "was killed by signal N (name)", or,
 * for SIGSYS, "was killed by its seccomp filter (a forbidden system call)"
 */
char *helper_status_str(int status, char *buf, size_t len)
{
	if (WIFEXITED(status))
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS)
		snprintf(buf, len, "was killed by its seccomp filter (a forbidden system call)");
	else if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d (%s)", WTERMSIG(status),
			 strsignal(WTERMSIG(status)));
	else
		snprintf(buf, len, "ended with wait status 0x%x", status);
	return buf;
}

/**
 * helper_send() - Send one record, with descriptors
 * @sock:	SOCK_SEQPACKET socket
 * @buf:	record
 * @len:	its length
 * @fds:	descriptors to pass (stay open here), or NULL
 * @n_fds:	how many, at most HELPER_FDS_MAX
 *
 * Return: 0 or -errno (-EINVAL for too many descriptors)
 */
int helper_send(int sock, const void *buf, size_t len, const int *fds, size_t n_fds)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * HELPER_FDS_MAX)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = (void *)buf, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (n_fds > HELPER_FDS_MAX)
		return -EINVAL;
	if (n_fds) {
		struct cmsghdr *cm;

		memset(&u, 0, sizeof(u));
		mh.msg_control = u.buf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * n_fds);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * n_fds);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * n_fds);
	}
	while (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/**
 * helper_recv() - Receive one record and the descriptors it carries, bounded
 * @sock:	SOCK_SEQPACKET socket
 * @buf:	record buffer
 * @len:	its size
 * @fds:	receives the descriptors (close-on-exec), or NULL for none wanted
 * @max_fds:	room in @fds; more are closed
 * @n_fds:	set to the number stored in @fds (may be NULL when @fds is)
 * @timeout_ms:	bound on the wait, negative for none
 *
 * Return: the record's length, 0 at end of file, -ETIMEDOUT, -EMSGSIZE for a record larger
 * than @len, -EMFILE when the descriptors it carried could not all be received (they and
 * the record are dropped), or -errno
 */
ssize_t helper_recv(int sock, void *buf, size_t len, int *fds, size_t max_fds, size_t *n_fds,
		    int timeout_ms)
{
	union {
		char buf[CMSG_SPACE(sizeof(int) * HELPER_FDS_MAX)];
		struct cmsghdr align;
	} u;
	struct iovec iov = {.iov_base = buf, .iov_len = len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	size_t got = 0;
	ssize_t n;
	int ret;

	if (n_fds)
		*n_fds = 0;
	ret = helper_wait_readable(sock, timeout_ms);
	if (ret)
		return ret;
	memset(&u, 0, sizeof(u));
	mh.msg_control = u.buf;
	mh.msg_controllen = sizeof(u.buf);
	do
		n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC | MSG_DONTWAIT);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t k;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (fds && got < max_fds)
				fds[got++] = fd;
			else
				close(fd);
		}
	}
	if (mh.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		while (got)
			close(fds[--got]);
		/* descriptors that could not be installed: our table is full */
		return (mh.msg_flags & MSG_TRUNC) ? -EMSGSIZE : -EMFILE;
	}
	if (n_fds)
		*n_fds = got;
	return n;
}

/**
 * helper_budget_take() - Take one restart from the budget if the window allows it
 * @b:		budget of one helper
 * @now_ns:	CLOCK_MONOTONIC now
 *
 * Return: 0 when the restart may happen now (it is counted), else the time (ns) at which the
 * oldest restart in the window leaves it
 */
uint64_t helper_budget_take(struct helper_budget *b, uint64_t now_ns)
{
	const uint64_t window = (uint64_t)HELPER_RESTART_WINDOW_S * 1000000000ULL;

	if (b->n == HELPER_RESTARTS) {
		/* the ring is full: the next slot holds the oldest restart */
		uint64_t until = b->at[b->next] + window;

		if (now_ns < until)
			return until;
	} else {
		b->n++;
	}
	b->at[b->next] = now_ns;
	b->next = (b->next + 1) % HELPER_RESTARTS;
	return 0;
}

/**
 * helper_budget_used() - Restarts in the window that ends now
 * @b:		budget
 * @now_ns:	CLOCK_MONOTONIC now
 *
 * Return: the count, 0..HELPER_RESTARTS
 */
unsigned int helper_budget_used(const struct helper_budget *b, uint64_t now_ns)
{
	const uint64_t window = (uint64_t)HELPER_RESTART_WINDOW_S * 1000000000ULL;
	unsigned int used = 0;

	for (unsigned int i = 0; i < b->n; i++)
		if (b->at[i] + window > now_ns)
			used++;
	return used;
}

/* netproc.c - the sandboxed network process: runs libslirp, answers host-forward requests */
/**
 * DOC: Theory of operation
 *
 * libslirp runs in a process of its own, forked by the parent in net_parent_start(), not
 * in the parent itself. The parent keeps doing work a sandbox would break: it creates the
 * API socket in the state directory, spawns the builtin port driver's helper, reads
 * /proc/CHILD, waits for the command. The network process needs none of that, so it can
 * be confined the way slirp4netns confines itself (sandbox.c, sysfilter.c) without taking
 * the rest of rootlessnet with it. It stays in the host network namespace, so libslirp's
 * sockets are host sockets.
 *
 * Lifetime: it is a helper process (helper.c), a clone() child without an exit signal, so a
 * waitpid(-1) in the parent (the command's exit handling) never reaps it by mistake;
 * helper_reap() does, with __WALL. It dies with the parent (PR_SET_PDEATHSIG) and exits
 * when the control socket reaches end of file, which is how net_free() stops it: first it
 * keeps forwarding until
 * libslirp has delivered everything (bounded), so that what the command sent just before
 * it exited still reaches its peer (rootlesskit stops slirp4netns at once, and that data is
 * lost). Then it says DONE (net_free() shuts down only its own sending side, so the answer
 * can come back: netproc_finish()) and exits. What is left after DONE is the kernel's
 * teardown of the tap when its last descriptor closes (about 20 ms of RCU grace periods),
 * which the parent does not wait for. It keeps only stdio, the tap and the control socket: every other inherited fd is
 * closed before anything else. When it dies otherwise, the parent replaces it (net.c).
 *
 * Start-up (before the parent's loop runs, and again from the loop when it is replaced):
 *   parent                                  network process
 *   socketpair(SEQPACKET) "ctl"; clone -->  PDEATHSIG, close stray fds, name itself
 *                                           sandbox (auto|true|false): own user+mount ns,
 *                                           pivot_root, caps, no_new_privs
 *                                           libslirp on the tap, in its own loop
 *                                           seccomp filter (auto|true|false)
 *   netproc_wait_ready() <----------------  READY {ret}: 0, or why it failed
 *
 * Then the control socket carries host-forward requests (&struct netproc_req, one
 * SEQPACKET message each) and their responses. netproc_call() is synchronous and bounded by
 * a timeout; the network process answers from its loop at once (adding a listener is one
 * bind and listen), so a call made from the parent's loop does not stall it noticeably.
 * Requests carry a sequence number so a late answer to a timed-out call is discarded.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "error.h"
#include "helper.h"
#include "log.h"
#include "loop.h"
#include "netproc.h"
#include "orphan.h"
#include "sandbox.h"
#include "sysfilter.h"
#include "util.h"

/* requests handled per wake-up of the control socket */
#define NETPROC_REQ_BATCH 16
/* stale responses skipped while waiting for ours */
#define NETPROC_STALE_MAX 64
/* after the parent let go: check for what is in flight after FIRST, then at doubling
 * intervals up to EVERY, until nothing is or the bound passed */
#define NETPROC_DRAIN_FIRST_US 500
#define NETPROC_DRAIN_EVERY_MS 32
#define NETPROC_DRAIN_MAX_MS   3000
/* allocations from this size on get their own mapping (see netproc_malloc_policy()) */
#define NETPROC_MMAP_THRESHOLD (32 * 1024)
#define NETPROC_TRIM_THRESHOLD (64 * 1024)
/* how often freed heap memory inside the heap is handed back, after traffic */
#define NETPROC_TRIM_S	   10
#define NETPROC_TRIM_QUIET 3

/**
 * struct netproc - the network process's own state
 * @l:		its loop
 * @un:		the stack
 * @ctl:	control socket registration
 * @drain:	timer checking whether anything is still in flight, once the parent let go
 * @drain_end:	deadline of the drain
 * @drain_step: interval to the next drain check, in microseconds
 * @trim:	hands freed heap memory back now and then (netproc_trim_cb())
 * @trim_frames: rx + tx frames at the last trim
 * @quiet_trims: trims since frames last passed
 * @diag:	the namespace's NETLINK_SOCK_DIAG socket (orphan.c), or -1
 * @orphans:	connections in CLOSE_WAIT at the last sweep (they are looked at again)
 */
struct netproc {
	struct loop *l;
	struct usernet *un;
	struct loop_fd ctl;
	struct loop_timer drain;
	uint64_t drain_end;
	uint64_t drain_step;
	struct loop_timer trim;
	uint64_t trim_frames;
	unsigned int quiet_trims;
	int diag;
	int orphans;
};

/**
 * netproc_sa_check() - Check a socket address from a request
 * @ss:		address
 * @len:	claimed length
 *
 * Return: 0, -EINVAL for a bad length, -EAFNOSUPPORT for a family other than IPv4/IPv6
 */
static int netproc_sa_check(const struct sockaddr_storage *ss, uint32_t len)
{
	if (ss->ss_family == AF_INET)
		return len == sizeof(struct sockaddr_in) ? 0 : -EINVAL;
	if (ss->ss_family == AF_INET6)
		return len == sizeof(struct sockaddr_in6) ? 0 : -EINVAL;
	return -EAFNOSUPPORT;
}

/**
 * netproc_req_check() - Validate a request received on the control socket
 * @r:		request
 * @len:	bytes received
 *
 * Return: 0, -EINVAL for a bad size, op, flag or address length, -EAFNOSUPPORT for an
 * address family other than IPv4/IPv6
 */
int netproc_req_check(const struct netproc_req *r, size_t len)
{
	int ret;

	if (len != sizeof(*r))
		return -EINVAL;
	if (r->op != NETPROC_OP_HOSTFWD_ADD && r->op != NETPROC_OP_HOSTFWD_REMOVE)
		return -EINVAL;
	if (r->flags & ~(uint32_t)(NETPROC_F_UDP | NETPROC_F_V6ONLY))
		return -EINVAL;
	ret = netproc_sa_check(&r->host, r->hlen);
	if (ret < 0)
		return ret;
	if (r->op == NETPROC_OP_HOSTFWD_ADD) {
		ret = netproc_sa_check(&r->guest, r->glen);
		if (ret < 0)
			return ret;
	}
	return 0;
}

/**
 * netproc_frames() - Frames through the tap so far
 * @np:		state
 *
 * Return: rx + tx frames
 */
static uint64_t netproc_frames(const struct netproc *np)
{
	const struct usernet_stats *st = usernet_stats(np->un);

	return st->rx_frames + st->tx_frames;
}

/**
 * netproc_drain_cb() - Timer: end the loop once nothing is in flight or the drain bound passed
 * @l:		loop
 * @t:		the drain timer
 *
 * Return: nothing
 */
static void netproc_drain_cb(struct loop *l, struct loop_timer *t)
{
	struct netproc *np = t->data;
	uint64_t now = loop_now_ns();
	long pending = usernet_pending(np->un);

	if (pending <= 0 || now >= np->drain_end) {
		struct netproc_resp done = {.seq = 0, .op = NETPROC_OP_DONE};

		debug("network process exits (%s)",
		      pending <= 0 ? "all delivered" : "drain bound reached");
		/*
		 * Nothing more to say, and stderr may be a pipe that whoever ran us reads to its
		 * end: let go of it before the tap's teardown, which nobody waits for. The
		 * parent may be gone (then the send fails): it waits for DONE or for our exit.
		 */
		close(STDERR_FILENO);
		(void)send(np->ctl.fd, &done, sizeof(done), MSG_DONTWAIT | MSG_NOSIGNAL);
		loop_quit(l, 0);
		return;
	}
	np->drain_step *= 2;
	if (np->drain_step > NETPROC_DRAIN_EVERY_MS * 1000ULL)
		np->drain_step = NETPROC_DRAIN_EVERY_MS * 1000ULL;
	loop_timer_arm(l, t, now + np->drain_step * 1000ULL);
}

/**
 * netproc_drain_start() - The parent let go: finish what is in flight, then exit
 * @np:		state
 *
 * The command may have written its last bytes just before it exited: they are in the
 * tap's queue (a send in the namespace puts its frames there synchronously, and the
 * command's processes have all exited when the parent lets go), in libslirp's socket
 * buffers, or still in the namespace's socket buffers of a TCP connection that has not
 * sent its FIN. usernet_pending() sees each of those, so the loop goes on forwarding until
 * it reports nothing, checked after NETPROC_DRAIN_FIRST_US and then at doubling intervals
 * up to NETPROC_DRAIN_EVERY_MS, for NETPROC_DRAIN_MAX_MS at most. Frames that carry no
 * data (the kernel's IPv6 multicast reports on the tap) do not hold the exit back: a
 * session with nothing in flight ends within a millisecond.
 *
 * Return: nothing
 */
static void netproc_drain_start(struct netproc *np)
{
	uint64_t now = loop_now_ns();

	np->drain_end = now + NETPROC_DRAIN_MAX_MS * 1000000ULL;
	np->drain_step = NETPROC_DRAIN_FIRST_US;
	np->drain.cb = netproc_drain_cb;
	np->drain.data = np;
	loop_timer_arm(np->l, &np->drain, now + NETPROC_DRAIN_FIRST_US * 1000ULL);
}

/**
 * netproc_ctl_cb() - Network process: serve requests from the parent
 * @l:		loop
 * @lfd:	control socket
 * @events:	epoll events
 *
 * Return: nothing; end of file (the parent is done or gone) starts the drain
 */
static void netproc_ctl_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct netproc *np = lfd->data;

	(void)events;
	for (int i = 0; i < NETPROC_REQ_BATCH; i++) {
		struct netproc_req req = {0};
		struct netproc_resp resp = {0};
		/* MSG_TRUNC: the real length of a longer record, refused by the check */
		ssize_t n = recv(lfd->fd, &req, sizeof(req), MSG_DONTWAIT | MSG_TRUNC);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			debug("control socket closed: draining, then exiting");
			loop_del(l, lfd);
			netproc_drain_start(np);
			return;
		}
		resp.seq = req.seq;
		resp.op = req.op;
		resp.ret = netproc_req_check(&req, (size_t)n);
		if (!resp.ret)
			resp.ret = usernet_hostfwd(np->un, req.op == NETPROC_OP_HOSTFWD_ADD,
						   req.flags & NETPROC_F_UDP,
						   (struct sockaddr *)&req.host, req.hlen,
						   (struct sockaddr *)&req.guest, req.glen,
						   req.flags & NETPROC_F_V6ONLY);
		if (send(lfd->fd, &resp, sizeof(resp), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			warn_errno_limited(errno, "cannot answer a host-forward request");
	}
}

/**
 * netproc_stdio() - Point stdin and stdout at /dev/null; stderr stays for messages
 *
 * Return: nothing (best effort)
 */
static void netproc_stdio(void)
{
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		return;
	dup2(fd, STDIN_FILENO);
	dup2(fd, STDOUT_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

/**
 * netproc_tristate() - Apply an auto|true|false step
 * @what:	name for messages
 * @mode:	the flag
 * @ret:	the step's result
 *
 * Return: 0 if the run may go on (success, or failure under auto), else @ret
 */
static int netproc_tristate(const char *what, enum conf_tristate mode, int ret)
{
	if (!ret)
		return 0;
	if (mode == CONF_AUTO) {
		warn("%s is not available here (%s): running without it", what, error_errstr(-ret));
		return 0;
	}
	err_errno(ret, "%s failed", what);
	return ret;
}

/**
 * netproc_malloc_policy() - Keep libslirp's per-connection buffers from pinning memory
 *
 * libslirp allocates each TCP connection's socket buffers (tens of KiB each) and frees them
 * when the connection ends. glibc serves an allocation that large with mmap() at first, but
 * raises its mmap threshold to the size of each such block freed, so from then on they come
 * from the heap, where a long-lived allocation between them keeps the heap from shrinking:
 * after 9000 connections through the slirp4netns port driver the network process held 45 MB
 * that it no longer used (bench/soak.sh). A fixed threshold keeps them in mmap(), returned to
 * the system when freed, and a trim threshold returns free heap tops quickly.
 *
 * Return: nothing (mallopt failing leaves glibc's defaults)
 */
static void netproc_malloc_policy(void)
{
	if (!mallopt(M_MMAP_THRESHOLD, NETPROC_MMAP_THRESHOLD) ||
	    !mallopt(M_TRIM_THRESHOLD, NETPROC_TRIM_THRESHOLD))
		debug("mallopt failed: libslirp's buffers may pin memory");
}

/**
 * netproc_orphans() - Close libslirp's half-closed connections whose program is gone
 * @np:		state
 * @traffic:	frames passed since the last tick
 *
 * Looked for after traffic passed, and for as long as connections in CLOSE_WAIT remain
 * (their program may go without a frame passing); orphan.c has the reasoning.
 *
 * Return: nothing
 */
static void netproc_orphans(struct netproc *np, bool traffic)
{
	unsigned int closed = 0;
	char *info;
	int ret;

	if (np->diag < 0 || (!traffic && !np->orphans))
		return;
	np->orphans = 0;
	info = usernet_connection_info(np->un);
	if (!info)
		return;
	ret = orphan_sweep(info, np->diag, &closed);
	free(info);
	if (ret < 0) {
		warn_errno_limited(ret, "cannot ask the namespace which half-closed connections "
					"a program still holds: they are kept");
		return;
	}
	np->orphans = ret;
	if (closed)
		info_limited("closed %u connections that a program in the namespace half-closed "
			     "and left (the remote end never closed them)",
			     closed);
}

/**
 * netproc_trim_cb() - Timer: after traffic, hand back the free pages inside the heap
 * @l:		loop
 * @t:		the trim timer
 *
 * libslirp's small per-connection structures come from the heap; a burst of connections
 * leaves it fragmented when they are freed (1000s of sockets in TIME_WAIT end together:
 * 1.3 MB kept after 6000 connections). malloc_trim() returns the free pages in the middle
 * of the heap too. It trims while frames pass and for NETPROC_TRIM_QUIET ticks after (the
 * sockets of the last connections leave libslirp's TIME_WAIT after 2 MSL, 10 s): an idle
 * network process costs one wake-up every NETPROC_TRIM_S and no work. The same tick looks
 * for orphaned connections (netproc_orphans()).
 *
 * Return: nothing
 */
static void netproc_trim_cb(struct loop *l, struct loop_timer *t)
{
	struct netproc *np = t->data;
	uint64_t frames = netproc_frames(np);
	bool traffic = frames != np->trim_frames;

	netproc_orphans(np, traffic);
	if (traffic)
		np->quiet_trims = 0;
	if (np->quiet_trims <= NETPROC_TRIM_QUIET) {
		malloc_trim(0);
		np->quiet_trims++;
	}
	np->trim_frames = frames;
	loop_timer_arm(l, t, loop_now_ns() + NETPROC_TRIM_S * 1000000000ULL);
}

/**
 * struct netproc_start - what netproc_body() is started with
 * @nc:		configuration
 * @fds:	the tap, and the namespace's diag socket or -1
 * @ppid:	the parent's pid
 */
struct netproc_start {
	const struct netproc_conf *nc;
	int fds[2];
	pid_t ppid;
};

/**
 * netproc_body() - The network process (helper.c has set it up: parent-death signal, only
 *		    stdio, the tap and its control socket open, the terminal's signals ignored)
 * @ctl:	control socket to the parent
 * @arg:	struct netproc_start
 *
 * Return: exit status (it runs until the control socket closes and the drain ends)
 */
static int netproc_body(int ctl, void *arg)
{
	const struct netproc_start *st = arg;
	const struct netproc_conf *nc = st->nc;
	struct netproc np = {0};
	struct netproc_resp ready = {.seq = 0, .op = NETPROC_OP_READY};
	int ret = 0, code;

	netproc_stdio();
	netproc_malloc_policy();
	if (nc->sandbox != CONF_FALSE) {
		ret = netproc_tristate("the sandbox (--slirp4netns-sandbox)", nc->sandbox,
				       sandbox_enter());
		if (!ret)
			ret = netproc_tristate("dropping capabilities (--slirp4netns-sandbox)",
					       nc->sandbox, sandbox_drop_caps());
		/* the sandbox may have changed credentials, which clears PDEATHSIG */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != st->ppid)
			return 1;
	}
	if (!ret)
		ret = loop_new(&np.l);
	np.diag = st->fds[1];
	if (!ret)
		ret = usernet_start(&nc->un, np.l, st->fds[0], &np.un);
	else
		close(st->fds[0]);
	if (!ret && nc->seccomp != CONF_FALSE)
		ret = netproc_tristate("the seccomp filter (--slirp4netns-seccomp)", nc->seccomp,
				       sysfilter_install());
	if (!ret) {
		np.ctl.fd = ctl;
		np.ctl.cb = netproc_ctl_cb;
		np.ctl.data = &np;
		ret = loop_add(np.l, &np.ctl, EPOLLIN);
		np.trim = (struct loop_timer){.cb = netproc_trim_cb, .data = &np};
		loop_timer_arm(np.l, &np.trim, loop_now_ns() + NETPROC_TRIM_S * 1000000000ULL);
	}
	ready.ret = ret;
	if (send(ctl, &ready, sizeof(ready), MSG_NOSIGNAL) < 0 || ret < 0)
		return 1;
	code = loop_run(np.l);
	if (np.diag >= 0)
		close(np.diag);
	usernet_free(np.un);
	loop_free(np.l);
	return code < 0 ? 1 : code;
}

/**
 * netproc_spawn() - Start the network process
 * @nc:		configuration
 * @tapfd:	the tap; owned from now on (closed here, kept by the network process)
 * @diagfd:	the namespace's NETLINK_SOCK_DIAG socket, or -1; owned as @tapfd
 * @proc:	the process; proc->sock is the parent's end of the control socket (blocking,
 *		close-on-exec), proc->pidfd says when it exited
 *
 * It is a clone child without an exit signal, so that a waitpid(-1) of the parent's never
 * reaps it by mistake; helper_reap() does, with __WALL.
 *
 * Return: 0 or -errno; wait for its READY with netproc_wait_ready()
 */
int netproc_spawn(const struct netproc_conf *nc, int tapfd, int diagfd, struct helper *proc)
{
	cleanup_close int tap = tapfd;
	cleanup_close int diag = diagfd;
	struct netproc_start st = {.nc = nc, .fds = {tap, diag}, .ppid = getpid()};
	struct helper_spec s = {
		.name = NETPROC_NAME,
		.keep = st.fds,
		.n_keep = diag < 0 ? 1 : 2,
		.no_sigchld = true,
		.fn = netproc_body,
		.arg = &st,
	};

	return helper_spawn(&s, proc);
}

/**
 * netproc_recv_resp() - Wait for the response with a sequence number
 * @ctl:	control socket
 * @seq:	sequence number wanted
 * @op:		op wanted
 * @timeout_ms:	bound on the whole wait
 *
 * Late answers to calls that timed out come first and are skipped (NETPROC_STALE_MAX).
 *
 * Return: the response's ret (0 or -errno; -EPROTO for any other value), -ETIMEDOUT, -EPIPE
 * if the network process is gone, or -errno
 */
static int netproc_recv_resp(int ctl, uint32_t seq, uint32_t op, int timeout_ms)
{
	uint64_t deadline = loop_now_ns() + (uint64_t)timeout_ms * 1000000ULL;

	for (int i = 0; i < NETPROC_STALE_MAX; i++) {
		uint64_t now = loop_now_ns();
		struct netproc_resp resp;
		ssize_t len;

		len = helper_recv(ctl, &resp, sizeof(resp), NULL, 0, NULL,
				  now >= deadline ? 0 : (int)((deadline - now) / 1000000ULL) + 1);
		if (len == -ETIMEDOUT || len == -EMSGSIZE)
			return len == -ETIMEDOUT ? -ETIMEDOUT : -EPROTO;
		if (len == 0 || len == -ECONNRESET)
			return -EPIPE;
		if (len < 0)
			return (int)len;
		if (len != sizeof(resp) || resp.seq != seq || resp.op != op)
			continue;
		/* it runs libslirp on outside traffic: any answer but 0 or a -errno is broken */
		return resp.ret <= 0 && resp.ret >= -4095 ? resp.ret : -EPROTO;
	}
	return -EPROTO;
}

/**
 * netproc_wait_ready() - Wait until the network process runs, or tells why it cannot
 * @ctl:	control socket
 * @timeout_ms:	bound
 *
 * Return: 0, the network process's -errno, -ETIMEDOUT, or -EPIPE if it died
 */
int netproc_wait_ready(int ctl, int timeout_ms)
{
	return netproc_recv_resp(ctl, 0, NETPROC_OP_READY, timeout_ms);
}

/**
 * netproc_finish() - Tell the network process to finish, and wait until it has delivered
 * @ctl:	control socket
 * @timeout_ms:	bound
 *
 * Shutting down our sending side is its end of file: it drains what is in flight, answers
 * DONE and exits. After DONE nothing of ours is left in it; what its exit still costs is the
 * kernel's (the tap's teardown), so the caller need not wait for it.
 *
 * Return: 0 once it said DONE, -ETIMEDOUT, -EPIPE if it exited without saying so, or -errno
 */
int netproc_finish(int ctl, int timeout_ms)
{
	if (shutdown(ctl, SHUT_WR) < 0)
		return -errno;
	return netproc_recv_resp(ctl, 0, NETPROC_OP_DONE, timeout_ms);
}

/**
 * netproc_call() - Send a request and wait for its response
 * @ctl:	control socket
 * @req:	request; its seq is set here
 * @timeout_ms:	bound
 *
 * Return: the network process's answer (0 or -errno), -ETIMEDOUT, or -EPIPE if it is gone
 */
int netproc_call(int ctl, struct netproc_req *req, int timeout_ms)
{
	static uint32_t seq;

	/* 0 is READY's: skip it when the counter wraps */
	seq = seq == UINT32_MAX ? 1 : seq + 1;
	req->seq = seq;
	if (send(ctl, req, sizeof(*req), MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		return errno == EAGAIN ? -ETIMEDOUT : -errno;
	return netproc_recv_resp(ctl, req->seq, req->op, timeout_ms);
}

/* nshelper.c - a helper process in the child's namespaces that makes sockets for the parent */
/**
 * DOC: Theory of operation
 *
 * The builtin port driver listens on host sockets in the parent and needs, for each client, a
 * socket in the child's network namespace. A socket stays in the namespace it was created in,
 * wherever its fd goes afterwards, so a process inside only has to create sockets: the
 * parent connect()s, splices and closes them itself, non-blocking, in its event loop.
 *
 * nshelper_start() forks that process. It enters the child's user namespace, then its
 * network namespace (setns(2); the user namespace first, since only there do we hold
 * CAP_SYS_ADMIN over the network namespace; both while single-threaded, which a freshly
 * forked process is), closes every fd but its end of a SOCK_SEQPACKET socketpair and
 * answers requests: "N sockets of this family and type", answered with the sockets as
 * SCM_RIGHTS, or an errno. It dies with the parent (PR_SET_PDEATHSIG) and exits when the
 * socketpair closes.
 *
 * A request is a round trip to a process that answers at once, bounded by a timeout. To
 * keep it off the path of most connections the parent keeps a few spare sockets of each
 * kind (a bounded cache, so the fd count does not grow) and asks for a batch when empty.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "log.h"
#include "nshelper.h"
#include "util.h"

/* spare sockets kept per family and type, and sockets asked for at once */
#define NSHELPER_BATCH 8
/* bound on one round trip to the helper */
#define NSHELPER_TIMEOUT_MS 2000

/**
 * struct nshelper_req - a request to the helper
 * @family:	AF_INET or AF_INET6
 * @socktype:	SOCK_STREAM or SOCK_DGRAM
 * @count:	sockets wanted, 1..NSHELPER_BATCH
 */
struct nshelper_req {
	int family;
	int socktype;
	int count;
};

/**
 * struct nshelper_resp - the helper's answer; @count fds follow as SCM_RIGHTS
 * @error:	0, or the errno of socket(2) when @count is 0
 * @count:	sockets sent
 */
struct nshelper_resp {
	int error;
	int count;
};

/**
 * struct nshelper_cache - spare sockets of one family and type
 * @fds:	sockets
 * @n:		entries used
 */
struct nshelper_cache {
	int fds[NSHELPER_BATCH];
	int n;
};

/**
 * struct nshelper - the parent's handle on the helper
 * @pid:	helper process
 * @sock:	parent's end of the socketpair (blocking; see nshelper_call())
 * @cache:	spare sockets, indexed by nshelper_cache_idx()
 */
struct nshelper {
	pid_t pid;
	int sock;
	struct nshelper_cache cache[4];
};

/**
 * nshelper_cache_idx() - Index of the cache for a family and type
 * @family:	AF_INET or AF_INET6
 * @socktype:	SOCK_STREAM or SOCK_DGRAM
 *
 * Return: 0..3
 */
static int nshelper_cache_idx(int family, int socktype)
{
	return (family == AF_INET6 ? 2 : 0) + (socktype == SOCK_DGRAM ? 1 : 0);
}

/**
 * nshelper_send_fds() - Send a response with fds attached
 * @sock:	socket
 * @resp:	response
 * @fds:	resp->count fds
 *
 * Return: 0 or -errno
 */
static int nshelper_send_fds(int sock, const struct nshelper_resp *resp, const int *fds)
{
	char cbuf[CMSG_SPACE(sizeof(int) * NSHELPER_BATCH)];
	struct iovec iov = {.iov_base = (void *)resp, .iov_len = sizeof(*resp)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

	if (resp->count > 0) {
		struct cmsghdr *cm;

		memset(cbuf, 0, sizeof(cbuf));
		mh.msg_control = cbuf;
		mh.msg_controllen = CMSG_SPACE(sizeof(int) * resp->count);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int) * resp->count);
		memcpy(CMSG_DATA(cm), fds, sizeof(int) * resp->count);
	}
	while (sendmsg(sock, &mh, MSG_NOSIGNAL) < 0)
		if (errno != EINTR)
			return -errno;
	return 0;
}

/**
 * nshelper_serve() - The helper's request loop
 * @sock:	helper's end of the socketpair
 *
 * Return: never; exits when the parent closes its end
 */
static void __attribute__((noreturn)) nshelper_serve(int sock)
{
	for (;;) {
		struct nshelper_resp resp = {0};
		struct nshelper_req req;
		int fds[NSHELPER_BATCH] = {0};
		ssize_t n = recv(sock, &req, sizeof(req), 0);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		if ((size_t)n != sizeof(req) || req.count < 1 || req.count > NSHELPER_BATCH ||
		    (req.family != AF_INET && req.family != AF_INET6) ||
		    (req.socktype != SOCK_STREAM && req.socktype != SOCK_DGRAM)) {
			resp.error = EINVAL;
		} else {
			while (resp.count < req.count) {
				int fd = socket(req.family,
						req.socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

				if (fd < 0) {
					resp.error = errno;
					break;
				}
				fds[resp.count++] = fd;
			}
		}
		if (nshelper_send_fds(sock, &resp, fds) < 0)
			_exit(1);
		for (int i = 0; i < resp.count; i++)
			close(fds[i]);
	}
}

/**
 * nshelper_child() - The helper process after fork: enter the namespaces, then serve
 * @sock:	helper's end of the socketpair
 * @userns:	fd of /proc/CHILD/ns/user
 * @netns:	fd of /proc/CHILD/ns/net
 * @parent:	the parent's pid, to notice that it died before PR_SET_PDEATHSIG took effect
 *
 * Reports 0 or the errno of the failed step as one int on @sock before serving.
 *
 * Return: never
 */
static void __attribute__((noreturn)) nshelper_child(int sock, int userns, int netns, pid_t parent)
{
	sigset_t all;
	int status = 0;

	log_set_role("rootlessnet:nshelper");
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != parent)
		_exit(1);
	if (setns(userns, CLONE_NEWUSER) < 0 || setns(netns, CLONE_NEWNET) < 0)
		status = errno;
	/* keep stdio for logging and the socketpair; nothing else of the parent's */
	if (sock > 3)
		close_range(3, sock - 1, 0);
	close_range(sock + 1, ~0U, 0);
	if (send(sock, &status, sizeof(status), MSG_NOSIGNAL) < 0 || status)
		_exit(1);
	nshelper_serve(sock);
}

/**
 * nshelper_wait_readable() - Wait, bounded, for the helper to answer
 * @h:		helper
 *
 * Return: 0, -ETIMEDOUT, or -errno
 */
static int nshelper_wait_readable(const struct nshelper *h)
{
	struct pollfd pfd = {.fd = h->sock, .events = POLLIN};
	int n;

	do
		n = poll(&pfd, 1, NSHELPER_TIMEOUT_MS);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (n == 0)
		return -ETIMEDOUT;
	return 0;
}

/**
 * nshelper_start() - Fork the helper into the namespaces of a process
 * @child_pid:	process whose user and network namespaces to enter
 * @netns_path:	the network namespace to enter, or NULL for @child_pid's own (with
 *		--detach-netns the command runs in the host's network, and the namespace is
 *		the one bind-mounted at $STATE_DIR/netns in the child's mount namespace)
 * @out:	the helper
 *
 * Return: 0 or -errno (logged with what failed)
 */
int nshelper_start(pid_t child_pid, const char *netns_path, struct nshelper **out)
{
	cleanup_close int userns = -1, netns = -1;
	struct nshelper *h;
	char path[4096];
	int sv[2], status = 0, ret;
	pid_t parent = getpid(), pid;

	snprintf(path, sizeof(path), "/proc/%d/ns/user", (int)child_pid);
	userns = open(path, O_RDONLY | O_CLOEXEC);
	if (userns < 0) {
		ret = -errno;
		err("port driver: cannot open %s: %s", path, strerror(-ret));
		return ret;
	}
	if (netns_path)
		snprintf(path, sizeof(path), "%s", netns_path);
	else
		snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)child_pid);
	netns = open(path, O_RDONLY | O_CLOEXEC);
	if (netns < 0) {
		ret = -errno;
		err("port driver: cannot open %s: %s", path, strerror(-ret));
		return ret;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		ret = -errno;
		err("port driver: socketpair: %s", strerror(-ret));
		return ret;
	}
	pid = fork();
	if (pid < 0) {
		ret = -errno;
		close(sv[0]);
		close(sv[1]);
		err("port driver: fork: %s", strerror(-ret));
		return ret;
	}
	if (pid == 0) {
		close(sv[0]);
		nshelper_child(sv[1], userns, netns, parent);
	}
	close(sv[1]);
	h = calloc(1, sizeof(*h));
	if (!h) {
		close(sv[0]);
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		return -ENOMEM;
	}
	h->pid = pid;
	h->sock = sv[0];
	ret = nshelper_wait_readable(h);
	if (!ret) {
		ssize_t n = recv(h->sock, &status, sizeof(status), 0);

		if (n != sizeof(status))
			ret = n < 0 ? -errno : -EPIPE;
		else if (status)
			ret = -status;
	}
	if (ret) {
		err("port driver: the helper could not enter the namespaces of pid %d: %s",
		    (int)child_pid, strerror(-ret));
		nshelper_free(h);
		return ret;
	}
	debug("port driver: helper %d in the namespaces of pid %d", (int)pid, (int)child_pid);
	*out = h;
	return 0;
}

/**
 * nshelper_request() - Ask the helper for sockets and put them in the cache
 * @h:		helper
 * @family:	AF_INET or AF_INET6
 * @socktype:	SOCK_STREAM or SOCK_DGRAM
 *
 * Return: 0 (at least one socket cached) or -errno
 */
static int nshelper_request(struct nshelper *h, int family, int socktype)
{
	struct nshelper_cache *c = &h->cache[nshelper_cache_idx(family, socktype)];
	struct nshelper_req req = {family, socktype, NSHELPER_BATCH - c->n};
	char cbuf[CMSG_SPACE(sizeof(int) * NSHELPER_BATCH)];
	struct nshelper_resp resp;
	struct iovec iov = {.iov_base = &resp, .iov_len = sizeof(resp)};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *cm;
	ssize_t n;
	int ret;

	if (send(h->sock, &req, sizeof(req), MSG_NOSIGNAL) < 0)
		return -errno;
	ret = nshelper_wait_readable(h);
	if (ret)
		return ret;
	mh.msg_control = cbuf;
	mh.msg_controllen = sizeof(cbuf);
	n = recvmsg(h->sock, &mh, MSG_CMSG_CLOEXEC);
	if (n < 0)
		return -errno;
	if (n != sizeof(resp))
		return -EPIPE;
	for (cm = CMSG_FIRSTHDR(&mh); cm; cm = CMSG_NXTHDR(&mh, cm)) {
		size_t k;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		k = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		for (size_t i = 0; i < k; i++) {
			int fd;

			memcpy(&fd, CMSG_DATA(cm) + i * sizeof(int), sizeof(int));
			if (c->n < NSHELPER_BATCH)
				c->fds[c->n++] = fd;
			else
				close(fd);
		}
	}
	if (mh.msg_flags & MSG_CTRUNC)
		return -EPROTO;
	if (!c->n)
		return resp.error ? -resp.error : -EPROTO;
	return 0;
}

/**
 * nshelper_socket() - A new non-blocking, close-on-exec socket in the child's network
 *		       namespace
 * @h:		helper
 * @family:	AF_INET or AF_INET6
 * @socktype:	SOCK_STREAM or SOCK_DGRAM
 *
 * Blocks at most NSHELPER_TIMEOUT_MS, only when no spare socket is left.
 *
 * Return: the fd (owned by the caller) or -errno
 */
int nshelper_socket(struct nshelper *h, int family, int socktype)
{
	struct nshelper_cache *c;

	if ((family != AF_INET && family != AF_INET6) ||
	    (socktype != SOCK_STREAM && socktype != SOCK_DGRAM))
		return -EINVAL;
	c = &h->cache[nshelper_cache_idx(family, socktype)];
	if (!c->n) {
		int ret = nshelper_request(h, family, socktype);

		if (ret)
			return ret;
	}
	return c->fds[--c->n];
}

/**
 * nshelper_free() - Stop the helper and close the spare sockets
 * @h:		helper, may be NULL
 *
 * The helper exits when its socket closes; it is killed if it has not after a short wait.
 *
 * Return: nothing
 */
void nshelper_free(struct nshelper *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(h->cache); i++)
		for (int j = 0; j < h->cache[i].n; j++)
			close(h->cache[i].fds[j]);
	close(h->sock);
	for (int i = 0; i < 100; i++) {
		pid_t r = waitpid(h->pid, NULL, WNOHANG);

		if (r == h->pid || (r < 0 && errno != EINTR))
			goto out;
		usleep(10000);
	}
	kill(h->pid, SIGKILL);
	waitpid(h->pid, NULL, 0);
out:
	free(h);
}

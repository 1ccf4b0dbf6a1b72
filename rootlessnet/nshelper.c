/* nshelper.c - a helper process in the child's namespaces that makes sockets for the parent */
/**
 * DOC: Theory of operation
 *
 * The builtin port driver listens on host sockets in the parent and needs, for each client, a
 * socket in the child's network namespace. A socket stays in the namespace it was created in,
 * wherever its fd goes afterwards, so a process inside only has to create sockets: the
 * parent connect()s, splices and closes them itself, non-blocking, in its event loop.
 *
 * nshelper_start() starts that process (helper.c: in the child's user, then network
 * namespace; its comm is NSHELPER_NAME). It answers requests on a SOCK_SEQPACKET pair: "N
 * sockets of this family and type", answered with the sockets as SCM_RIGHTS, or an errno. It
 * exits when the pair closes. The same way it makes what configures the namespace from
 * outside (srcip.c): a netlink socket (rtnetlink, nftables), and a network sysctl opened for
 * writing. Both act on the namespace they were made in, and the parent, which owns the
 * child's user namespace, has the CAP_NET_ADMIN there that the kernel checks when it uses
 * them.
 *
 * A request is a round trip to a process that answers at once, bounded by a timeout. To
 * keep it off the path of most connections the parent keeps a few spare sockets of each
 * kind (a bounded cache, so the fd count does not grow) and asks for a batch when empty.
 *
 * If the helper dies (killed, OOM), its pidfd in the loop says so at once; a request that
 * finds it gone or stuck (no answer within the timeout) kills and reaps it there and then.
 * Either way (revive.c) the death is logged once with its cause and a new helper is started,
 * within the restart budget (helper.c: 5 a minute). Past that, builtin ports cannot reach
 * the namespace until the budget allows the next start, which a timer makes; meanwhile
 * nshelper_up() is false, so that the API refuses new ports instead of accepting ports that
 * cannot work, and each client is reset. Spare sockets survive: they belong to the
 * namespace, not to the helper.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "error.h"
#include "helper.h"
#include "log.h"
#include "loop.h"
#include "nshelper.h"
#include "revive.h"
#include "util.h"

/* spare sockets kept per family and type, and sockets asked for at once */
#define NSHELPER_BATCH 8
/* bound on one round trip to the helper */
#define NSHELPER_TIMEOUT_MS 2000
/* how long a dying helper may take to be reapable, before it is killed */
#define NSHELPER_REAP_MS 200
/* after a start that failed (no descriptors, ...), the next try */
#define NSHELPER_RETRY_MS 1000

/* the network sysctls the helper opens, by enum nshelper_sysctl */
static const char *const nshelper_sysctls[] = {
	[NSHELPER_SYSCTL_TCP_FWMARK_ACCEPT] = "/proc/sys/net/ipv4/tcp_fwmark_accept",
};

/**
 * struct nshelper_req - a request to the helper
 * @family:	AF_INET or AF_INET6; AF_NETLINK; AF_UNSPEC: a sysctl, not a socket
 * @socktype:	SOCK_STREAM or SOCK_DGRAM; SOCK_RAW for AF_NETLINK
 * @protocol:	AF_NETLINK: NETLINK_ROUTE or NETLINK_NETFILTER; AF_UNSPEC: the sysctl
 *		(enum nshelper_sysctl); else 0
 * @count:	sockets wanted, 1..NSHELPER_BATCH (1 for netlink and sysctls)
 */
struct nshelper_req {
	int family;
	int socktype;
	int protocol;
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
 * @rv:		the helper process, kept running (revive.c); rv.proc.pid is 0 while there is
 *		none
 * @ns_pid:	process whose namespaces the helper enters
 * @netns_path:	network namespace file to enter instead of @ns_pid's, or NULL
 * @cache:	spare sockets, indexed by nshelper_cache_idx()
 */
struct nshelper {
	struct revive rv;
	pid_t ns_pid;
	char *netns_path;
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
 * nshelper_req_valid() - Whether the helper can answer a request
 * @r:		request
 *
 * Return: true for sockets of AF_INET/AF_INET6 and SOCK_STREAM/SOCK_DGRAM (up to
 * NSHELPER_BATCH), one rtnetlink or nftables socket, or one known sysctl
 */
static bool nshelper_req_valid(const struct nshelper_req *r)
{
	switch (r->family) {
	case AF_INET:
	case AF_INET6:
		return r->count >= 1 && r->count <= NSHELPER_BATCH && !r->protocol &&
		       (r->socktype == SOCK_STREAM || r->socktype == SOCK_DGRAM);
	case AF_NETLINK:
		return r->count == 1 && r->socktype == SOCK_RAW &&
		       (r->protocol == NETLINK_ROUTE || r->protocol == NETLINK_NETFILTER);
	case AF_UNSPEC:
		return r->count == 1 && r->protocol >= 0 &&
		       (size_t)r->protocol < ARRAY_SIZE(nshelper_sysctls);
	default:
		return false;
	}
}

/**
 * nshelper_make() - In the helper: make what a valid request asks for, once
 * @r:		request (nshelper_req_valid())
 *
 * Return: the fd, or -1 with errno set
 */
static int nshelper_make(const struct nshelper_req *r)
{
	if (r->family == AF_UNSPEC)
		return open(nshelper_sysctls[r->protocol], O_WRONLY | O_CLOEXEC);
	/* netlink requests are answered before send returns: those block, with a timeout */
	if (r->family == AF_NETLINK)
		return socket(r->family, r->socktype | SOCK_CLOEXEC, r->protocol);
	return socket(r->family, r->socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, r->protocol);
}

/**
 * nshelper_serve() - The helper's body: answer requests until the parent closes its end
 * @sock:	the helper's end of the socket pair
 * @arg:	unused
 *
 * Return: exit status: 0 at end of file, 1 if an answer cannot be sent
 */
static int nshelper_serve(int sock, void *arg)
{
	(void)arg;
	for (;;) {
		struct nshelper_resp resp = {0};
		struct nshelper_req req;
		int fds[NSHELPER_BATCH];
		ssize_t n = helper_recv(sock, &req, sizeof(req), NULL, 0, NULL, -1);

		if (n == 0)
			return 0;
		if (n < 0 && n != -EMSGSIZE)
			return 1;
		if ((size_t)n != sizeof(req) || !nshelper_req_valid(&req)) {
			resp.error = EINVAL;
		} else {
			while (resp.count < req.count) {
				int fd = nshelper_make(&req);

				if (fd < 0) {
					resp.error = errno;
					break;
				}
				fds[resp.count++] = fd;
			}
		}
		if (helper_send(sock, &resp, sizeof(resp), fds, (size_t)resp.count) < 0)
			return 1;
		for (int i = 0; i < resp.count; i++)
			close(fds[i]);
	}
}

/**
 * nshelper_spawn() - revive.c's start: a new helper process in the namespaces
 * @data:	struct nshelper
 * @proc:	filled in
 * @e:		what failed
 *
 * Return: 0 or -errno
 */
static int nshelper_spawn(void *data, struct helper *proc, struct error *e)
{
	struct nshelper *h = data;
	struct helper_ns ns = {.pid = h->ns_pid, .netns_path = h->netns_path};
	struct helper_spec s = {.name = NSHELPER_NAME, .ns = &ns, .fn = nshelper_serve};
	int ret;

	ret = helper_spawn(&s, proc);
	if (ret)
		return error_errno(e, ret, "the helper could not enter the namespaces of pid %d",
				   (int)h->ns_pid);
	debug("port driver: helper %d in the namespaces of pid %d", (int)proc->pid, (int)h->ns_pid);
	return 0;
}

static const struct revive_ops nshelper_revive_ops = {
	.what = "port driver: the helper in the namespace",
	.without = "builtin ports cannot reach the namespace",
	.reap_ms = NSHELPER_REAP_MS,
	.retry_ms = NSHELPER_RETRY_MS,
	.start = nshelper_spawn,
};

/**
 * nshelper_start() - Start the helper in the namespaces of a process
 * @l:		event loop: the helper is watched and replaced from it
 * @ns:		the namespaces (a process's user namespace, and its network namespace or,
 *		with --detach-netns, the one bind-mounted at $STATE_DIR/netns)
 * @out:	the handle
 * @e:		what failed, may be NULL
 *
 * Return: 0 or -errno
 */
int nshelper_start(struct loop *l, const struct helper_ns *ns, struct nshelper **out,
		   struct error *e)
{
	struct nshelper *h = calloc(1, sizeof(*h));
	int ret;

	if (!h)
		return error_errno(e, -ENOMEM, "port driver state");
	revive_init(&h->rv, l, &nshelper_revive_ops, h);
	h->ns_pid = ns->pid;
	if (ns->netns_path && !(h->netns_path = strdup(ns->netns_path))) {
		free(h);
		return error_errno(e, -ENOMEM, "port driver state");
	}
	ret = nshelper_spawn(h, &h->rv.proc, e);
	if (!ret && (ret = revive_watch(&h->rv)))
		error_errno(e, ret, "cannot watch the helper in the namespace");
	if (ret) {
		nshelper_free(h);
		return ret;
	}
	*out = h;
	return 0;
}

/**
 * nshelper_roundtrip() - Send a request to the helper and receive its answer
 * @h:		handle with a process
 * @req:	the request
 * @fds:	receives the descriptors, owned by the caller
 * @n_fds:	set to their number
 *
 * Return: 0 (at least one descriptor came); the helper's -errno; -EPIPE if it is gone or
 * -ETIMEDOUT if it did not answer, -EPROTO for a bad answer (it must then be replaced)
 */
static int nshelper_roundtrip(struct nshelper *h, const struct nshelper_req *req,
			      int fds[NSHELPER_BATCH], size_t *n_fds)
{
	struct nshelper_resp resp;
	ssize_t n;
	int ret;

	*n_fds = 0;
	ret = helper_send(h->rv.proc.sock, req, sizeof(*req), NULL, 0);
	if (ret)
		return ret == -ECONNRESET ? -EPIPE : ret;
	n = helper_recv(h->rv.proc.sock, &resp, sizeof(resp), fds, NSHELPER_BATCH, n_fds,
			NSHELPER_TIMEOUT_MS);
	if (n == 0 || n == -ECONNRESET)
		return -EPIPE;
	if (n < 0)
		return (int)n;
	if (n != sizeof(resp))
		return -EPROTO;
	if (!*n_fds)
		/* the helper runs where the command can reach it: an errno, or nothing */
		return resp.error > 0 && resp.error < 4096 ? -resp.error : -EPROTO;
	return 0;
}

/**
 * nshelper_request() - Ask the helper for sockets and put them in the cache
 * @h:		handle with a process
 * @family:	AF_INET or AF_INET6
 * @socktype:	SOCK_STREAM or SOCK_DGRAM
 *
 * Return: 0 (at least one socket cached), or nshelper_roundtrip()'s -errno
 */
static int nshelper_request(struct nshelper *h, int family, int socktype)
{
	struct nshelper_cache *c = &h->cache[nshelper_cache_idx(family, socktype)];
	struct nshelper_req req = {family, socktype, 0, NSHELPER_BATCH - c->n};
	int fds[NSHELPER_BATCH];
	size_t n_fds;
	int ret;

	ret = nshelper_roundtrip(h, &req, fds, &n_fds);
	for (size_t i = 0; i < n_fds; i++) {
		if (!ret && c->n < NSHELPER_BATCH)
			c->fds[c->n++] = fds[i];
		else
			close(fds[i]);
	}
	return ret;
}

/**
 * nshelper_one() - Ask the helper for one descriptor, replacing it if it is dead or stuck
 * @h:		handle
 * @req:	request for one descriptor
 *
 * Return: the fd (owned by the caller) or -errno: -ENETDOWN while there is no helper
 */
static int nshelper_one(struct nshelper *h, const struct nshelper_req *req)
{
	int ret = -ENETDOWN;

	for (int attempt = 0; attempt < 2; attempt++) {
		int fds[NSHELPER_BATCH];
		size_t n_fds;

		if (!h->rv.proc.pid)
			return -ENETDOWN;
		ret = nshelper_roundtrip(h, req, fds, &n_fds);
		for (size_t i = ret ? 0 : 1; i < n_fds; i++)
			close(fds[i]);
		if (!ret)
			return fds[0];
		if (ret != -EPIPE && ret != -ETIMEDOUT && ret != -EPROTO)
			return ret;
		revive_lost(&h->rv);
	}
	return ret;
}

/**
 * nshelper_netlink() - A netlink socket in the child's network namespace
 * @h:		handle
 * @protocol:	NETLINK_ROUTE or NETLINK_NETFILTER
 *
 * A round trip to the helper (NSHELPER_TIMEOUT_MS at most): for set-up, not for each
 * connection. The socket is blocking and close-on-exec, not bound.
 *
 * Return: the fd (owned by the caller) or -errno (-EPROTONOSUPPORT: the kernel lacks the
 * protocol, e.g. nftables)
 */
int nshelper_netlink(struct nshelper *h, int protocol)
{
	struct nshelper_req req = {AF_NETLINK, SOCK_RAW, protocol, 1};

	return nshelper_one(h, &req);
}

/**
 * nshelper_sysctl() - A network sysctl of the child's namespace, opened for writing
 * @h:		handle
 * @which:	the sysctl
 *
 * Network sysctls are per namespace and /proc/sys shows those of the reader's: the file
 * is opened inside. Writing it needs CAP_NET_ADMIN over the namespace (its owner has it).
 *
 * Return: the fd (owned by the caller) or -errno (-ENOENT: the kernel has no such sysctl)
 */
int nshelper_sysctl(struct nshelper *h, enum nshelper_sysctl which)
{
	struct nshelper_req req = {AF_UNSPEC, 0, (int)which, 1};

	return nshelper_one(h, &req);
}

/**
 * nshelper_socket() - A new non-blocking, close-on-exec socket in the child's network
 *		       namespace
 * @h:		handle
 * @family:	AF_INET or AF_INET6
 * @socktype:	SOCK_STREAM or SOCK_DGRAM
 *
 * Blocks at most NSHELPER_TIMEOUT_MS, only when no spare socket is left. A helper found dead
 * or stuck is replaced here, and the request made once more to the new one.
 *
 * Return: the fd (owned by the caller) or -errno: -ENETDOWN while there is no helper (the
 * restart budget is spent), -EMFILE and the like from the helper's socket(2)
 */
int nshelper_socket(struct nshelper *h, int family, int socktype)
{
	struct nshelper_cache *c;

	if ((family != AF_INET && family != AF_INET6) ||
	    (socktype != SOCK_STREAM && socktype != SOCK_DGRAM))
		return -EINVAL;
	c = &h->cache[nshelper_cache_idx(family, socktype)];
	for (int attempt = 0; !c->n && attempt < 2; attempt++) {
		int ret;

		if (!h->rv.proc.pid)
			return -ENETDOWN;
		ret = nshelper_request(h, family, socktype);
		if (ret == -EPIPE || ret == -ETIMEDOUT || ret == -EPROTO) {
			revive_lost(&h->rv);
			continue;
		}
		if (ret)
			return ret;
	}
	if (!c->n)
		return h->rv.proc.pid ? -EAGAIN : -ENETDOWN;
	return c->fds[--c->n];
}

/**
 * nshelper_up() - Tell whether a helper runs (new sockets can be had)
 * @h:		handle
 *
 * Return: false while it is being replaced past the restart budget
 */
bool nshelper_up(const struct nshelper *h)
{
	return h->rv.proc.pid > 0;
}

/**
 * nshelper_pid() - The helper's pid
 * @h:		handle
 *
 * Return: its pid, 0 while there is none
 */
pid_t nshelper_pid(const struct nshelper *h)
{
	return h->rv.proc.pid;
}

/**
 * nshelper_free() - Stop the helper and close the spare sockets
 * @h:		handle, may be NULL
 *
 * The helper exits when its socket closes; it is killed if it has not after a short wait.
 *
 * Return: nothing
 */
void nshelper_free(struct nshelper *h)
{
	int st;

	if (!h)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(h->cache); i++)
		for (int j = 0; j < h->cache[i].n; j++)
			close(h->cache[i].fds[j]);
	revive_stop(&h->rv, 1000, &st);
	free(h->netns_path);
	free(h);
}

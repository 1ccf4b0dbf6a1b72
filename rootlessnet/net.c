/* net.c - the network driver's parent side: the network process, its restarts, host forwards */
/**
 * DOC: Theory of operation
 *
 * --net=slirp4netns. The child makes and configures the tap (netns.c) and sends it; the
 * parent, net_parent_start(), receives it (bounded wait) and hands it to the network
 * process (netproc.c), a sandboxed process in the host network namespace that runs libslirp
 * (usernet.c) in its own event loop. Its pidfd is in the parent's loop: when it dies, for
 * any reason, the death is logged with its cause and a new one is started on a new tap
 * (made by a one-shot helper in the child's namespaces, NET_TAP_HELPER_NAME) with the same
 * configuration, and the port driver re-adds its forwards (net_on_restart()); at most 5
 * restarts a minute (helper.c), then a timer waits for the budget. Meanwhile
 * net_hostfwd_*() fail with -ENETDOWN.
 *
 * The port driver asks the network process for libslirp host forwards through
 * net_hostfwd_add()/net_hostfwd_remove() (synchronous, bounded by NET_CTL_TIMEOUT_MS).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "error.h"
#include "helper.h"
#include "log.h"
#include "loop.h"
#include "net.h"
#include "netns.h"
#include "netproc.h"
#include "revive.h"
#include "topo.h"
#include "util.h"

/* the child does its mounts before it sends the tap: a generous bound */
#define NET_TAP_TIMEOUT_MS 30000
/* the network process sets up its sandbox and libslirp before READY */
#define NET_READY_TIMEOUT_MS 10000
/* how long the network process may take to exit once told to */
#define NET_EXIT_TIMEOUT_MS 5000
/* after it exited, how long it may take to be reapable */
#define NET_HUP_REAP_MS 500
/* after a restart that failed, the next try */
#define NET_RETRY_MS 1000
/* the comm of the helper that makes a new tap in the namespace */
#define NET_TAP_HELPER_NAME "rootlessnet-tap"

/**
 * struct net - the parent's handle on the user-mode network
 * @p:		resolved parameters
 * @nc:		what each network process is started with
 * @rv:		the network process, kept running (revive.c); rv.proc.pid is 0 while there is
 *		none
 * @ns_pid:	the child, in whose namespaces a new tap is made
 * @netns_path:	with --detach-netns, the network namespace's file, else NULL
 * @restarted:	called after each restart (the port driver re-adds its forwards)
 * @restarted_data: its argument
 */
struct net {
	struct net_params p;
	struct netproc_conf nc;
	struct revive rv;
	pid_t ns_pid;
	char *netns_path;
	void (*restarted)(void *data);
	void *restarted_data;
};

/**
 * net_tap_helper() - The tap maker's body, in the child's namespaces: a new tap as the first
 * @sock:	socket to the parent, on which the tap (or why there is none) is sent
 * @arg:	struct net_params
 *
 * The old tap went away with the network process that held it, and its addresses and routes
 * with it; the name may take a moment to be free again.
 *
 * Return: exit status
 */
static int net_tap_helper(int sock, void *arg)
{
	return netns_tap_make(arg, sock, false) ? 1 : 0;
}

/**
 * net_tap_remake() - Make a new tap in the namespace, configured as the first one
 * @n:		state
 * @out:	the tap and the namespace's diag socket
 *
 * Return: 0 or -errno
 */
static int net_tap_remake(struct net *n, struct netns_fds *out)
{
	struct helper_ns ns = {.pid = n->ns_pid, .netns_path = n->netns_path};
	struct helper_spec s = {
		.name = NET_TAP_HELPER_NAME,
		.ns = &ns,
		.fn = net_tap_helper,
		.arg = &n->p,
	};
	struct helper h;
	int ret, st;

	ret = helper_spawn(&s, &h);
	if (ret)
		return ret;
	ret = netns_recv_tap(h.sock, NET_TAP_TIMEOUT_MS, out);
	helper_reap(&h, NET_EXIT_TIMEOUT_MS, &st);
	return ret;
}

/**
 * net_proc_launch() - Start a network process on a tap and wait until it runs libslirp
 * @n:		state
 * @fds:	the tap and the diag socket, owned from now on
 * @proc:	the process, filled in
 * @e:		what failed, may be NULL
 *
 * Return: 0 or -errno
 */
static int net_proc_launch(struct net *n, const struct netns_fds *fds, struct helper *proc,
			   struct error *e)
{
	int ret, st;

	ret = netproc_spawn(&n->nc, fds->tap, fds->diag, proc);
	if (ret < 0)
		return error_errno(e, ret, "cannot start the network process");
	ret = netproc_wait_ready(proc->sock, NET_READY_TIMEOUT_MS);
	if (ret < 0) {
		char how[128];

		helper_stop(proc, NET_EXIT_TIMEOUT_MS, &st);
		return error_plain(e, ret, "the network process did not start: %s (it %s)",
				   error_errstr(ret), helper_status_str(st, how, sizeof(how)));
	}
	debug("network process %d runs libslirp (MTU %u, IPv6 %s)", (int)proc->pid, n->p.mtu,
	      n->p.ipv6 ? "on" : "off");
	return 0;
}

/**
 * net_restart() - revive.c's start: a new tap in the namespace, a new network process on it
 * @data:	struct net
 * @proc:	filled in
 * @e:		what failed
 *
 * Return: 0 or -errno
 */
static int net_restart(void *data, struct helper *proc, struct error *e)
{
	struct net *n = data;
	struct netns_fds fds = {.tap = -1, .diag = -1};
	int ret = net_tap_remake(n, &fds);

	if (ret < 0)
		return error_errno(e, ret, "cannot make a new tap in the namespace");
	return net_proc_launch(n, &fds, proc, e);
}

/**
 * net_restarted() - revive.c's callback once a new network process runs: forwards again
 * @data:	struct net
 *
 * Return: nothing
 */
static void net_restarted(void *data)
{
	struct net *n = data;

	if (n->restarted)
		n->restarted(n->restarted_data);
}

/**
 * net_death_hint() - What to add to the message of a network process's death
 * @status:	its wait status
 *
 * Return: a hint for a death by the seccomp filter, else ""
 */
static const char *net_death_hint(int status)
{
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS
		       ? " (--slirp4netns-seccomp=false runs it without the filter)"
		       : "";
}

static const struct revive_ops net_revive_ops = {
	.what = "the network process (libslirp)",
	.without = "the namespace has no network",
	.after = "the namespace has its network back; connections open through the old one "
		 "are lost",
	.reap_ms = NET_HUP_REAP_MS,
	.retry_ms = NET_RETRY_MS,
	.start = net_restart,
	.started = net_restarted,
	.hint = net_death_hint,
};

/**
 * net_parent_start() - Start the parent side of the network
 * @c:		configuration
 * @l:		event loop
 * @chan:	channel to the child
 * @ns:		the child's namespaces, where a new tap is made if the network process dies
 * @out:	network state, NULL when the network needs none
 * @e:		what failed, may be NULL
 *
 * Return: 0 or -errno
 */
int net_parent_start(const struct conf *c, struct loop *l, int chan, const struct helper_ns *ns,
		     struct net **out, struct error *e)
{
	struct netns_fds fds = {.tap = -1, .diag = -1};
	struct net *n;
	int ret;

	*out = NULL;
	if (c->net == CONF_NET_HOST || c->net == CONF_NET_NONE)
		return 0;
	if (c->net != CONF_NET_SLIRP4NETNS)
		return error_plain(e, -EINVAL, "no such network driver");
	n = calloc(1, sizeof(*n));
	if (!n)
		return error_errno(e, -ENOMEM, "network state");
	revive_init(&n->rv, l, &net_revive_ops, n);
	n->ns_pid = ns->pid;
	netns_params_of(c, &n->p);
	if (ns->netns_path && !(n->netns_path = strdup(ns->netns_path))) {
		ret = error_errno(e, -ENOMEM, "network state");
		goto fail;
	}
	n->nc.un.topo = n->p.topo;
	n->nc.un.mtu = n->p.mtu;
	n->nc.un.ipv6 = n->p.ipv6;
	n->nc.un.disable_host_loopback = c->disable_host_loopback;
	n->nc.sandbox = c->sandbox;
	n->nc.seccomp = c->seccomp;
	ret = netns_recv_tap(chan, NET_TAP_TIMEOUT_MS, &fds);
	if (ret < 0) {
		error_errno(e, ret, "no tap from the child");
		goto fail;
	}
	ret = net_proc_launch(n, &fds, &n->rv.proc, e);
	if (ret < 0)
		goto fail;
	ret = revive_watch(&n->rv);
	if (ret < 0) {
		error_errno(e, ret, "cannot watch the network process");
		goto fail;
	}
	*out = n;
	return 0;
fail:
	free(n->netns_path);
	free(n);
	return ret;
}

/**
 * net_on_restart() - Have a function called each time a new network process runs
 * @n:		state
 * @cb:		called after a restart, when forwards can be added again (the port driver
 *		re-adds its own); NULL for none
 * @data:	passed to @cb
 *
 * Return: nothing
 */
void net_on_restart(struct net *n, void (*cb)(void *data), void *data)
{
	n->restarted = cb;
	n->restarted_data = data;
}

/**
 * net_free() - Stop the network: the network process delivers what is in flight and exits
 * @n:		state from net_parent_start(), may be NULL; call before loop_free()
 *
 * Return: nothing
 */
void net_free(struct net *n)
{
	bool running;
	int st, ret;

	if (!n)
		return;
	running = n->rv.proc.pid > 0;
	/*
	 * End of file on the control socket starts its drain: what the command sent is
	 * delivered, then it says DONE. Its exit after that is the kernel tearing the tap down
	 * (about 20 ms), which nobody needs to wait for.
	 */
	ret = running && n->rv.proc.sock >= 0 ? netproc_finish(n->rv.proc.sock, NET_EXIT_TIMEOUT_MS)
					      : -ECHILD;
	if (!ret) {
		helper_disown(&n->rv.proc);
		running = false;
	}
	/* stuck past the bound already: killed at once */
	revive_stop(&n->rv, ret == -ETIMEDOUT ? 0 : NET_EXIT_TIMEOUT_MS, &st);
	if (running && (!WIFEXITED(st) || WEXITSTATUS(st))) {
		char how[128];

		warn("the network process %s", helper_status_str(st, how, sizeof(how)));
	}
	free(n->netns_path);
	free(n);
}

/**
 * net_topo() - Addresses of the user-mode network
 * @n:		state
 *
 * Return: the topology
 */
const struct topo *net_topo(const struct net *n)
{
	return &n->p.topo;
}

/**
 * net_ipv6() - Tell whether the namespace has IPv6 (--ipv6)
 * @n:		state
 *
 * Return: true with --ipv6
 */
bool net_ipv6(const struct net *n)
{
	return n->p.ipv6;
}

/**
 * net_mtu() - The tap's MTU
 * @n:		state
 *
 * Return: the MTU
 */
unsigned int net_mtu(const struct net *n)
{
	return n->p.mtu;
}

/**
 * net_pid() - The network process
 * @n:		state
 *
 * Return: its pid, 0 while there is none (it died and is not replaced yet)
 */
pid_t net_pid(const struct net *n)
{
	return n->rv.proc.pid;
}

/**
 * net_hostfwd() - Send a host-forward request to the network process
 * @n:		state
 * @op:		NETPROC_OP_HOSTFWD_ADD or _REMOVE
 * @udp:	UDP (else TCP)
 * @host:	host address
 * @hlen:	its length
 * @guest:	guest address, NULL when removing
 * @glen:	its length
 * @v6only:	IPv6 listener without IPv4 clients
 *
 * Return: 0 or -errno
 */
static int net_hostfwd(struct net *n, uint32_t op, bool udp, const struct sockaddr *host,
		       socklen_t hlen, const struct sockaddr *guest, socklen_t glen, bool v6only)
{
	struct netproc_req req = {.op = op};

	if (!n || !n->rv.proc.pid)
		return -ENETDOWN;
	if (hlen > sizeof(req.host) || glen > sizeof(req.guest) || (glen && !guest))
		return -EINVAL;
	req.flags = (udp ? NETPROC_F_UDP : 0) | (v6only ? NETPROC_F_V6ONLY : 0);
	memcpy(&req.host, host, hlen);
	req.hlen = hlen;
	if (glen)
		memcpy(&req.guest, guest, glen);
	req.glen = glen;
	if (netproc_req_check(&req, sizeof(req)) < 0)
		return netproc_req_check(&req, sizeof(req));
	return netproc_call(n->rv.proc.sock, &req, NET_CTL_TIMEOUT_MS);
}

/**
 * net_hostfwd_add() - Forward a host address and port into the namespace (libslirp)
 * @n:		state (NULL without --net=slirp4netns: -ENETDOWN)
 * @udp:	UDP (else TCP)
 * @host:	host address and port to listen on (sockaddr_in or sockaddr_in6)
 * @hlen:	its length
 * @guest:	namespace address and port, same family; an unspecified address means the
 *		namespace's own (10.0.2.100 or fd00::100)
 * @glen:	its length
 * @v6only:	an IPv6 listener accepts no IPv4 clients (bind v4 and v6 separately)
 *
 * Return: 0; -EADDRINUSE and the like from the listener; -EINVAL for mixed families;
 * -EAFNOSUPPORT for IPv6 without --ipv6; -ETIMEDOUT or -EPIPE if the network process does
 * not answer
 */
int net_hostfwd_add(struct net *n, bool udp, const struct sockaddr *host, socklen_t hlen,
		    const struct sockaddr *guest, socklen_t glen, bool v6only)
{
	return net_hostfwd(n, NETPROC_OP_HOSTFWD_ADD, udp, host, hlen, guest, glen, v6only);
}

/**
 * net_hostfwd_remove() - Remove a forward added by net_hostfwd_add()
 * @n:		state
 * @udp:	as when added
 * @host:	as when added
 * @hlen:	its length
 * @v6only:	as when added
 *
 * Return: 0, -ENOENT if there is no such forward, or -errno as net_hostfwd_add()
 */
int net_hostfwd_remove(struct net *n, bool udp, const struct sockaddr *host, socklen_t hlen,
		       bool v6only)
{
	return net_hostfwd(n, NETPROC_OP_HOSTFWD_REMOVE, udp, host, hlen, NULL, 0, v6only);
}

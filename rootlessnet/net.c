/* net.c - the network driver: interface setup inside the namespace, packet path in the parent */
/**
 * DOC: Theory of operation
 *
 * --net=host: nothing to do. --net=none: the child brings lo up. In a namespace of ours lo's
 * local routes get RTAX_QUICKACK (net_lo_quickack(): loopback TCP, the builtin port
 * driver's inside hop among it, runs much faster without delayed ACKs), and TCP's default
 * congestion control does not pace (tcpcc.c: every hop in the namespace is local).
 * --net=slirp4netns:
 *
 * Child (in its new user and network namespaces, after its mounts), net_child_setup():
 * lo up; a tap created with /dev/net/tun; over rtnetlink (nl.c) the tap gets its MTU and
 * goes up, gets 10.0.2.100/24 and the default route via 10.0.2.2, and with --ipv6
 * fd00::100/64 (IFA_F_NODAD: usable at once) and the default route via fd00::2, with router
 * advertisements ignored so that no SLAAC address competes with fd00::100. With a
 * large MTU (the default 65520) the tap's routes carry RTAX_QUICKACK, because libslirp's
 * 64 KiB window would otherwise make a stream into the namespace stop and wait for each
 * delayed ACK (net_tap_quickack() has the reasoning and the threshold). Its fd goes
 * to the parent on the start-up channel, one SEQPACKET message with SCM_RIGHTS; a failure
 * is sent as a message without fd, so the parent reports it instead of waiting.
 *
 * Parent, net_parent_start(): receives the tap (bounded wait) and hands it to the network
 * process (netproc.c), a sandboxed process in the host network namespace that runs libslirp
 * (usernet.c) in its own event loop. The parent's loop watches only the control socket for
 * hang-up: if the network process dies, that is logged with how it died, and the command
 * runs on without network (as under rootlesskit when slirp4netns dies); net_hostfwd_*()
 * then fail with -EPIPE.
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
#include "netproc.h"
#include "nl.h"
#include "tap.h"
#include "tcpcc.h"
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
/* a new tap's name may be busy for a moment after the old one's last fd closed */
#define NET_TAP_BUSY_TRIES   50
#define NET_TAP_BUSY_WAIT_MS 10

#define NET_TAP_MAGIC "rn-tap1"

/* IPv4 and TCP headers without options: the MSS is the MTU less this */
#define NET_TCPIP_HDR 40
/* below this many full segments in a 64 KiB window, the tap's routes get quick ACKs */
#define NET_QUICKACK_SEGS 6

/**
 * struct net_tap_msg - the child's message carrying the tap fd (or why there is none)
 * @magic:	NET_TAP_MAGIC
 * @err:	0 with an fd attached, else -errno
 */
struct net_tap_msg {
	char magic[8];
	int32_t err;
};

/**
 * struct net - the parent's handle on the user-mode network
 * @p:		resolved parameters
 * @nc:		what each network process is started with
 * @l:		the parent's loop
 * @proc:	the network process; proc.pid is 0 while there is none
 * @dead:	its pidfd in the loop
 * @retry:	starts a new one when the restart budget allows it, or after a failed try
 * @budget:	restarts in the last minute
 * @ns_pid:	the child, in whose namespaces a new tap is made
 * @netns_path:	with --detach-netns, the network namespace's file, else NULL
 * @restarts:	network processes started after the first
 * @restarted:	called after each restart (the port driver re-adds its forwards)
 * @restarted_data: its argument
 */
struct net {
	struct net_params p;
	struct netproc_conf nc;
	struct loop *l;
	struct helper proc;
	struct loop_fd dead;
	struct loop_timer retry;
	struct helper_budget budget;
	pid_t ns_pid;
	char *netns_path;
	unsigned long restarts;
	void (*restarted)(void *data);
	void *restarted_data;
};

/**
 * net_resolve() - Check the network flags and derive the parameters
 * @c:		configuration
 * @p:		filled in
 *
 * Defaults: MTU 65520, 10.0.2.0/24 when --cidr was not given (prefix 0), tap0.
 *
 * Return: 0, or -EINVAL (after a message) for an MTU out of 68..65521 (1280.. with --ipv6)
 * or a network too small for the namespace's address .100
 */
int net_resolve(const struct conf *c, struct net_params *p)
{
	struct in_addr net = c->cidr;
	unsigned int prefix = c->cidr_prefix;

	memset(p, 0, sizeof(*p));
	p->mtu = c->mtu ? c->mtu : NET_MTU_DEFAULT;
	if (p->mtu > NET_MTU_MAX || p->mtu < 68) {
		err("--mtu=%u is out of range: use 68 to %u (0 means %u)", c->mtu, NET_MTU_MAX,
		    NET_MTU_DEFAULT);
		return -EINVAL;
	}
	if (c->ipv6 && p->mtu < 1280) {
		err("--mtu=%u is too small for --ipv6, which needs at least 1280", p->mtu);
		return -EINVAL;
	}
	if (!prefix) {
		inet_pton(AF_INET, "10.0.2.0", &net);
		prefix = 24;
	}
	if (topo_from_cidr(net, prefix, &p->topo) < 0) {
		char buf[INET_ADDRSTRLEN] = "?";

		inet_ntop(AF_INET, &net, buf, sizeof(buf));
		err("--cidr=%s/%u is too small: the namespace's address is the network's .100, "
		    "so the prefix must be 25 or shorter",
		    buf, prefix);
		return -EINVAL;
	}
	snprintf(p->ifname, sizeof(p->ifname), "%s", c->ifname[0] ? c->ifname : "tap0");
	p->ipv6 = c->ipv6;
	return 0;
}

/**
 * net_nl_fail() - Report a failed netlink step with the kernel's message
 * @nl:		socket, holding the kernel's message
 * @what:	what was done
 * @ret:	-errno
 *
 * Return: @ret
 */
static int net_nl_fail(const struct nl *nl, const char *what, int ret)
{
	const char *m = nl_errmsg(nl);

	err("netlink: %s: %s%s%s", what, error_errstr(-ret), *m ? ": " : "", m);
	return ret;
}

/**
 * net_lo_quickack() - Quick ACKs for TCP over the namespace's loopback
 * @nl:		rtnetlink socket
 * @idx:	lo's interface index
 *
 * Loopback TCP with delayed ACKs leaves the sender waiting for room in its send buffer:
 * iperf3 over a fresh namespace's lo goes from about 17 to about 30 Gbit/s, IPv4 and IPv6,
 * with RTAX_QUICKACK on the local routes. The builtin port driver's inside hop (the parent
 * to the published service, usually on 127.0.0.1) is such a connection.
 *
 * IPv4: the local routes of 127.0.0.0/8 and 127.0.0.1 are replaced in place. IPv6: the
 * kernel's ::1 route has metric 0, which no request can name (the kernel reads 0 as its
 * default, 1024), so ours is added beside it (metric 1024, RTPROT_BOOT), then the kernel's
 * (RTPROT_KERNEL) is deleted; if that fails, the kernel's stays in front and only IPv6
 * loopback keeps delayed ACKs. Without IPv6 in the namespace that half is skipped.
 *
 * Return: 0 or -errno (message in nl_errmsg())
 */
static int net_lo_quickack(struct nl *nl, int idx)
{
	struct in6_addr lo6 = IN6ADDR_LOOPBACK_INIT;
	struct in_addr net = {htonl(INADDR_LOOPBACK & IN_CLASSA_NET)};
	struct in_addr host = {htonl(INADDR_LOOPBACK)};
	struct nl_route r = {
		.family = AF_INET,
		.ifindex = idx,
		.table = RT_TABLE_LOCAL,
		.type = RTN_LOCAL,
		.dst = &net,
		.dst_len = 8,
		.prefsrc = &host,
		.protocol = RTPROT_KERNEL,
		.replace = true,
		.quickack = true,
	};
	int ret;

	ret = nl_route_add(nl, &r);
	if (ret < 0)
		return ret;
	r.dst = &host;
	r.dst_len = 32;
	ret = nl_route_add(nl, &r);
	if (ret < 0)
		return ret;
	r = (struct nl_route){
		.family = AF_INET6,
		.ifindex = idx,
		.table = RT_TABLE_LOCAL,
		.type = RTN_LOCAL,
		.dst = &lo6,
		.dst_len = 128,
		.protocol = RTPROT_BOOT,
		.quickack = true,
	};
	ret = nl_route_add(nl, &r);
	if (ret < 0) {
		debug("no IPv6 loopback route with quick ACKs: %s", nl_errmsg(nl));
		return 0;
	}
	r.protocol = RTPROT_KERNEL;
	r.quickack = false;
	return nl_route_del(nl, &r);
}

/**
 * net_lo_up() - Bring lo up in the current network namespace, with quick ACKs
 * @nl:		rtnetlink socket
 *
 * Return: 0 or -errno
 */
static int net_lo_up(struct nl *nl)
{
	int idx = (int)if_nametoindex("lo");
	int ret;

	if (!idx)
		return -errno;
	ret = nl_link_set(nl, idx, true, 0, 0);
	if (ret < 0)
		return net_nl_fail(nl, "bringing lo up", ret);
	ret = net_lo_quickack(nl, idx);
	if (ret < 0)
		warn("loopback TCP in the namespace keeps delayed ACKs (slower): %s",
		     *nl_errmsg(nl) ? nl_errmsg(nl) : error_errstr(-ret));
	return 0;
}

/**
 * net_tap_quickack() - Whether TCP over the tap should acknowledge every segment at once
 * @mtu:	the tap's MTU
 *
 * libslirp offers no TCP window scaling, so the namespace's kernel can never open more than
 * a 64 KiB window to it. Linux acknowledges every second full segment and otherwise waits
 * (until the reader has drained the socket, or the delayed-ACK timer). With the default MTU
 * of 65520 one segment fills the window, so every segment into the namespace waited for the
 * reading program: a stop-and-wait stream. Quick ACKs (RTAX_QUICKACK on the tap's routes)
 * let libslirp send the next segment as soon as the kernel has queued the last one. With
 * small segments they only double the ACK frames libslirp must process, which costs more
 * than it gains (bench/ports.sh: half the speed at MTU 1500, break-even near 9000).
 *
 * Return: true when fewer than NET_QUICKACK_SEGS full IPv4 segments fit in 64 KiB
 */
bool net_tap_quickack(unsigned int mtu)
{
	return mtu > NET_TCPIP_HDR && 65535u / (mtu - NET_TCPIP_HDR) < NET_QUICKACK_SEGS;
}

/**
 * net_tap_routes() - The tap's prefix routes (with quick ACKs) and default routes
 * @nl:		rtnetlink socket
 * @idx:	the tap's interface index
 * @p:		parameters
 * @family:	AF_INET or AF_INET6
 *
 * The kernel added the prefix route with the address; with quick ACKs it is replaced by
 * the same route carrying RTAX_QUICKACK (same key: IPv6 prefix routes have metric 256).
 *
 * Return: 0 or -errno
 */
static int net_tap_routes(struct nl *nl, int idx, const struct net_params *p, int family)
{
	bool v6 = family == AF_INET6, quickack = net_tap_quickack(p->mtu);
	struct nl_route r = {
		.family = family,
		.ifindex = idx,
		.dst = v6 ? (const void *)&p->topo.net6 : (const void *)&p->topo.net,
		.dst_len = v6 ? p->topo.prefix6 : p->topo.prefix,
		.prefsrc = v6 ? NULL : &p->topo.guest,
		.priority = v6 ? 256 : 0,
		.protocol = RTPROT_KERNEL,
		.replace = true,
		.quickack = true,
	};
	int ret;

	if (quickack) {
		ret = nl_route_add(nl, &r);
		if (ret < 0) {
			char what[128];

			snprintf(what, sizeof(what), "giving the %s prefix route on %s quick ACKs",
				 v6 ? "IPv6" : "IPv4", p->ifname);
			return net_nl_fail(nl, what, ret);
		}
	}
	r = (struct nl_route){
		.family = family,
		.ifindex = idx,
		.gw = v6 ? (const void *)&p->topo.gw6 : (const void *)&p->topo.gw,
		.protocol = RTPROT_BOOT,
		.replace = true,
		.quickack = quickack,
	};
	ret = nl_route_add(nl, &r);
	if (ret < 0)
		return net_nl_fail(nl,
				   v6 ? "adding the IPv6 default route (--ipv6)"
				      : "adding the IPv4 default route",
				   ret);
	debug("%s routes on %s%s", v6 ? "IPv6" : "IPv4", p->ifname,
	      quickack ? " with quick ACKs" : "");
	return 0;
}

/**
 * net_tap_static_ipv6() - Ignore router advertisements on the tap: IPv6 is set up statically
 * @ifname:	the tap
 *
 * libslirp advertises fd00::/64, and the kernel would add a SLAAC address beside
 * fd00::100 and prefer it as the source towards fd00::2. A UDP service answering from a
 * wildcard socket then replied from that address, which matched no libslirp forward (they
 * point at fd00::100): the reply left from a new port and never reached the client. With
 * accept_ra and autoconf off, fd00::100 is the one global address, and the routes are ours.
 *
 * Return: 0 or -errno
 */
static int net_tap_static_ipv6(const char *ifname)
{
	static const char *const knobs[] = {"accept_ra", "autoconf"};

	for (size_t i = 0; i < ARRAY_SIZE(knobs); i++) {
		char path[128];
		int ret;

		snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/%s", ifname, knobs[i]);
		ret = util_write_file(path, "0\n");
		if (ret < 0)
			return ret;
	}
	return 0;
}

/**
 * net_tap_configure() - Give the tap its MTU, addresses and routes, and bring it up
 * @nl:		rtnetlink socket
 * @p:		parameters
 *
 * Return: 0 or -errno
 */
static int net_tap_configure(struct nl *nl, const struct net_params *p)
{
	int idx = (int)if_nametoindex(p->ifname);
	char what[128];
	int ret;

	if (!idx)
		return -errno;
	if (p->ipv6) {
		ret = net_tap_static_ipv6(p->ifname);
		if (ret < 0)
			warn("--ipv6: cannot turn off router advertisements on %s (%s): a second, "
			     "SLAAC address may answer UDP forwards from the wrong source",
			     p->ifname, error_errstr(-ret));
	}
	ret = nl_link_set(nl, idx, true, p->mtu, 0);
	if (ret < 0) {
		snprintf(what, sizeof(what), "setting %s up with MTU %u", p->ifname, p->mtu);
		return net_nl_fail(nl, what, ret);
	}
	ret = nl_addr_add(nl, idx, AF_INET, &p->topo.guest, p->topo.prefix, 0);
	/* a tap that outlived its network process keeps its address: fine */
	if (ret < 0 && ret != -EEXIST) {
		snprintf(what, sizeof(what), "adding the IPv4 address to %s", p->ifname);
		return net_nl_fail(nl, what, ret);
	}
	ret = net_tap_routes(nl, idx, p, AF_INET);
	if (ret < 0 || !p->ipv6)
		return ret;
	ret = nl_addr_add(nl, idx, AF_INET6, &p->topo.guest6, p->topo.prefix6, IFA_F_NODAD);
	if (ret < 0 && ret != -EEXIST) {
		snprintf(what, sizeof(what), "adding the IPv6 address to %s (--ipv6)", p->ifname);
		return net_nl_fail(nl, what, ret);
	}
	return net_tap_routes(nl, idx, p, AF_INET6);
}

/**
 * net_send_tap() - Send the tap fd (or an error) to the parent
 * @sock:	start-up channel, or the tap maker's socket
 * @fd:		tap fd, or -1
 * @error:	0, or -errno when @fd is -1
 *
 * Return: 0 or -errno
 */
static int net_send_tap(int sock, int fd, int error)
{
	struct net_tap_msg m = {.magic = NET_TAP_MAGIC, .err = error};

	return helper_send(sock, &m, sizeof(m), &fd, fd >= 0 ? 1 : 0);
}

/**
 * net_tap_open() - Create the tap, waiting a moment while its name is still taken
 * @ifname:	its name
 *
 * When the network process is replaced, the tap it held goes away as its last fd closes;
 * creating one of the same name may briefly find the old one still there.
 *
 * Return: the tap fd, or -errno
 */
static int net_tap_open(const char *ifname)
{
	int tap = -EBUSY;

	for (int i = 0; i < NET_TAP_BUSY_TRIES; i++) {
		tap = tap_open(ifname);
		if (tap != -EBUSY)
			break;
		nanosleep(&(struct timespec){.tv_nsec = NET_TAP_BUSY_WAIT_MS * 1000000L}, NULL);
	}
	return tap;
}

/**
 * net_tap_make() - Make the tap in the current network namespace, configure it, send it
 * @p:		parameters
 * @sock:	where the tap goes: the start-up channel, or the tap maker's socket
 * @lo:		bring lo up first (the first set-up of the namespace)
 *
 * Return: 0 or -errno (the receiver was told)
 */
static int net_tap_make(const struct net_params *p, int sock, bool lo)
{
	struct nl nl;
	cleanup_close int tap = -1;
	int ret;

	ret = nl_open(&nl);
	if (ret < 0) {
		err_errno(ret, "cannot open a netlink socket");
		goto fail;
	}
	if (lo) {
		ret = net_lo_up(&nl);
		if (ret < 0)
			goto fail_nl;
	}
	tap = net_tap_open(p->ifname);
	if (tap < 0) {
		ret = tap;
		err("cannot create the tap %s with /dev/net/tun: %s%s", p->ifname,
		    error_errstr(-ret),
		    ret == -EACCES || ret == -EPERM || ret == -ENOENT
			    ? " (is /dev/net/tun present and mode 0666?)"
			    : "");
		goto fail_nl;
	}
	ret = net_tap_configure(&nl, p);
	if (ret < 0)
		goto fail_nl;
	nl_close(&nl);
	ret = net_send_tap(sock, tap, 0);
	if (ret < 0)
		err_errno(ret, "cannot send the tap to the parent");
	return ret;
fail_nl:
	nl_close(&nl);
fail:
	net_send_tap(sock, -1, ret);
	return ret;
}

/**
 * net_child_setup() - Set up interfaces in the new network namespace (child side)
 * @c:		configuration
 * @chan:	channel to the parent
 *
 * Return: 0 or -errno
 */
int net_child_setup(const struct conf *c, int chan)
{
	struct net_params p;
	struct nl nl;
	int ret;

	if (c->net != CONF_NET_HOST)
		tcpcc_netns_default(); /* failure: a warning, start-up goes on */
	switch (c->net) {
	case CONF_NET_HOST:
		return 0;
	case CONF_NET_NONE:
		ret = nl_open(&nl);
		if (ret < 0) {
			err_errno(ret, "cannot open a netlink socket");
			return ret;
		}
		ret = net_lo_up(&nl);
		nl_close(&nl);
		return ret;
	case CONF_NET_SLIRP4NETNS:
		ret = net_resolve(c, &p);
		if (ret < 0) {
			net_send_tap(chan, -1, ret);
			return ret;
		}
		return net_tap_make(&p, chan, true);
	}
	return -EINVAL;
}

/**
 * net_recv_tap() - Receive the tap fd from the child, or from the helper that remade it
 * @sock:	start-up channel, or the helper's socket
 * @timeout_ms:	bound
 *
 * Return: the fd, the sender's -errno, -ETIMEDOUT, -EPIPE if the sender is gone, -EPROTO for
 * an unexpected message
 */
static int net_recv_tap(int sock, int timeout_ms)
{
	struct net_tap_msg m;
	size_t n_fds = 0;
	int fd = -1;
	ssize_t n;

	n = helper_recv(sock, &m, sizeof(m), &fd, 1, &n_fds, timeout_ms);
	if (n == 0)
		return -EPIPE;
	if (n < 0)
		return n == -EMSGSIZE ? -EPROTO : (int)n;
	if ((size_t)n != sizeof(m) || memcmp(m.magic, NET_TAP_MAGIC, sizeof(m.magic)) != 0 ||
	    m.err || !n_fds) {
		if (n_fds)
			close(fd);
		if ((size_t)n == sizeof(m) && m.err < 0)
			return m.err;
		return -EPROTO;
	}
	return fd;
}

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
	return net_tap_make(arg, sock, false) ? 1 : 0;
}

/**
 * net_tap_remake() - Make a new tap in the namespace, configured as the first one
 * @n:		state
 *
 * Return: the tap's fd, or -errno (logged)
 */
static int net_tap_remake(struct net *n)
{
	struct helper_ns ns = {.pid = n->ns_pid, .netns_path = n->netns_path};
	struct helper_spec s = {
		.name = NET_TAP_HELPER_NAME,
		.ns = &ns,
		.fn = net_tap_helper,
		.arg = &n->p,
	};
	struct helper h;
	int tap, ret, st;

	ret = helper_spawn(&s, &h);
	if (ret)
		return ret;
	tap = net_recv_tap(h.sock, NET_TAP_TIMEOUT_MS);
	helper_reap(&h, NET_EXIT_TIMEOUT_MS, &st);
	return tap;
}

/**
 * net_proc_launch() - Start a network process on a tap and watch it
 * @n:		state, without a network process
 * @tap:	the tap, owned from now on
 *
 * Return: 0 or -errno (logged)
 */
static int net_proc_launch(struct net *n, int tap)
{
	int ret, st;

	ret = netproc_spawn(&n->nc, tap, &n->proc);
	if (ret < 0) {
		err_errno(ret, "cannot start the network process");
		return ret;
	}
	ret = netproc_wait_ready(n->proc.sock, NET_READY_TIMEOUT_MS);
	if (ret < 0) {
		char how[128];

		helper_stop(&n->proc, NET_EXIT_TIMEOUT_MS, &st);
		err("the network process did not start: %s (it %s)", error_errstr(-ret),
		    helper_status_str(st, how, sizeof(how)));
		return ret;
	}
	n->dead.fd = n->proc.pidfd;
	ret = loop_add(n->l, &n->dead, EPOLLIN);
	if (ret < 0) {
		helper_stop(&n->proc, NET_EXIT_TIMEOUT_MS, &st);
		err_errno(ret, "cannot watch the network process");
		return ret;
	}
	debug("network process %d runs libslirp (MTU %u, IPv6 %s)", (int)n->proc.pid, n->p.mtu,
	      n->p.ipv6 ? "on" : "off");
	return 0;
}

/**
 * net_restart() - Replace a dead network process: a new tap, a new process, the forwards
 * @n:		state, without a network process
 *
 * Return: 0 or -errno (logged)
 */
static int net_restart(struct net *n)
{
	int tap, ret;

	tap = net_tap_remake(n);
	if (tap < 0) {
		err_errno(tap, "cannot make a new tap in the namespace");
		return tap;
	}
	ret = net_proc_launch(n, tap);
	if (ret)
		return ret;
	n->restarts++;
	info("a new network process runs (pid %d, restart %lu): the namespace has its network "
	     "back; connections open through the old one are lost",
	     (int)n->proc.pid, n->restarts);
	if (n->restarted)
		n->restarted(n->restarted_data);
	return 0;
}

/**
 * net_revive() - Restart the network process if the budget allows, else schedule it
 * @n:		state, without a network process
 *
 * Return: nothing
 */
static void net_revive(struct net *n)
{
	uint64_t now = loop_now_ns(), when = helper_budget_take(&n->budget, now);

	if (when) {
		err("the network process died %d times in %d s: the namespace has no network "
		    "until a new one starts in %llu s",
		    HELPER_RESTARTS, HELPER_RESTART_WINDOW_S,
		    (unsigned long long)((when - now) / 1000000000ULL + 1));
		loop_timer_arm(n->l, &n->retry, when);
		return;
	}
	if (net_restart(n)) {
		err("the namespace has no network: trying again in %d ms", NET_RETRY_MS);
		loop_timer_arm(n->l, &n->retry, now + NET_RETRY_MS * 1000000ULL);
	}
}

/**
 * net_dead_cb() - Loop callback: the network process's pidfd is readable, it exited
 * @l:		loop
 * @lfd:	pidfd registration
 * @events:	epoll events
 *
 * Return: nothing
 */
static void net_dead_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct net *n = lfd->data;
	pid_t pid = n->proc.pid;
	char how[128];
	int st;

	(void)events;
	loop_del(l, lfd);
	helper_reap(&n->proc, NET_HUP_REAP_MS, &st);
	warn("the network process (libslirp, pid %d) %s%s: starting a new one", (int)pid,
	     helper_status_str(st, how, sizeof(how)),
	     WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS
		     ? " (--slirp4netns-seccomp=false runs it without the filter)"
		     : "");
	net_revive(n);
}

/**
 * net_retry_cb() - Timer: the budget allows a new network process now, or try again
 * @l:		loop
 * @t:		the retry timer
 *
 * Return: nothing
 */
static void net_retry_cb(struct loop *l, struct loop_timer *t)
{
	struct net *n = t->data;

	(void)l;
	if (!n->proc.pid)
		net_revive(n);
}

/**
 * net_parent_start() - Start the parent side of the network
 * @c:		configuration
 * @l:		event loop
 * @chan:	channel to the child
 * @ns:		the child's namespaces, where a new tap is made if the network process dies
 * @out:	network state, NULL when the network needs none
 *
 * Return: 0 or -errno (after a message)
 */
int net_parent_start(const struct conf *c, struct loop *l, int chan, const struct helper_ns *ns,
		     struct net **out)
{
	struct net *n;
	int tap, ret;

	*out = NULL;
	if (c->net == CONF_NET_HOST || c->net == CONF_NET_NONE)
		return 0;
	if (c->net != CONF_NET_SLIRP4NETNS)
		return -EINVAL;
	n = calloc(1, sizeof(*n));
	if (!n)
		return -ENOMEM;
	n->l = l;
	n->proc = (struct helper)HELPER_INIT;
	n->dead = (struct loop_fd){.fd = -1, .cb = net_dead_cb, .data = n};
	n->retry = (struct loop_timer){.cb = net_retry_cb, .data = n};
	n->ns_pid = ns->pid;
	ret = net_resolve(c, &n->p);
	if (ret < 0)
		goto fail;
	if (ns->netns_path && !(n->netns_path = strdup(ns->netns_path))) {
		ret = -ENOMEM;
		goto fail;
	}
	n->nc.un.topo = n->p.topo;
	n->nc.un.mtu = n->p.mtu;
	n->nc.un.ipv6 = n->p.ipv6;
	n->nc.un.disable_host_loopback = c->disable_host_loopback;
	n->nc.sandbox = c->sandbox;
	n->nc.seccomp = c->seccomp;
	tap = net_recv_tap(chan, NET_TAP_TIMEOUT_MS);
	if (tap < 0) {
		ret = tap;
		err_errno(ret, "no tap from the child");
		goto fail;
	}
	ret = net_proc_launch(n, tap);
	if (ret < 0)
		goto fail;
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
 * net_free() - Stop the network: the network process exits and is reaped
 * @n:		state from net_parent_start(), may be NULL; call before loop_free()
 *
 * Return: nothing
 */
void net_free(struct net *n)
{
	int st;

	if (!n)
		return;
	loop_timer_disarm(n->l, &n->retry);
	if (n->proc.pid) {
		loop_del(n->l, &n->dead);
		/* closing the control socket starts its drain: what the command sent is delivered */
		helper_stop(&n->proc, NET_EXIT_TIMEOUT_MS, &st);
		if (!WIFEXITED(st) || WEXITSTATUS(st)) {
			char how[128];

			warn("the network process %s", helper_status_str(st, how, sizeof(how)));
		}
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
	return n->proc.pid;
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

	if (!n || !n->proc.pid)
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
	return netproc_call(n->proc.sock, &req, NET_CTL_TIMEOUT_MS);
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

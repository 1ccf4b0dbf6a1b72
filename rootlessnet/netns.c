/* netns.c - the network namespace's interfaces: lo, the tap, its addresses and routes */
/**
 * DOC: Theory of operation
 *
 * What is done inside the namespace (the child, or the helper that makes a new tap when the
 * network process is replaced). --net=host: nothing. --net=none: lo up. In a namespace of
 * ours lo's local routes get RTAX_QUICKACK (netns_lo_quickack(): loopback TCP, the builtin
 * port driver's inside hop among it, runs much faster without delayed ACKs), and TCP's
 * default congestion control does not pace (tcpcc.c: every hop in the namespace is local).
 *
 * --net=slirp4netns, netns_child_setup(): lo up; a tap created with /dev/net/tun; over
 * rtnetlink (nl.c) the tap gets its MTU and goes up, gets 10.0.2.100/24 and the default
 * route via 10.0.2.2, and with --ipv6 fd00::100/64 (IFA_F_NODAD: usable at once) and the
 * default route via fd00::2, with router advertisements ignored so that no SLAAC address
 * competes with fd00::100. With a large MTU (the default 65520) the tap's routes carry
 * RTAX_QUICKACK, because libslirp's 64 KiB window would otherwise make a stream into the
 * namespace stop and wait for each delayed ACK (netns_tap_quickack() has the reasoning and
 * the threshold). Its fd goes to the parent, one SEQPACKET message with SCM_RIGHTS
 * (netns_send_tap(), netns_recv_tap()), together with a NETLINK_SOCK_DIAG socket made in the
 * namespace, through which the network process later asks which of the namespace's TCP
 * sockets a program still holds (orphan.c); a failure is sent as a message without fd, so
 * the parent reports it instead of waiting.
 *
 * --net=pasta: lo up, then pasta.c's pasta_child_wait(): pasta makes the tap itself.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/rtnetlink.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "error.h"
#include "helper.h"
#include "log.h"
#include "netns.h"
#include "nl.h"
#include "pasta.h"
#include "tap.h"
#include "tcpcc.h"
#include "topo.h"
#include "util.h"

#define NETNS_TAP_MAGIC "rn-tap1"
/* a new tap's name may be busy for a moment after the old one's last fd closed */
#define NETNS_TAP_BUSY_TRIES   50
#define NETNS_TAP_BUSY_WAIT_MS 10
/* IPv4 and TCP headers without options: the MSS is the MTU less this */
#define NETNS_TCPIP_HDR 40
/* below this many full segments in a 64 KiB window, the tap's routes get quick ACKs */
#define NETNS_QUICKACK_SEGS 6

/**
 * struct netns_tap_msg - the child's message carrying the tap fd (or why there is none)
 * @magic:	NETNS_TAP_MAGIC
 * @err:	0 with an fd attached, else -errno
 */
struct netns_tap_msg {
	char magic[8];
	int32_t err;
};

/**
 * netns_params_of() - What the tap needs of the configuration
 * @c:		configuration (conf_derive() has applied the defaults)
 * @p:		filled in
 *
 * Return: nothing
 */
void netns_params_of(const struct conf *c, struct net_params *p)
{
	memset(p, 0, sizeof(*p));
	p->topo = c->topo;
	p->mtu = c->mtu;
	snprintf(p->ifname, sizeof(p->ifname), "%s", c->ifname);
	p->ipv6 = c->ipv6;
}

/**
 * netns_nl_fail() - Report a failed netlink step with the kernel's message
 * @nl:		socket, holding the kernel's message
 * @what:	what was done
 * @ret:	-errno
 *
 * Return: @ret
 */
static int netns_nl_fail(const struct nl *nl, const char *what, int ret)
{
	const char *m = nl_errmsg(nl);

	err("netlink: %s: %s%s%s", what, error_errstr(-ret), *m ? ": " : "", m);
	return ret;
}

/**
 * netns_lo_quickack() - Quick ACKs for TCP over the namespace's loopback
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
static int netns_lo_quickack(struct nl *nl, int idx)
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
 * netns_lo_up() - Bring lo up in the current network namespace, with quick ACKs
 * @nl:		rtnetlink socket
 *
 * Return: 0 or -errno
 */
static int netns_lo_up(struct nl *nl)
{
	int idx = (int)if_nametoindex("lo");
	int ret;

	if (!idx)
		return -errno;
	ret = nl_link_set(nl, idx, true, 0, 0);
	if (ret < 0)
		return netns_nl_fail(nl, "bringing lo up", ret);
	ret = netns_lo_quickack(nl, idx);
	if (ret < 0)
		warn("loopback TCP in the namespace keeps delayed ACKs (slower): %s",
		     *nl_errmsg(nl) ? nl_errmsg(nl) : error_errstr(-ret));
	return 0;
}

/**
 * netns_tap_quickack() - Whether TCP over the tap should acknowledge every segment at once
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
 * Return: true when fewer than NETNS_QUICKACK_SEGS full IPv4 segments fit in 64 KiB
 */
bool netns_tap_quickack(unsigned int mtu)
{
	return mtu > NETNS_TCPIP_HDR && 65535u / (mtu - NETNS_TCPIP_HDR) < NETNS_QUICKACK_SEGS;
}

/**
 * netns_tap_routes() - The tap's prefix routes (with quick ACKs) and default routes
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
static int netns_tap_routes(struct nl *nl, int idx, const struct net_params *p, int family)
{
	bool v6 = family == AF_INET6, quickack = netns_tap_quickack(p->mtu);
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
			return netns_nl_fail(nl, what, ret);
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
		return netns_nl_fail(nl,
				     v6 ? "adding the IPv6 default route (--ipv6)"
					: "adding the IPv4 default route",
				     ret);
	debug("%s routes on %s%s", v6 ? "IPv6" : "IPv4", p->ifname,
	      quickack ? " with quick ACKs" : "");
	return 0;
}

/**
 * netns_tap_static_ipv6() - Ignore router advertisements on the tap: IPv6 is set up statically
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
static int netns_tap_static_ipv6(const char *ifname)
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
 * netns_tap_configure() - Give the tap its MTU, addresses and routes, and bring it up
 * @nl:		rtnetlink socket
 * @p:		parameters
 *
 * Return: 0 or -errno
 */
static int netns_tap_configure(struct nl *nl, const struct net_params *p)
{
	int idx = (int)if_nametoindex(p->ifname);
	char what[128];
	int ret;

	if (!idx)
		return -errno;
	if (p->ipv6) {
		ret = netns_tap_static_ipv6(p->ifname);
		if (ret < 0)
			warn("--ipv6: cannot turn off router advertisements on %s (%s): a second, "
			     "SLAAC address may answer UDP forwards from the wrong source",
			     p->ifname, error_errstr(-ret));
	}
	ret = nl_link_set(nl, idx, true, p->mtu, 0);
	if (ret < 0) {
		snprintf(what, sizeof(what), "setting %s up with MTU %u", p->ifname, p->mtu);
		return netns_nl_fail(nl, what, ret);
	}
	ret = nl_addr_add(nl, idx, AF_INET, &p->topo.guest, p->topo.prefix, 0);
	/* a tap that outlived its network process keeps its address: fine */
	if (ret < 0 && ret != -EEXIST) {
		snprintf(what, sizeof(what), "adding the IPv4 address to %s", p->ifname);
		return netns_nl_fail(nl, what, ret);
	}
	ret = netns_tap_routes(nl, idx, p, AF_INET);
	if (ret < 0 || !p->ipv6)
		return ret;
	ret = nl_addr_add(nl, idx, AF_INET6, &p->topo.guest6, p->topo.prefix6, IFA_F_NODAD);
	if (ret < 0 && ret != -EEXIST) {
		snprintf(what, sizeof(what), "adding the IPv6 address to %s (--ipv6)", p->ifname);
		return netns_nl_fail(nl, what, ret);
	}
	return netns_tap_routes(nl, idx, p, AF_INET6);
}

/**
 * netns_send_tap() - Send the tap fd and the diag socket (or an error) to the parent
 * @sock:	start-up channel, or the tap maker's socket
 * @fd:		tap fd, or -1
 * @diag:	NETLINK_SOCK_DIAG socket, or -1 (only with a tap)
 * @error:	0, or -errno when @fd is -1
 *
 * Return: 0 or -errno
 */
static int netns_send_tap(int sock, int fd, int diag, int error)
{
	struct netns_tap_msg m = {.magic = NETNS_TAP_MAGIC, .err = error};
	int fds[2] = {fd, diag};

	return helper_send(sock, &m, sizeof(m), fds, fd < 0 ? 0 : diag < 0 ? 1 : 2);
}

/**
 * netns_tap_open() - Create the tap, waiting a moment while its name is still taken
 * @ifname:	its name
 *
 * When the network process is replaced, the tap it held goes away as its last fd closes;
 * creating one of the same name may briefly find the old one still there.
 *
 * Return: the tap fd, or -errno
 */
static int netns_tap_open(const char *ifname)
{
	int tap = -EBUSY;

	for (int i = 0; i < NETNS_TAP_BUSY_TRIES; i++) {
		tap = tap_open(ifname);
		if (tap != -EBUSY)
			break;
		nanosleep(&(struct timespec){.tv_nsec = NETNS_TAP_BUSY_WAIT_MS * 1000000L}, NULL);
	}
	return tap;
}

/**
 * netns_tap_make() - Make the tap in the current network namespace, configure it, send it
 * @p:		parameters
 * @sock:	where the tap goes: the start-up channel, or the tap maker's socket
 * @lo:		bring lo up first (the first set-up of the namespace)
 *
 * Return: 0 or -errno (the receiver was told)
 */
int netns_tap_make(const struct net_params *p, int sock, bool lo)
{
	struct nl nl;
	cleanup_close int tap = -1;
	cleanup_close int diag = -1;
	int ret;

	ret = nl_open(&nl);
	if (ret < 0) {
		err_errno(ret, "cannot open a netlink socket");
		goto fail;
	}
	if (lo) {
		ret = netns_lo_up(&nl);
		if (ret < 0)
			goto fail_nl;
	}
	tap = netns_tap_open(p->ifname);
	if (tap < 0) {
		ret = tap;
		err("cannot create the tap %s with /dev/net/tun: %s%s", p->ifname,
		    error_errstr(-ret),
		    ret == -EACCES || ret == -EPERM || ret == -ENOENT
			    ? " (is /dev/net/tun present and mode 0666?)"
			    : "");
		goto fail_nl;
	}
	ret = netns_tap_configure(&nl, p);
	if (ret < 0)
		goto fail_nl;
	nl_close(&nl);
	diag = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (diag < 0)
		warn_errno(errno, "no NETLINK_SOCK_DIAG socket in the namespace: connections "
				  "libslirp keeps half-closed after their program is gone are not "
				  "closed");
	ret = netns_send_tap(sock, tap, diag, 0);
	if (ret < 0)
		err_errno(ret, "cannot send the tap to the parent");
	return ret;
fail_nl:
	nl_close(&nl);
fail:
	netns_send_tap(sock, -1, -1, ret);
	return ret;
}

/**
 * netns_child_setup() - Set up interfaces in the new network namespace (child side)
 * @c:		configuration
 * @chan:	channel to the parent
 *
 * Return: 0 or -errno
 */
int netns_child_setup(const struct conf *c, int chan)
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
		ret = netns_lo_up(&nl);
		nl_close(&nl);
		return ret;
	case CONF_NET_SLIRP4NETNS:
		netns_params_of(c, &p);
		return netns_tap_make(&p, chan, true);
	case CONF_NET_PASTA:
		/* pasta makes and configures the tap: lo, then wait for it (pasta.c) */
		ret = nl_open(&nl);
		if (ret < 0) {
			err_errno(ret, "cannot open a netlink socket");
			return pasta_child_wait(c, chan, ret);
		}
		ret = netns_lo_up(&nl);
		nl_close(&nl);
		return pasta_child_wait(c, chan, ret);
	}
	return -EINVAL;
}

/**
 * netns_recv_tap() - Receive the tap fd (and the diag socket) from the child, or from the
 * helper that remade it
 * @sock:	start-up channel, or the helper's socket
 * @timeout_ms:	bound
 * @out:	the tap, and the diag socket or -1
 *
 * Return: 0, the sender's -errno, -ETIMEDOUT, -EPIPE if the sender is gone, -EPROTO for an
 * unexpected message
 */
int netns_recv_tap(int sock, int timeout_ms, struct netns_fds *out)
{
	struct netns_tap_msg m;
	size_t n_fds = 0;
	int fds[2] = {-1, -1};
	ssize_t n;

	n = helper_recv(sock, &m, sizeof(m), fds, 2, &n_fds, timeout_ms);
	if (n == 0)
		return -EPIPE;
	if (n < 0)
		return n == -EMSGSIZE ? -EPROTO : (int)n;
	if ((size_t)n != sizeof(m) || memcmp(m.magic, NETNS_TAP_MAGIC, sizeof(m.magic)) != 0 ||
	    m.err || !n_fds) {
		for (size_t i = 0; i < n_fds; i++)
			close(fds[i]);
		if ((size_t)n == sizeof(m) && m.err < 0)
			return m.err;
		return -EPROTO;
	}
	out->tap = fds[0];
	out->diag = n_fds > 1 ? fds[1] : -1;
	return 0;
}

/* srcip.c - the client's own address through the builtin port driver (--source-ip-transparent) */
/**
 * DOC: Theory of operation
 *
 * The builtin driver joins a client of a host socket to a socket made in the namespace
 * (fwd_tcp.c, fwd_udp.c). Connected as it comes, that socket has one of the namespace's own
 * addresses, and the service sees every client as 127.0.0.1. Instead, srcip_bind() makes it
 * IP_TRANSPARENT (IPV6_TRANSPARENT) and binds it to the client's address and port before it
 * connects: the service then sees the client itself. The parent does this on a spare socket
 * from the helper (nshelper.c): it owns the child's user namespace, so it holds the
 * CAP_NET_ADMIN over the namespace that IP_TRANSPARENT and SO_MARK ask for, and no round
 * trip is added to a connection.
 *
 * What the service sends back goes to the client's address, which the namespace would route
 * out of the tap (or nowhere), not to our socket. Three things bring it back:
 *
 * - Marks (nfmark.c). Our sockets carry SO_MARK SRCIP_SOCK_MARK; nftables tags their
 *   connections in conntrack and gives every packet of them that comes in the packet mark
 *   SRCIP_MARK. A rule "fwmark SRCIP_MARK lookup SRCIP_TABLE_LOCAL", whose table routes
 *   everything locally on lo, delivers those packets to our socket. That covers replies of a
 *   service behind DNAT in the namespace (a container behind a bridge: its replies come in
 *   through the bridge), and with net.ipv4.tcp_fwmark_accept=1 every TCP service: its
 *   accepted socket inherits the mark of our SYN, so its own packets take that table too.
 * - Client routes for UDP (srcroute.c). A UDP service has no accepted socket, and one bound
 *   to the wildcard address has its source chosen by the route to the client. While a
 *   client has a flow, SRCIP_TABLE_UDP routes its address locally with the flow's target as
 *   the source, and "iif lo ipproto udp lookup SRCIP_TABLE_UDP" makes what the namespace
 *   sends over UDP look there first. (rootlesskit 3.0 lacked this part: its UDP replies left
 *   through the tap, rootlesskit#592.)
 * - Nothing else changes: sockets and connections that are not ours carry neither mark nor
 *   route, and what the namespace sends to addresses that are not clients of a UDP flow is
 *   routed as before.
 *
 * Clients that cannot be shown as themselves keep today's behaviour (the namespace's own
 * address): loopback clients (127.0.0.0/8, ::1 would be the namespace's own loopback),
 * IPv6 link-local ones (their scope is a host interface), and those of the other family
 * than the target (an IPv6 client of a dual-stack port whose target is 127.0.0.1: an IPv4
 * socket cannot have an IPv6 address). So does a connection whose address cannot be bound
 * (a service in the namespace listens on the client's port, say), or a UDP client whose
 * flows go to two target addresses at once (a route has one source).
 *
 * The namespace is set up when the first client that can be shown arrives, not at start:
 * sessions whose clients are all local pay nothing (no conntrack in the namespace). Where the
 * kernel lacks a piece (nftables, conntrack marks, policy routing of a family), one warning
 * names it and those clients are shown as with --source-ip-transparent=false; a shortage
 * that passes (no descriptors, the helper being restarted) is tried again a second later.
 */
#include "config.h"

#include <errno.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "log.h"
#include "loop.h"
#include "nfmark.h"
#include "nl.h"
#include "nshelper.h"
#include "srcip.h"
#include "srcroute.h"

/* SO_MARK of our transparent sockets: their connections get tagged */
#define SRCIP_SOCK_MARK 0x00001000u
/* conntrack mark bit of those connections, and packet mark bit that routes them locally */
#define SRCIP_MARK 0x00002000u
/* "local default dev lo": where marked packets are looked up */
#define SRCIP_TABLE_LOCAL 29294
/* the UDP clients' routes */
#define SRCIP_TABLE_UDP 29295
/* rule priorities: before user rules and the main table (rootlesskit uses 100 too) */
#define SRCIP_PRIO_MARK 100
#define SRCIP_PRIO_UDP	101
/* most UDP client addresses routed at once */
#define SRCIP_MAX_CLIENTS 16384
/* lo is interface 1 in every network namespace */
#define SRCIP_LO_IFINDEX 1
/* after a set-up that failed for a passing reason, the next try */
#define SRCIP_RETRY_NS 1000000000ULL

/**
 * enum srcip_state - how far the namespace is set up
 * @SRCIP_UNSET:	not tried yet, or failed for a passing reason
 * @SRCIP_ON:		set up
 * @SRCIP_OFF:		the kernel lacks a piece: today's behaviour (warned once)
 */
enum srcip_state {
	SRCIP_UNSET = 0,
	SRCIP_ON,
	SRCIP_OFF,
};

/**
 * struct srcip - the namespace's set-up for transparent sockets
 * @h:		helper in the namespace: netlink sockets and sysctls come from it
 * @common:	nftables, tcp_fwmark_accept, the rtnetlink socket
 * @fam:	policy routing, [0] IPv4 and [1] IPv6
 * @retry_ns:	with a state SRCIP_UNSET after a failure: no new try before this time
 * @rt:		rtnetlink socket in the namespace (UDP client routes)
 * @routes:	UDP client routes
 */
struct srcip {
	struct nshelper *h;
	enum srcip_state common;
	enum srcip_state fam[2];
	uint64_t retry_ns;
	struct nl rt;
	struct srcroute_table routes;
};

/**
 * srcip_client_eligible() - Whether a client can be shown as itself to a target
 * @client:	the client's address (IPv4-mapped IPv6 addresses as IPv4: addr_ip_from_sa())
 * @target:	where its connection goes in the namespace
 *
 * Return: false for loopback and unspecified clients, IPv6 link-local ones, and a client of
 * the other family than the target
 */
bool srcip_client_eligible(const struct addr_ip *client, const union addr_sa *target)
{
	if (client->family != target->sa.sa_family || addr_ip_loopback(client) ||
	    addr_ip_wildcard(client))
		return false;
	return client->family != AF_INET6 || !IN6_IS_ADDR_LINKLOCAL(&client->v6);
}

/**
 * srcip_passing() - Whether a set-up failure may go away by itself
 * @ret:	negative errno
 *
 * Return: true for shortages (descriptors, memory) and a helper being replaced
 */
static bool srcip_passing(int ret)
{
	switch (ret) {
	case -EMFILE:
	case -ENFILE:
	case -ENOMEM:
	case -ENOBUFS:
	case -ENETDOWN:
	case -ETIMEDOUT:
	case -EPIPE:
	case -EPROTO:
	case -EAGAIN:
		return true;
	default:
		return false;
	}
}

/**
 * srcip_nl_error() - Fill @e for a failed netlink request, with the kernel's message
 * @e:		error
 * @nl:		socket, holding the kernel's message
 * @ret:	-errno
 * @what:	what was done
 * @needs:	the kernel feature it needs, for the user
 *
 * Return: @ret
 */
static int srcip_nl_error(struct error *e, const struct nl *nl, int ret, const char *what,
			  const char *needs)
{
	const char *m = nl_errmsg(nl);

	return error_plain(e, -ret, "%s: %s%s%s (it needs %s)", what, error_errstr(ret),
			   *m ? ": " : "", m, needs);
}

/**
 * srcip_route_add() - srcroute.c's add: route a UDP client's address locally
 * @data:	struct srcip
 * @client:	the client's address
 * @src:	the source for what goes there (the flow's target)
 *
 * Return: 0 or -errno (logged, rate-limited)
 */
static int srcip_route_add(void *data, const struct addr_ip *client, const struct addr_ip *src)
{
	struct srcip *s = data;
	bool v6 = client->family == AF_INET6;
	struct nl_route r = {
		.family = client->family,
		.ifindex = SRCIP_LO_IFINDEX,
		.table = SRCIP_TABLE_UDP,
		.type = RTN_LOCAL,
		.dst = v6 ? (const void *)&client->v6 : (const void *)&client->v4,
		.dst_len = v6 ? 128 : 32,
		.prefsrc = v6 ? (const void *)&src->v6 : (const void *)&src->v4,
		.protocol = RTPROT_STATIC,
		.replace = true,
	};
	int ret = nl_route_add(&s->rt, &r);

	if (ret)
		warn_errno_limited(ret,
				   "source IP: a UDP client is shown as the namespace's address: "
				   "cannot route its replies back%s%s",
				   *nl_errmsg(&s->rt) ? ": " : "", nl_errmsg(&s->rt));
	return ret;
}

/**
 * srcip_route_del() - srcroute.c's del: remove a UDP client's route
 * @data:	struct srcip
 * @client:	the client's address
 *
 * Return: 0 or -errno (logged at debug level: the route only stays unused)
 */
static int srcip_route_del(void *data, const struct addr_ip *client)
{
	struct srcip *s = data;
	bool v6 = client->family == AF_INET6;
	struct nl_route r = {
		.family = client->family,
		.ifindex = SRCIP_LO_IFINDEX,
		.table = SRCIP_TABLE_UDP,
		.type = RTN_LOCAL,
		.dst = v6 ? (const void *)&client->v6 : (const void *)&client->v4,
		.dst_len = v6 ? 128 : 32,
	};
	int ret = nl_route_del(&s->rt, &r);

	if (ret)
		debug_errno_limited(ret, "source IP: cannot remove a UDP client's route");
	return ret;
}

/**
 * srcip_new() - State for showing clients as themselves; the namespace is set up later
 * @h:		the helper in the namespace
 * @out:	the state
 *
 * Return: 0 or -ENOMEM
 */
int srcip_new(struct nshelper *h, struct srcip **out)
{
	struct srcip *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->h = h;
	*out = s;
	return 0;
}

/**
 * srcip_setup_nft() - Install the nftables table (nfmark.c) in the namespace
 * @s:		state
 * @e:		what failed
 *
 * Return: 0 or -errno
 */
static int srcip_setup_nft(struct srcip *s, struct error *e)
{
	static const struct nfmark_marks marks = {
		.sock = SRCIP_SOCK_MARK,
		.ct = SRCIP_MARK,
		.route = SRCIP_MARK,
	};
	struct nl nf;
	int fd, ret;

	fd = nshelper_netlink(s->h, NETLINK_NETFILTER);
	if (fd == -EPROTONOSUPPORT)
		return error_plain(e, EPROTONOSUPPORT,
				   "the kernel has no nftables (CONFIG_NF_TABLES)");
	if (fd < 0)
		return error_errno(e, fd, "no nftables socket in the namespace");
	ret = nl_adopt(&nf, fd);
	if (ret)
		return error_errno(e, ret, "cannot bind an nftables socket");
	ret = nfmark_install(&nf, &marks, e);
	nl_close(&nf);
	if (ret)
		error_wrap(e, "nftables (it needs nf_tables with conntrack marks: "
			      "CONFIG_NF_TABLES_INET, CONFIG_NFT_CT, CONFIG_NF_CONNTRACK_MARK)");
	return ret;
}

/**
 * srcip_setup_fwmark_accept() - net.ipv4.tcp_fwmark_accept=1 in the namespace: accepted
 *				 TCP sockets take their SYN's mark
 * @s:		state
 * @e:		what failed
 *
 * Return: 0 or -errno
 */
static int srcip_setup_fwmark_accept(struct srcip *s, struct error *e)
{
	int fd = nshelper_sysctl(s->h, NSHELPER_SYSCTL_TCP_FWMARK_ACCEPT);
	ssize_t n;

	if (fd == -ENOENT)
		return error_plain(e, ENOENT, "the kernel has no net.ipv4.tcp_fwmark_accept");
	if (fd < 0)
		return error_errno(e, fd, "cannot open net.ipv4.tcp_fwmark_accept");
	n = write(fd, "1\n", 2);
	if (n != 2) {
		int ret = n < 0 ? -errno : -EIO;

		close(fd);
		return error_errno(e, ret, "cannot set net.ipv4.tcp_fwmark_accept");
	}
	close(fd);
	return 0;
}

/**
 * srcip_setup_common() - What both families need: nftables, tcp_fwmark_accept, the
 *			  rtnetlink socket and the UDP client routes' table
 * @s:		state
 * @e:		what failed
 *
 * Return: 0 or -errno
 */
static int srcip_setup_common(struct srcip *s, struct error *e)
{
	const struct srcroute_ops ops = {
		.add = srcip_route_add,
		.del = srcip_route_del,
		.data = s,
	};
	int fd, ret;

	ret = srcip_setup_nft(s, e);
	if (!ret)
		ret = srcip_setup_fwmark_accept(s, e);
	if (ret)
		return ret;
	fd = nshelper_netlink(s->h, NETLINK_ROUTE);
	if (fd < 0)
		return error_errno(e, fd, "no rtnetlink socket in the namespace");
	ret = nl_adopt(&s->rt, fd);
	if (ret)
		return error_errno(e, ret, "cannot bind an rtnetlink socket");
	ret = srcroute_init(&s->routes, SRCIP_MAX_CLIENTS, &ops);
	if (ret) {
		nl_close(&s->rt);
		return error_errno(e, ret, "UDP client routes");
	}
	return 0;
}

/**
 * srcip_setup_family() - Policy routing for one family: the local table and its rules
 * @s:		state, common part set up
 * @family:	AF_INET or AF_INET6
 * @e:		what failed
 *
 * Return: 0 or -errno (a rule or route that is already there counts as made)
 */
static int srcip_setup_family(struct srcip *s, int family, struct error *e)
{
	const char *needs = family == AF_INET6 ? "IPv6 policy routing: CONFIG_IPV6_MULTIPLE_TABLES"
					       : "policy routing: CONFIG_IP_MULTIPLE_TABLES";
	struct nl_route local = {
		.family = family,
		.ifindex = SRCIP_LO_IFINDEX,
		.table = SRCIP_TABLE_LOCAL,
		.type = RTN_LOCAL,
		.protocol = RTPROT_STATIC,
		.replace = true,
		.quickack = true,
	};
	struct nl_rule mark = {
		.family = family,
		.priority = SRCIP_PRIO_MARK,
		.table = SRCIP_TABLE_LOCAL,
		.fwmark = SRCIP_MARK,
		.fwmask = SRCIP_MARK,
	};
	struct nl_rule udp = {
		.family = family,
		.priority = SRCIP_PRIO_UDP,
		.table = SRCIP_TABLE_UDP,
		.iifname = "lo",
		.ip_proto = IPPROTO_UDP,
	};
	int ret;

	ret = nl_route_add(&s->rt, &local);
	if (ret)
		return srcip_nl_error(e, &s->rt, ret, "cannot add the route local default dev lo",
				      needs);
	ret = nl_rule_add(&s->rt, &mark);
	if (ret && ret != -EEXIST)
		return srcip_nl_error(e, &s->rt, ret, "cannot add the rule for marked packets",
				      needs);
	ret = nl_rule_add(&s->rt, &udp);
	if (ret && ret != -EEXIST)
		return srcip_nl_error(e, &s->rt, ret, "cannot add the rule for UDP replies",
				      "rules that match a protocol: Linux 4.17");
	return 0;
}

/**
 * srcip_ready() - Set the namespace up for a family if that was not tried yet
 * @s:		state
 * @family:	AF_INET or AF_INET6
 *
 * Return: true when clients of @family can be shown as themselves
 */
static bool srcip_ready(struct srcip *s, int family)
{
	enum srcip_state *fam = &s->fam[family == AF_INET6];
	struct error e = {0};
	uint64_t now;
	int ret;

	if (s->common == SRCIP_ON && *fam != SRCIP_UNSET)
		return *fam == SRCIP_ON;
	if (s->common == SRCIP_OFF)
		return false;
	now = loop_now_ns();
	if (now < s->retry_ns)
		return false;
	if (s->common == SRCIP_UNSET) {
		ret = srcip_setup_common(s, &e);
		if (ret && srcip_passing(ret)) {
			s->retry_ns = now + SRCIP_RETRY_NS;
			debug_errno_limited(ret, "source IP: the namespace is not set up yet");
			return false;
		}
		if (ret) {
			s->common = SRCIP_OFF;
			error_wrap(&e,
				   "source IP (--source-ip-transparent): services behind builtin "
				   "ports see their clients as the namespace's own address, as "
				   "with --source-ip-transparent=false");
			warn_report(&e);
			return false;
		}
		s->common = SRCIP_ON;
	}
	ret = srcip_setup_family(s, family, &e);
	if (ret && srcip_passing(ret)) {
		s->retry_ns = now + SRCIP_RETRY_NS;
		debug_errno_limited(ret, "source IP: the namespace is not set up yet");
		return false;
	}
	*fam = ret ? SRCIP_OFF : SRCIP_ON;
	if (ret) {
		error_wrap(&e,
			   "source IP (--source-ip-transparent) of %s clients: they are "
			   "seen as the namespace's own address, as with "
			   "--source-ip-transparent=false",
			   addr_family_str(family));
		warn_report(&e);
		return false;
	}
	debug("source IP: %s clients of builtin ports are shown as themselves",
	      addr_family_str(family));
	return true;
}

/**
 * srcip_bind() - Give a new socket in the namespace the client's address, if it can have it
 * @s:		state
 * @fd:		socket from the helper, not bound yet, of the target's family
 * @socktype:	SOCK_STREAM, or SOCK_DGRAM (a UDP flow: the client's route is taken too)
 * @peer:	the client, as accept() or recvmmsg() gave it
 * @target:	where the socket connects in the namespace
 * @client:	set to the client's address (for srcip_release())
 *
 * Return: 1: bound to the client's address and port (UDP: call srcip_release() once the
 * socket is closed); 0: the client is shown as before (loopback, other family, the kernel
 * lacks a piece); -errno: it could not be bound (-EADDRINUSE: a socket in the namespace
 * has that port; -EBUSY: UDP, the client's route has another source) and the socket is
 * left as it came, to connect as before
 */
int srcip_bind(struct srcip *s, int fd, int socktype, const struct sockaddr *peer,
	       const union addr_sa *target, struct addr_ip *client)
{
	int family = target->sa.sa_family, one = 1, mark = SRCIP_SOCK_MARK, zero = 0, ret;
	const union addr_sa *p = (const union addr_sa *)(const void *)peer;
	struct addr_ip dst;
	union addr_sa sa;

	if (addr_ip_from_sa(peer, client) < 0 || !srcip_client_eligible(client, target) ||
	    !srcip_ready(s, family))
		return 0;
	if (socktype == SOCK_DGRAM) {
		addr_ip_from_sa(&target->sa, &dst);
		ret = srcroute_get(&s->routes, client, &dst);
		if (ret)
			return ret;
	}
	addr_sa_set(&sa, client, addr_sa_port(p));
	if (setsockopt(fd, family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6,
		       family == AF_INET ? IP_TRANSPARENT : IPV6_TRANSPARENT, &one,
		       sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &mark, sizeof(mark)) < 0 ||
	    bind(fd, &sa.sa, addr_sa_len(&sa)) < 0) {
		ret = -errno;
		setsockopt(fd, SOL_SOCKET, SO_MARK, &zero, sizeof(zero));
		if (socktype == SOCK_DGRAM)
			srcroute_put(&s->routes, client);
		return ret;
	}
	return 1;
}

/**
 * srcip_release() - A UDP flow bound by srcip_bind() is closed: drop its client's route
 * @s:		state
 * @client:	the address srcip_bind() gave
 *
 * Return: nothing
 */
void srcip_release(struct srcip *s, const struct addr_ip *client)
{
	srcroute_put(&s->routes, client);
}

/**
 * srcip_free() - Release the state; the UDP client routes left are removed
 * @s:		state, may be NULL
 *
 * The rest of the set-up stays in the namespace, which ends with the session.
 *
 * Return: nothing
 */
void srcip_free(struct srcip *s)
{
	if (!s)
		return;
	if (s->common == SRCIP_ON) {
		srcroute_fini(&s->routes);
		nl_close(&s->rt);
	}
	free(s);
}

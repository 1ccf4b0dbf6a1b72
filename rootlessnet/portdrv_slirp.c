/* portdrv_slirp.c - slirp4netns port driver: each binding is one libslirp host forward */
/**
 * DOC: Theory of operation
 *
 * With --port-driver=slirp4netns the host socket belongs to libslirp, in the network
 * process: a connection or datagram it accepts is carried through the user-mode network to
 * the namespace's own address, so the server inside sees the client's real address (a
 * loopback client appears as the gateway, 10.0.2.2 or fd00::2). portmap_resolve() has
 * already made each binding what libslirp can serve (portmap_caps_slirp()): one family per
 * host socket, a dual-stack request as two bindings (0.0.0.0, and [::] with IPV6_V6ONLY),
 * IPv6 only with --ipv6, a guest target of the listener's own family. Here each binding
 * becomes one net_hostfwd_add() (slirp_add_hostxfwd in the network process), and its
 * removal one net_hostfwd_remove(), keyed by the same host address and flags.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "error.h"
#include "log.h"
#include "net.h"
#include "portdrv_slirp.h"
#include "portmap.h"
#include "portsock.h"

/**
 * portdrv_slirp_add() - Add the libslirp host forward of a binding
 * @n:		network state (--net=slirp4netns)
 * @b:		binding, resolved for the slirp4netns driver
 * @e:		what failed, for the user
 *
 * Return: 0, or -errno (bind errors explained as for the builtin driver)
 */
int portdrv_slirp_add(struct net *n, const struct portmap_binding *b, struct error *e)
{
	bool udp = b->socktype == SOCK_DGRAM;
	char fmt[PORTMAP_FMTLEN];
	int ret;

	ret = net_hostfwd_add(n, udp, &b->listen.sa, addr_sa_len(&b->listen), &b->target.sa,
			      addr_sa_len(&b->target), b->v6only);
	if (!ret)
		return 0;
	portmap_binding_format(b, fmt, sizeof(fmt));
	switch (-ret) {
	case ENETDOWN:
		return error_plain(e, ret,
				   "cannot forward %s: the network process (libslirp) is down and "
				   "being restarted: try again in a minute",
				   fmt);
	case ETIMEDOUT:
	case EPIPE:
		return error_plain(e, ret,
				   "cannot forward %s: the network process does not answer (%s)",
				   fmt, error_errstr(ret));
	case EAFNOSUPPORT:
		return error_plain(e, ret, "cannot forward %s: IPv6 needs --ipv6", fmt);
	default:
		return portsock_explain(ret, b, e);
	}
}

/**
 * portdrv_slirp_remove() - Remove the libslirp host forward of a binding
 * @n:		network state
 * @b:		binding added by portdrv_slirp_add()
 *
 * Return: nothing (a failure is logged, unless there is no network process: the forward
 * went with it)
 */
void portdrv_slirp_remove(struct net *n, const struct portmap_binding *b)
{
	int ret;

	ret = net_hostfwd_remove(n, b->socktype == SOCK_DGRAM, &b->listen.sa,
				 addr_sa_len(&b->listen), b->v6only);
	/* without a network process the forward went with it: nothing to remove */
	if (ret && ret != -ENETDOWN) {
		char fmt[PORTMAP_FMTLEN];

		warn_errno_limited(ret, "removing the forward %s",
				   portmap_binding_format(b, fmt, sizeof(fmt)));
	}
}

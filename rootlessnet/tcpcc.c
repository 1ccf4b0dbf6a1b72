/* tcpcc.c - TCP congestion control on host-local hops: no pacing where there is no link */
/**
 * DOC: Theory of operation
 *
 * A pacing congestion control (bbr, which some hosts make their default) spreads a sender's
 * segments over time with a high-resolution timer. On a real path that keeps the
 * bottleneck's queue short. A host-local hop (loopback, the tap to libslirp, a bridge in the
 * namespace) has no bottleneck link: pacing there only arms timers (in a virtual machine
 * programming one may trap to the hypervisor) and holds data back. With bbr as the host's
 * default, on 2 cores, a stream out of the namespace through the builtin port driver to a
 * loopback client ran at 9 Gbit/s, and at 18 without pacing; into the namespace, when the
 * forwarder was the bottleneck, 17 against 25.
 *
 * So where a hop is local and its algorithm paces, rootlessnet replaces the algorithm by
 * cubic (the kernel's usual default), or by reno when cubic is restricted to privileged
 * users (net.ipv4.tcp_allowed_congestion_control; reno never is):
 *
 * - The default of the namespace (tcpcc_netns_default(), run by the child): every TCP hop
 *   inside it is local. libslirp's connections to the outside are host sockets, so they
 *   keep the host's choice. A namespace other than the host's may only pick an algorithm
 *   that is not restricted.
 * - The builtin port driver's host-side socket when the client is on this host
 *   (tcpcc_unpace_local()): its peer is a loopback address, or the socket's own address
 *   (a connection from the host to one of its addresses uses that address as its source).
 *   Clients on other machines keep the host's default. Whether the host's algorithm paces
 *   is read once per listening socket (tcpcc_fd_paces()), so on a host that does not pace
 *   accepting costs nothing more.
 *
 * Programs may still choose an algorithm for their own sockets (TCP_CONGESTION).
 */
#include "config.h"

#include <errno.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "error.h"
#include "log.h"
#include "tcpcc.h"
#include "util.h"

#define TCPCC_SYSCTL "/proc/sys/net/ipv4/tcp_congestion_control"
/* longest algorithm name with its NUL (the kernel's TCP_CA_NAME_MAX) */
#define TCPCC_NAME_MAX 16

/**
 * tcpcc_paces() - Whether a congestion control algorithm paces its segments
 * @name:	algorithm, as in TCP_CONGESTION or net.ipv4.tcp_congestion_control
 *
 * The kernel's pacing algorithms are bbr and its later versions (bbr2, bbr3 out of tree).
 *
 * Return: true for those
 */
bool tcpcc_paces(const char *name)
{
	return strncmp(name, "bbr", 3) == 0;
}

/**
 * tcpcc_local_peer() - Whether a connection's peer is on this host
 * @local:	the socket's own address (getsockname), or NULL when not known yet
 * @peer:	its peer's address (getpeername, accept)
 *
 * Local means a loopback peer (127.0.0.0/8, ::1, v4-mapped 127.0.0.0/8), or a peer with the
 * socket's own address. A connection between two different addresses of this host is not
 * recognised; it keeps the host's algorithm, which is only slower.
 *
 * Return: true for a local peer (with @local NULL: for a loopback peer)
 */
bool tcpcc_local_peer(const struct sockaddr *local, const struct sockaddr *peer)
{
	struct addr_ip p, l;

	if (addr_ip_from_sa(peer, &p) < 0)
		return false;
	return addr_ip_loopback(&p) ||
	       (local && addr_ip_from_sa(local, &l) == 0 && addr_ip_equal(&l, &p));
}

/**
 * tcpcc_fd_paces() - Whether a TCP socket's congestion control paces
 * @fd:		TCP socket
 *
 * Return: 1 if it paces, 0 if not, or -errno
 */
int tcpcc_fd_paces(int fd)
{
	char name[TCPCC_NAME_MAX] = "";
	socklen_t len = sizeof(name) - 1;

	if (getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, &len) < 0)
		return -errno;
	return tcpcc_paces(name);
}

/**
 * tcpcc_unpace_local() - A non-pacing algorithm for a connection whose peer is on this host
 * @fd:		connected TCP socket whose algorithm paces (tcpcc_fd_paces())
 * @peer:	its peer's address, from accept()
 *
 * A loopback peer costs no system call to recognise; any other costs getsockname().
 * The algorithm becomes cubic, or reno where cubic is restricted.
 *
 * Return: 1 if the algorithm was changed, 0 for a remote peer, or -errno
 */
int tcpcc_unpace_local(int fd, const struct sockaddr *peer)
{
	struct sockaddr_storage local = {0};
	socklen_t len = sizeof(local);

	if (!tcpcc_local_peer(NULL, peer)) {
		if (getsockname(fd, (struct sockaddr *)&local, &len) < 0)
			return -errno;
		if (!tcpcc_local_peer((struct sockaddr *)&local, peer))
			return 0;
	}
	if (setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "cubic", strlen("cubic")) == 0 ||
	    setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "reno", strlen("reno")) == 0)
		return 1;
	return -errno;
}

/**
 * tcpcc_read_default() - Read net.ipv4.tcp_congestion_control of the current namespace
 * @name:	buffer for the algorithm, TCPCC_NAME_MAX bytes
 *
 * Return: 0 or -errno
 */
static int tcpcc_read_default(char *name)
{
	FILE *f = fopen(TCPCC_SYSCTL, "re");
	int ret = 0;

	if (!f)
		return -errno;
	if (!fgets(name, TCPCC_NAME_MAX, f))
		ret = -EIO;
	fclose(f);
	name[strcspn(name, "\n")] = '\0';
	return ret;
}

/**
 * tcpcc_netns_default() - No pacing by default in the current network namespace
 *
 * Run in a network namespace of ours, as its owner: a new namespace starts with the host's
 * default (net.ipv4.tcp_congestion_control). Failures are reported here, as warnings.
 *
 * Return: 1 if the default was changed, 0 if it does not pace, or -errno
 */
int tcpcc_netns_default(void)
{
	char name[TCPCC_NAME_MAX] = "";
	int ret = tcpcc_read_default(name);

	if (ret < 0) {
		warn_errno(ret, "cannot read %s", TCPCC_SYSCTL);
		return ret;
	}
	if (!tcpcc_paces(name))
		return 0;
	ret = util_write_file(TCPCC_SYSCTL, "cubic\n");
	if (ret < 0)
		ret = util_write_file(TCPCC_SYSCTL, "reno\n");
	if (ret < 0) {
		warn("TCP in the namespace keeps the host's %s, which paces (slower on local "
		     "hops): "
		     "%s",
		     name, error_errstr(-ret));
		return ret;
	}
	debug("TCP in the namespace: %s replaced by a non-pacing default", name);
	return 1;
}

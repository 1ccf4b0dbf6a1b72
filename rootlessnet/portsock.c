/* portsock.c - host sockets for published ports, with bind errors explained to users */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "error.h"
#include "portmap.h"
#include "portsock.h"
#include "util.h"

#define PORTSOCK_UNPRIV_SYSCTL "/proc/sys/net/ipv4/ip_unprivileged_port_start"

/**
 * portsock_unpriv_start() - Read net.ipv4.ip_unprivileged_port_start
 *
 * Return: its value, or -1 if it cannot be read
 */
static int portsock_unpriv_start(void)
{
	FILE *f = fopen(PORTSOCK_UNPRIV_SYSCTL, "re");
	int v = -1;

	if (!f)
		return -1;
	if (fscanf(f, "%d", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

/**
 * portsock_explain() - Say why binding a published port failed, and what to do
 * @error:	errno of bind(2)/listen(2)/socket(2), either sign
 * @b:		the binding
 * @e:		the explanation
 *
 * Return: the negative errno
 */
int portsock_explain(int error, const struct portmap_binding *b, struct error *e)
{
	const char *proto = b->socktype == SOCK_STREAM ? "tcp" : "udp";
	int port = addr_sa_port(&b->listen), start;
	char addr[ADDR_FMTLEN];

	if (error < 0)
		error = -error;
	addr_sa_format(&b->listen, addr, sizeof(addr));
	switch (error) {
	case EADDRINUSE:
		return error_plain(
			e, error,
			"cannot listen on %s %s: address already in use (another program "
			"on the host, or another published port, uses it)",
			proto, addr);
	case EACCES:
	case EPERM:
		start = portsock_unpriv_start();
		if (start > 0)
			return error_plain(
				e, error,
				"cannot listen on %s %s: port %d is privileged "
				"(net.ipv4.ip_unprivileged_port_start=%d); use a port >= "
				"%d, or lower it: sysctl -w "
				"net.ipv4.ip_unprivileged_port_start=%d",
				proto, addr, port, start, start, port);
		return error_plain(e, error,
				   "cannot listen on %s %s: %s (a privileged port needs "
				   "net.ipv4.ip_unprivileged_port_start lowered to %d)",
				   proto, addr, error_errstr(error), port);
	case EADDRNOTAVAIL:
		return error_plain(e, error,
				   "cannot listen on %s %s: the host has no such address (%s)",
				   proto, addr, error_errstr(error));
	default:
		return error_errno(e, error, "cannot listen on %s %s", proto, addr);
	}
}

/**
 * portsock_listen() - Make the host socket of a binding: bound, and listening for TCP
 * @b:		binding (family, type, IPV6_V6ONLY and address as resolved by portmap)
 * @e:		what failed, for the user
 *
 * The socket is non-blocking and close-on-exec; SO_REUSEADDR lets a port be published
 * again at once after removal (TIME_WAIT).
 *
 * Return: the fd, or -errno
 */
int portsock_listen(const struct portmap_binding *b, struct error *e)
{
	cleanup_close int fd = -1;
	int one = 1, v6only = b->v6only ? 1 : 0;

	fd = socket(b->family, b->socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	if (setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0)
		goto fail;
	if (b->family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only, sizeof(v6only)) < 0)
		goto fail;
	if (bind(fd, &b->listen.sa, addr_sa_len(&b->listen)) < 0)
		goto fail;
	if (b->socktype == SOCK_STREAM && listen(fd, SOMAXCONN) < 0)
		goto fail;
	return steal_fd(&fd);
fail:
	return portsock_explain(errno, b, e);
}

/**
 * portsock_reset() - Close a TCP socket with a reset (SO_LINGER 0), so the peer sees
 *		      ECONNRESET rather than an orderly end
 * @fd:		socket, closed
 *
 * Return: nothing
 */
void portsock_reset(int fd)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	close(fd);
}

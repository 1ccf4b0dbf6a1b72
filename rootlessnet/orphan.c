/* orphan.c - libslirp's half-closed connections whose program in the namespace is gone */
/**
 * DOC: Theory of operation
 *
 * A program in the namespace connects out through libslirp and closes (or is killed): its
 * kernel sends a FIN, libslirp half-closes the host socket (shutdown(SHUT_WR): FIN_WAIT2 on
 * the host) and waits in CLOSE_WAIT for the remote end's FIN. The namespace's socket, an
 * orphan now, expires silently after tcp_fin_timeout. A remote that never closes, or
 * never sends again, leaves libslirp's connection and its host socket behind for good:
 * slirp4netns#350 (days-old FIN_WAIT2 sockets), libslirp has no timer for it.
 *
 * Every sweep (netproc.c's 10 s tick) reads libslirp's table (slirp_connection_info()) for
 * connections in CLOSE_WAIT. Only if there are some, it asks the namespace's kernel, over a
 * NETLINK_SOCK_DIAG socket made in the namespace (netns.c sends it with the tap), for its
 * TCP sockets in FIN_WAIT1 or FIN_WAIT2, orphans among them (inode 0: the program closed
 * it; the kernel reports the FIN_WAIT2 of a time-wait socket as such) for the 60 s they
 * stay. A connection is matched by its two ports (an outgoing one: the namespace's port to
 * the remote's; a forwarded one: the namespace's local port; libslirp 4.7 prints no IPv6
 * address, so ports are all there is). Only one that an orphan matches, and no socket a
 * program holds, has no reader left: its host socket, if it is the TCP socket in FIN_WAIT2
 * we expect, is shut for reading. libslirp reads an end of file as if the remote had
 * closed, sends its FIN into the namespace, which answers with an ACK or a reset, and
 * libslirp closes the socket.
 *
 * When in doubt nothing is closed: a program that only shut its sending side and waits
 * holds its socket, matched and kept however long it waits; a connection that nothing in
 * the namespace matches is kept too, because its end may be in another namespace behind
 * NAT (a container's, with Docker: the kernel there is not asked, and such connections
 * stay as libslirp keeps them); so is everything when the namespace cannot be asked.
 */
#include "config.h"

#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <libmnl/libmnl.h>

#include "orphan.h"
#include "util.h"

/* a dump of the namespace's sockets answers within this long, or the sweep gives up */
#define ORPHAN_DIAG_TIMEOUT_MS 1000
/* dump messages read per sweep: a bound, however many sockets the namespace has */
#define ORPHAN_DIAG_MAX_READS 4096
/* a dump's reads (libmnl's MNL_SOCKET_DUMP_SIZE, which Debian 12's libmnl lacks) */
#define ORPHAN_DIAG_BUF 32768

/**
 * orphan_parse_line() - Read one line of slirp_connection_info()
 * @line:	"  TCP[STATE]  fd  src-addr src-port  dst-addr dst-port recvq sendq"
 * @out:	the connection, when it is TCP in CLOSE_WAIT
 *
 * Return: true for a TCP connection in CLOSE_WAIT with a well-formed line
 */
bool orphan_parse_line(const char *line, struct orphan_conn *out)
{
	static const char tag[] = "TCP[CLOSE_WAIT]";
	char src[64], dst[64];
	int fd, sport, dport, rq, sq, used = 0;
	const char *p = line;

	while (*p == ' ')
		p++;
	if (strncmp(p, tag, sizeof(tag) - 1) != 0)
		return false;
	p += sizeof(tag) - 1;
	if (sscanf(p, "%d %63s %d %63s %d %d %d%n", &fd, src, &sport, dst, &dport, &rq, &sq,
		   &used) != 7)
		return false;
	if (p[used] != '\0' && p[used] != ' ')
		return false;
	if (fd < 0 || sport <= 0 || sport > 65535 || dport <= 0 || dport > 65535)
		return false;
	*out = (struct orphan_conn){.fd = fd, .port_a = (uint16_t)sport, .port_b = (uint16_t)dport};
	return true;
}

/**
 * orphan_parse() - The TCP connections in CLOSE_WAIT of libslirp's table
 * @info:	slirp_connection_info()'s text (modified: split into lines)
 * @out:	room for @max connections
 * @max:	its size
 *
 * Return: how many were found (at most @max; the rest wait for the next sweep)
 */
size_t orphan_parse(char *info, struct orphan_conn *out, size_t max)
{
	char *save = NULL;
	size_t n = 0;

	for (char *line = strtok_r(info, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save))
		if (orphan_parse_line(line, &out[n]))
			n++;
	return n;
}

/**
 * orphan_mark() - A socket of the namespace in FIN_WAIT: mark the connections it matches
 * @c:		connections
 * @n:		their number
 * @sport:	the socket's local port
 * @dport:	its remote port
 * @orphaned:	no program holds it (inode 0)
 *
 * Return: nothing
 */
void orphan_mark(struct orphan_conn *c, size_t n, uint16_t sport, uint16_t dport, bool orphaned)
{
	for (size_t i = 0; i < n; i++) {
		/* out: the namespace's socket is port_a -> port_b; forwarded in: its local
		 * port is port_b (whatever the peer: libslirp's table does not show it) */
		if (!((c[i].port_a == sport && c[i].port_b == dport) || c[i].port_b == sport))
			continue;
		if (orphaned)
			c[i].orphaned = true;
		else
			c[i].held = true;
	}
}

/**
 * struct orphan_dump - a dump in progress
 * @c:		connections
 * @n:		their number
 */
struct orphan_dump {
	struct orphan_conn *c;
	size_t n;
};

/**
 * orphan_dump_cb() - One socket of the dump (libmnl callback)
 * @nlh:	message
 * @data:	struct orphan_dump
 *
 * Return: MNL_CB_OK
 */
static int orphan_dump_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct inet_diag_msg *m = mnl_nlmsg_get_payload(nlh);
	struct orphan_dump *d = data;

	if (mnl_nlmsg_get_payload_len(nlh) < sizeof(*m))
		return MNL_CB_OK;
	orphan_mark(d->c, d->n, ntohs(m->id.idiag_sport), ntohs(m->id.idiag_dport),
		    !m->idiag_inode);
	return MNL_CB_OK;
}

/**
 * orphan_dump_family() - Mark the connections that a held socket of one family matches
 * @diag:	NETLINK_SOCK_DIAG socket in the namespace (receive timeout set)
 * @family:	AF_INET or AF_INET6
 * @d:		the connections
 *
 * Return: 0, or -errno (the dump is incomplete: the caller closes nothing)
 */
static int orphan_dump_family(int diag, int family, struct orphan_dump *d)
{
	static char buf[ORPHAN_DIAG_BUF];
	struct inet_diag_req_v2 *req;
	struct nlmsghdr *nlh;
	unsigned int seq = (unsigned int)family;
	int ret = MNL_CB_OK;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = seq;
	req = mnl_nlmsg_put_extra_header(nlh, sizeof(*req));
	req->sdiag_family = (uint8_t)family;
	req->sdiag_protocol = IPPROTO_TCP;
	req->idiag_states = (1U << TCP_FIN_WAIT1) | (1U << TCP_FIN_WAIT2);
	if (send(diag, nlh, nlh->nlmsg_len, MSG_NOSIGNAL) < 0)
		return -errno;
	for (int i = 0; i < ORPHAN_DIAG_MAX_READS && ret > MNL_CB_STOP; i++) {
		ssize_t len = recv(diag, buf, sizeof(buf), 0);

		if (len < 0)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		ret = mnl_cb_run(buf, (size_t)len, seq, 0, orphan_dump_cb, d);
	}
	if (ret < 0)
		return -errno;
	return ret == MNL_CB_STOP ? 0 : -E2BIG;
}

/**
 * orphan_host_half_closed() - Whether a host socket is the TCP socket libslirp half-closed
 * @fd:		the socket of libslirp's table
 *
 * Return: true for a TCP socket in FIN_WAIT2
 */
static bool orphan_host_half_closed(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (fd <= STDERR_FILENO || getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0 ||
	    len < offsetof(struct tcp_info, tcpi_state) + sizeof(ti.tcpi_state))
		return false;
	return ti.tcpi_state == TCP_FIN_WAIT2;
}

/**
 * orphan_diag_timeout() - Bound the diag socket's reads
 * @diag:	the socket
 *
 * Return: 0 or -errno
 */
static int orphan_diag_timeout(int diag)
{
	struct timeval tv = {.tv_sec = ORPHAN_DIAG_TIMEOUT_MS / 1000,
			     .tv_usec = (suseconds_t)(ORPHAN_DIAG_TIMEOUT_MS % 1000) * 1000};

	return setsockopt(diag, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0 ? -errno : 0;
}

/**
 * orphan_sweep() - Close libslirp's half-closed connections that no program holds any more
 * @info:	slirp_connection_info()'s text (modified)
 * @diag:	NETLINK_SOCK_DIAG socket in the namespace
 * @closed:	set to the number of connections shut
 *
 * Return: the number of connections in CLOSE_WAIT found (0: no need to look again until
 *	   traffic passes), or -errno when the namespace could not be asked (nothing was shut)
 */
int orphan_sweep(char *info, int diag, unsigned int *closed)
{
	struct orphan_conn c[ORPHAN_MAX];
	struct orphan_dump d = {.c = c};
	int ret;

	*closed = 0;
	d.n = orphan_parse(info, c, ARRAY_SIZE(c));
	if (!d.n)
		return 0;
	ret = orphan_diag_timeout(diag);
	if (!ret)
		ret = orphan_dump_family(diag, AF_INET, &d);
	if (!ret)
		ret = orphan_dump_family(diag, AF_INET6, &d);
	if (ret)
		return ret;
	for (size_t i = 0; i < d.n; i++) {
		if (!c[i].orphaned || c[i].held || !orphan_host_half_closed(c[i].fd))
			continue;
		if (shutdown(c[i].fd, SHUT_RD) == 0)
			(*closed)++;
	}
	return (int)d.n;
}

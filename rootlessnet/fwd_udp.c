/* fwd_udp.c - builtin port driver, UDP: host socket with a per-client flow into the namespace */
/**
 * DOC: Theory of operation
 *
 * One &struct fwd_udp per bound host UDP socket. Each client address gets a flow: a UDP
 * socket made in the namespace by the helper and connected to the binding's target, so
 * that what the target answers arrives on that socket alone and is sent back from the host
 * socket to that client. Flows live in a udpflow table; one that carried nothing for
 * FWD_UDP_TIMEOUT_S (rootlesskit's and docker-proxy's 90 s) is closed by a loop timer, and
 * the least recently used one is closed when FWD_UDP_MAX_FLOWS are open. Failures a flood
 * of datagrams can repeat (no socket in the namespace, a full table) are rate-limited
 * warnings, and cost the datagram only.
 *
 * I/O is batched: recvmmsg(2) reads up to FWD_UDP_BATCH datagrams at once; consecutive
 * datagrams of the same client go out with one sendmmsg(2) on its flow, and a flow's
 * replies with one sendmmsg(2) on the host socket. Datagrams are never queued in user
 * space: what a socket cannot take now is dropped, as UDP may. An ICMP "port unreachable"
 * from the target (nothing listening) surfaces as ECONNREFUSED on the flow and is ignored,
 * as rootlesskit does, until the flow expires.
 *
 * With --source-ip-transparent a new flow's socket gets the client's own address and port
 * before it connects (srcip.c, which also routes the service's answers to that address back
 * to the socket while the flow lives); a client it cannot give is served as without the
 * option.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "error.h"
#include "fwd_udp.h"
#include "log.h"
#include "loop.h"
#include "nshelper.h"
#include "portmap.h"
#include "portsock.h"
#include "srcip.h"
#include "udpflow.h"
#include "util.h"

#define FWD_UDP_BATCH	  32
#define FWD_UDP_BUFSZ	  65536
#define FWD_UDP_ROUNDS	  4
#define FWD_UDP_MAX_FLOWS 4096
#define FWD_UDP_TIMEOUT_S 90

/**
 * struct fwd_udp_flow - one client's flow
 * @node:	table entry (key: the client's address)
 * @f:		forwarder
 * @lfd:	socket in the namespace, connected to the target
 * @client:	the client's address, when @lfd has it (srcip_bind())
 * @transparent: @lfd is bound to the client's address: srcip_release() on close
 */
struct fwd_udp_flow {
	struct udpflow node;
	struct fwd_udp *f;
	struct loop_fd lfd;
	struct addr_ip client;
	bool transparent;
};

/**
 * struct fwd_udp - a published UDP binding
 * @l:		event loop
 * @h:		namespace helper
 * @srcip:	shows clients as themselves (--source-ip-transparent), or NULL
 * @lfd:	host socket
 * @target:	where datagrams go inside the namespace
 * @name:	the binding, for messages
 * @table:	flows by client
 * @timer:	expires idle flows
 */
struct fwd_udp {
	struct loop *l;
	struct nshelper *h;
	struct srcip *srcip;
	struct loop_fd lfd;
	union addr_sa target;
	char name[PORTMAP_FMTLEN];
	struct udpflow_table table;
	struct loop_timer timer;
};

/**
 * struct fwd_udp_batch - buffers for one recvmmsg/sendmmsg batch (single-threaded: shared)
 * @buf:	datagram payloads
 * @iov:	one per datagram
 * @names:	source addresses
 * @in:		receive headers
 * @out:	send headers
 */
static struct fwd_udp_batch {
	char buf[FWD_UDP_BATCH][FWD_UDP_BUFSZ];
	struct iovec iov[FWD_UDP_BATCH];
	union addr_sa names[FWD_UDP_BATCH];
	struct mmsghdr in[FWD_UDP_BATCH];
	struct mmsghdr out[FWD_UDP_BATCH];
} fwd_udp_batch;

/**
 * fwd_udp_recv() - Receive a batch into the shared buffers
 * @fd:		socket
 * @names:	record source addresses
 *
 * Return: number of datagrams (0 when none is waiting), or -errno
 */
static int fwd_udp_recv(int fd, bool names)
{
	struct fwd_udp_batch *bb = &fwd_udp_batch;
	int n;

	for (int i = 0; i < FWD_UDP_BATCH; i++) {
		bb->iov[i] = (struct iovec){.iov_base = bb->buf[i], .iov_len = FWD_UDP_BUFSZ};
		bb->in[i].msg_hdr = (struct msghdr){
			.msg_name = names ? &bb->names[i] : NULL,
			.msg_namelen = names ? sizeof(bb->names[i]) : 0,
			.msg_iov = &bb->iov[i],
			.msg_iovlen = 1,
		};
	}
	n = recvmmsg(fd, bb->in, FWD_UDP_BATCH, MSG_DONTWAIT, NULL);
	if (n < 0)
		return errno == EAGAIN || errno == EINTR ? 0 : -errno;
	return n;
}

/**
 * fwd_udp_send() - Send datagrams @first..@first+@n-1 of the batch
 * @fd:		socket
 * @first:	first datagram
 * @n:		count
 * @to:		destination for every datagram, or NULL on a connected socket
 *
 * Return: nothing (what cannot be sent now is dropped)
 */
static void fwd_udp_send(int fd, int first, int n, const union addr_sa *to)
{
	struct fwd_udp_batch *bb = &fwd_udp_batch;
	int done = 0, retries = 2;

	for (int i = 0; i < n; i++) {
		struct mmsghdr *in = &bb->in[first + i];

		bb->iov[first + i].iov_len = in->msg_len;
		bb->out[i].msg_hdr = (struct msghdr){
			.msg_name = to ? (void *)to : NULL,
			.msg_namelen = to ? addr_sa_len(to) : 0,
			.msg_iov = &bb->iov[first + i],
			.msg_iovlen = 1,
		};
	}
	while (done < n) {
		int r = sendmmsg(fd, bb->out + done, n - done, MSG_DONTWAIT | MSG_NOSIGNAL);

		if (r > 0) {
			done += r;
			continue;
		}
		/* a pending ICMP error is reported once: try again; anything else drops */
		if (r < 0 && (errno == ECONNREFUSED || errno == EINTR) && retries-- > 0)
			continue;
		if (r < 0 && errno != EAGAIN && errno != ECONNREFUSED)
			debug_errno_limited(errno, "udp: dropping %d datagrams", n - done);
		break;
	}
}

/**
 * fwd_udp_flow_close() - Close a flow
 * @fl:		flow, in its table
 *
 * Return: nothing
 */
static void fwd_udp_flow_close(struct fwd_udp_flow *fl)
{
	struct fwd_udp *f = fl->f;

	udpflow_remove(&f->table, &fl->node);
	loop_del(f->l, &fl->lfd);
	close(fl->lfd.fd);
	if (fl->transparent)
		srcip_release(f->srcip, &fl->client);
	loop_free_later(f->l, fl);
}

/**
 * fwd_udp_flow_cb() - Replies from the target: back to the flow's client
 * @l:		loop
 * @lfd:	the flow's socket
 * @events:	epoll events
 *
 * Return: nothing
 */
static void fwd_udp_flow_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct fwd_udp_flow *fl = lfd->data;
	struct fwd_udp *f = fl->f;

	for (int round = 0; round < FWD_UDP_ROUNDS; round++) {
		int n = fwd_udp_recv(lfd->fd, false);

		if (n == -ECONNREFUSED)
			continue; /* the target is not listening (yet): consumed, go on */
		if (n < 0) {
			debug_errno_limited(n, "port %s: flow closed", f->name);
			fwd_udp_flow_close(fl);
			return;
		}
		if (!n)
			break;
		udpflow_touch(&f->table, &fl->node, loop_now_ns());
		fwd_udp_send(f->lfd.fd, 0, n, &fl->node.peer);
		if (n < FWD_UDP_BATCH)
			break;
	}
}

/**
 * fwd_udp_arm() - Arm the expiry timer for the oldest flow, if any
 * @f:		forwarder
 *
 * Return: nothing
 */
static void fwd_udp_arm(struct fwd_udp *f)
{
	uint64_t t = udpflow_next_expiry(&f->table);

	if (t)
		loop_timer_arm(f->l, &f->timer, t);
	else
		loop_timer_disarm(f->l, &f->timer);
}

/**
 * fwd_udp_timer_cb() - Close flows idle for longer than the timeout
 * @l:		loop
 * @t:		the forwarder's timer
 *
 * Return: nothing
 */
static void fwd_udp_timer_cb(struct loop *l, struct loop_timer *t)
{
	struct fwd_udp *f = t->data;
	uint64_t now = loop_now_ns();
	struct udpflow *u;

	while ((u = udpflow_expired(&f->table, now)))
		fwd_udp_flow_close((struct fwd_udp_flow *)u);
	fwd_udp_arm(f);
}

/**
 * fwd_udp_flow_new() - Open a flow for a new client
 * @f:		forwarder
 * @key:	the client's address
 *
 * Return: the flow, or NULL (logged)
 */
static struct fwd_udp_flow *fwd_udp_flow_new(struct fwd_udp *f, const union addr_sa *key)
{
	cleanup_close int fd = -1;
	struct addr_ip client = {0};
	struct fwd_udp_flow *fl;
	bool was_empty = !f->table.count;
	int ret, transparent = 0;

	if (udpflow_full(&f->table)) {
		warn_limited("port %s: %d UDP clients at once: forgetting the least recently "
			     "heard one",
			     f->name, FWD_UDP_MAX_FLOWS);
		fwd_udp_flow_close((struct fwd_udp_flow *)udpflow_oldest(&f->table));
	}
	fd = nshelper_socket(f->h, f->target.sa.sa_family, SOCK_DGRAM);
	if (fd < 0) {
		warn_errno_limited(fd, "port %s: a datagram is dropped: no socket in the namespace",
				   f->name);
		return NULL;
	}
	if (f->srcip) {
		transparent = srcip_bind(f->srcip, fd, SOCK_DGRAM, &key->sa, &f->target, &client);
		if (transparent < 0)
			debug_errno_limited(transparent,
					    "port %s: a UDP client is shown as the namespace's "
					    "address: its own cannot be bound",
					    f->name);
	}
	if (connect(fd, &f->target.sa, addr_sa_len(&f->target)) < 0) {
		char addr[PORTMAP_FMTLEN];

		warn_errno_limited(errno,
				   "port %s: a datagram is dropped: cannot reach %s in the "
				   "namespace",
				   f->name, addr_sa_format(&f->target, addr, sizeof(addr)));
		goto fail;
	}
	fl = calloc(1, sizeof(*fl));
	if (!fl)
		goto fail;
	fl->f = f;
	fl->lfd = (struct loop_fd){.fd = fd, .cb = fwd_udp_flow_cb, .data = fl};
	ret = loop_add(f->l, &fl->lfd, EPOLLIN);
	if (ret) {
		err_errno_limited(ret, "port %s: event loop", f->name);
		free(fl);
		goto fail;
	}
	fl->client = client;
	fl->transparent = transparent == 1;
	steal_fd(&fd);
	udpflow_insert(&f->table, &fl->node, key, loop_now_ns());
	if (was_empty)
		fwd_udp_arm(f);
	return fl;
fail:
	if (transparent == 1) {
		close(steal_fd(&fd));
		srcip_release(f->srcip, &client);
	}
	return NULL;
}

/**
 * fwd_udp_listen_cb() - Datagrams from clients: into each client's flow
 * @l:		loop
 * @lfd:	the host socket
 * @events:	epoll events
 *
 * Return: nothing
 */
static void fwd_udp_listen_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct fwd_udp_batch *bb = &fwd_udp_batch;
	struct fwd_udp *f = lfd->data;

	for (int round = 0; round < FWD_UDP_ROUNDS; round++) {
		uint64_t now = loop_now_ns();
		int n = fwd_udp_recv(lfd->fd, true), i = 0;

		if (n < 0) {
			debug_errno_limited(n, "port %s: recvmmsg", f->name);
			return;
		}
		while (i < n) {
			union addr_sa key;
			struct fwd_udp_flow *fl;
			struct udpflow *u;
			int j = i + 1;

			if (udpflow_key(&key, &bb->names[i], bb->in[i].msg_hdr.msg_namelen) < 0) {
				i++;
				continue;
			}
			/* consecutive datagrams from the same client: one sendmmsg */
			while (j < n) {
				union addr_sa k2;

				if (udpflow_key(&k2, &bb->names[j],
						bb->in[j].msg_hdr.msg_namelen) ||
				    !udpflow_key_equal(&k2, &key))
					break;
				j++;
			}
			u = udpflow_lookup(&f->table, &key);
			fl = u ? (struct fwd_udp_flow *)u : fwd_udp_flow_new(f, &key);
			if (fl) {
				udpflow_touch(&f->table, &fl->node, now);
				fwd_udp_send(fl->lfd.fd, i, j - i, NULL);
			}
			i = j;
		}
		if (n < FWD_UDP_BATCH)
			break;
	}
}

/**
 * fwd_udp_new() - Bind a binding's host UDP socket and forward it into the namespace
 * @l:		event loop
 * @h:		namespace helper
 * @srcip:	shows clients as themselves (--source-ip-transparent), or NULL
 * @b:		binding (SOCK_DGRAM)
 * @e:		what failed, for the user (address in use, privileged port, ...)
 * @out:	the forwarder
 *
 * Return: 0 or -errno
 */
int fwd_udp_new(struct loop *l, struct nshelper *h, struct srcip *srcip,
		const struct portmap_binding *b, struct error *e, struct fwd_udp **out)
{
	struct fwd_udp *f;
	int fd, ret;

	fd = portsock_listen(b, e);
	if (fd < 0)
		return fd;
	f = calloc(1, sizeof(*f));
	if (!f) {
		close(fd);
		return error_plain(e, ENOMEM, "out of memory");
	}
	ret = udpflow_init(&f->table, FWD_UDP_MAX_FLOWS, FWD_UDP_TIMEOUT_S * 1000000000ULL);
	if (ret) {
		close(fd);
		free(f);
		return error_plain(e, ret, "out of memory");
	}
	f->l = l;
	f->h = h;
	f->srcip = srcip;
	f->target = b->target;
	portmap_binding_format(b, f->name, sizeof(f->name));
	f->timer = (struct loop_timer){.cb = fwd_udp_timer_cb, .data = f};
	f->lfd = (struct loop_fd){.fd = fd, .cb = fwd_udp_listen_cb, .data = f};
	ret = loop_add(l, &f->lfd, EPOLLIN);
	if (ret) {
		error_errno(e, ret, "event loop");
		udpflow_fini(&f->table);
		close(fd);
		free(f);
		return ret;
	}
	*out = f;
	return 0;
}

/**
 * fwd_udp_flows() - Number of open flows
 * @f:		forwarder
 *
 * Return: the count
 */
size_t fwd_udp_flows(const struct fwd_udp *f)
{
	return f->table.count;
}

/**
 * fwd_udp_free() - Close the host socket and every flow
 * @f:		forwarder, may be NULL
 *
 * Return: nothing
 */
void fwd_udp_free(struct fwd_udp *f)
{
	struct udpflow *u;

	if (!f)
		return;
	while ((u = udpflow_oldest(&f->table)))
		fwd_udp_flow_close((struct fwd_udp_flow *)u);
	loop_timer_disarm(f->l, &f->timer);
	udpflow_fini(&f->table);
	loop_del(f->l, &f->lfd);
	close(f->lfd.fd);
	loop_free_later(f->l, f);
}

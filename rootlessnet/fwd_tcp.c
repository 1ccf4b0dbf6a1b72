/* fwd_tcp.c - builtin port driver, TCP: host listener spliced to sockets in the namespace */
/**
 * DOC: Theory of operation
 *
 * One &struct fwd_tcp per listening host socket (a resolved &struct portmap_binding). For
 * each accepted client the helper (nshelper.c) gives a socket made in the child's network
 * namespace; the parent connects it to the binding's target without blocking and, once
 * connected, joins the two with splice(2): for each direction a pipe, data moved socket ->
 * pipe -> socket inside the kernel, never copied to user space.
 *
 * Events are level-triggered and computed from the state after each pass: a source is
 * watched for EPOLLIN only while its pipe is empty (a pipe can be full with fewer bytes than
 * its size, when its slots hold small buffers, so "room left" cannot be known), a
 * destination for EPOLLOUT only while its pipe holds data. So each direction buffers at
 * most one pipe, and a slow reader stops the reading of its writer (backpressure).
 *
 * Half-close: end of file from one side (splice returns 0) is passed on as shutdown(SHUT_WR)
 * on the other once its pipe is drained; the other direction goes on. The connection is
 * closed when both directions are finished, and reset on both sides when either side
 * fails (reset, broken pipe). A target that refuses the connection (nothing listening)
 * makes the client see a reset too (SO_LINGER 0), as it would when connecting directly.
 *
 * Out of descriptors (EMFILE, ENFILE: accept4(), the helper's socket or pipe2() failed), the
 * listener stops being polled for a pause that doubles from FWD_TCP_PAUSE_MIN_MS to
 * FWD_TCP_PAUSE_MAX_MS while the shortage lasts: clients wait in the listen backlog, as they
 * would for a busy server, and are served by themselves once connections close. Without the
 * pause, a level-triggered listener that cannot be accepted from fires on every loop turn:
 * a core at 100% and a warning per turn. Warnings a flood can repeat are rate-limited.
 *
 * On a host whose congestion control paces, a client on this host gets one that does not
 * on its socket (tcpcc.c); the socket in the namespace has one already, the namespace's
 * default.
 *
 * With --source-ip-transparent the socket in the namespace gets the client's own address
 * and port before it connects (srcip.c), so that the service sees the client. When that
 * four-tuple cannot be used (it is still in TIME_WAIT in the namespace from a connection
 * just closed: connect() fails at once), the connection is made again from a new socket
 * as without the option, rather than refused.
 *
 * A pipe starts at the kernel's default size; a direction that has moved FWD_TCP_BULK bytes
 * gets a bigger pipe (fewer system calls per byte), best effort: the per-user pipe budget
 * (fs.pipe-user-pages-soft) is shared, and small connections do not need it. Bigger is not
 * better beyond that: with 256 KiB pipes host -> namespace ran about 10% faster than with
 * 1 MiB ones and without the slow runs (30 interleaved iperf3 runs each; data held in the
 * forwarder is data the reader copies cache-cold), and a user's pipe budget lasts for four
 * times as many bulk connections.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "addr.h"
#include "error.h"
#include "fwd_tcp.h"
#include "log.h"
#include "loop.h"
#include "nshelper.h"
#include "portmap.h"
#include "portsock.h"
#include "srcip.h"
#include "tcpcc.h"
#include "util.h"

/* connections accepted per listener event */
#define FWD_TCP_ACCEPT_BATCH 64
/* out of descriptors: the listener rests this long, doubling up to the maximum */
#define FWD_TCP_PAUSE_MIN_MS 50
#define FWD_TCP_PAUSE_MAX_MS 1000
/* socket -> pipe -> socket rounds per direction per event, for fairness */
#define FWD_TCP_ROUNDS 8
/* bytes a direction moves before its pipe is enlarged, and the size it gets */
#define FWD_TCP_BULK	 (4u << 20)
#define FWD_TCP_BIG_PIPE (256u << 10)
/* most bytes asked of one splice into a pipe (its slots may hold more than a page each) */
#define FWD_TCP_SPLICE_MAX (1u << 20)

/**
 * struct fwd_tcp_dir - one direction of a connection
 * @pipe:	read and write ends of its pipe, -1 until set up
 * @len:	bytes in the pipe
 * @moved:	bytes moved in total (until the pipe is enlarged)
 * @big:	pipe enlargement was tried
 * @eof:	the source reached end of file
 * @shut:	the destination got shutdown(SHUT_WR)
 */
struct fwd_tcp_dir {
	int pipe[2];
	size_t len;
	uint64_t moved;
	bool big;
	bool eof;
	bool shut;
};

/**
 * struct fwd_tcp_conn - one client joined to its socket in the namespace
 * @f:		listener it came from
 * @side:	0: the client (host), 1: the socket in the namespace
 * @ev:		events registered for each side
 * @reg:	each side is in the loop
 * @dir:	0: client to namespace, 1: namespace to client
 * @connecting:	the inside connect() is in progress
 * @prev:	list link
 * @next:	list link
 */
struct fwd_tcp_conn {
	struct fwd_tcp *f;
	struct loop_fd side[2];
	uint32_t ev[2];
	bool reg[2];
	struct fwd_tcp_dir dir[2];
	bool connecting;
	struct fwd_tcp_conn *prev, *next;
};

/**
 * struct fwd_tcp - a published TCP binding
 * @l:		event loop
 * @h:		namespace helper
 * @srcip:	shows clients as themselves (--source-ip-transparent), or NULL
 * @lfd:	listening socket
 * @target:	where connections go inside the namespace
 * @name:	the binding, for messages
 * @conns:	open connections
 * @n_conns:	number of @conns
 * @paces:	the listener's congestion control paces: local clients get another (tcpcc.c)
 * @pause:	ends a pause of the listener (out of descriptors)
 * @pause_ms:	length of the next pause, 0 when none is in force
 */
struct fwd_tcp {
	struct loop *l;
	struct nshelper *h;
	struct srcip *srcip;
	struct loop_fd lfd;
	union addr_sa target;
	char name[PORTMAP_FMTLEN];
	struct fwd_tcp_conn *conns;
	size_t n_conns;
	bool paces;
	struct loop_timer pause;
	unsigned int pause_ms;
};

/**
 * fwd_tcp_conn_close() - Close a connection and release it
 * @c:		connection
 * @reset:	close both sockets with a reset instead of an orderly end
 *
 * Return: nothing
 */
static void fwd_tcp_conn_close(struct fwd_tcp_conn *c, bool reset)
{
	struct fwd_tcp *f = c->f;

	for (int s = 0; s < 2; s++) {
		if (c->reg[s])
			loop_del(f->l, &c->side[s]);
		if (reset)
			portsock_reset(c->side[s].fd);
		else
			close(c->side[s].fd);
		for (int e = 0; e < 2; e++)
			if (c->dir[s].pipe[e] >= 0)
				close(c->dir[s].pipe[e]);
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		f->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	f->n_conns--;
	loop_free_later(f->l, c);
}

/**
 * fwd_tcp_enlarge() - Give a bulk direction a bigger pipe, best effort
 * @d:		direction
 *
 * Return: nothing
 */
static void fwd_tcp_enlarge(struct fwd_tcp_dir *d)
{
	d->big = true;
	if (fcntl(d->pipe[1], F_SETPIPE_SZ, FWD_TCP_BIG_PIPE) < 0)
		debug_errno_limited(errno, "port driver: keeping a small pipe");
}

/**
 * fwd_tcp_pump() - Move what can be moved in one direction
 * @c:		connection
 * @d:		direction index: source side @d, destination side !@d
 *
 * Return: 0, or -errno when a socket failed
 */
static int fwd_tcp_pump(struct fwd_tcp_conn *c, int d)
{
	struct fwd_tcp_dir *dir = &c->dir[d];
	int src = c->side[d].fd, dst = c->side[!d].fd;

	for (int round = 0; round < FWD_TCP_ROUNDS; round++) {
		bool progress = false;
		ssize_t n;

		if (!dir->eof) {
			n = splice(src, NULL, dir->pipe[1], NULL, FWD_TCP_SPLICE_MAX,
				   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n > 0) {
				dir->len += (size_t)n;
				progress = true;
			} else if (n == 0) {
				dir->eof = true;
			} else if (errno != EAGAIN && errno != EINTR) {
				return -errno;
			}
		}
		if (dir->len) {
			n = splice(dir->pipe[0], NULL, dst, NULL, dir->len,
				   SPLICE_F_MOVE | SPLICE_F_NONBLOCK);
			if (n > 0) {
				dir->len -= (size_t)n;
				dir->moved += (uint64_t)n;
				progress = true;
			} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
				return -errno;
			}
		}
		if (!progress)
			break;
	}
	if (!dir->big && dir->moved >= FWD_TCP_BULK)
		fwd_tcp_enlarge(dir);
	if (dir->eof && !dir->len && !dir->shut) {
		if (shutdown(dst, SHUT_WR) < 0 && errno != ENOTCONN)
			return -errno;
		dir->shut = true;
	}
	return 0;
}

/**
 * fwd_tcp_update() - Register the events each side needs now
 * @c:		connection
 *
 * A side that will neither be read nor written again leaves the loop, so that its
 * EPOLLHUP does not keep firing while the other direction drains.
 *
 * Return: 0 or -errno
 */
static int fwd_tcp_update(struct fwd_tcp_conn *c)
{
	for (int s = 0; s < 2; s++) {
		uint32_t want = 0;
		int ret;

		if (c->connecting) {
			want = s == 1 ? EPOLLOUT : 0;
		} else {
			if (!c->dir[s].eof && !c->dir[s].len)
				want |= EPOLLIN;
			if (c->dir[!s].len)
				want |= EPOLLOUT;
		}
		if (!want && c->dir[s].eof && c->dir[!s].shut) {
			if (c->reg[s]) {
				loop_del(c->f->l, &c->side[s]);
				c->reg[s] = false;
			}
			continue;
		}
		if (!c->reg[s]) {
			ret = loop_add(c->f->l, &c->side[s], want);
			if (ret)
				return ret;
			c->reg[s] = true;
			c->ev[s] = want;
		} else if (c->ev[s] != want) {
			ret = loop_mod(c->f->l, &c->side[s], want);
			if (ret)
				return ret;
			c->ev[s] = want;
		}
	}
	return 0;
}

/**
 * fwd_tcp_connected() - The inside connect() finished: report a refusal, or start
 * @c:		connection
 *
 * Return: 0 when the connection goes on, -errno when it must be reset
 */
static int fwd_tcp_connected(struct fwd_tcp_conn *c)
{
	struct fwd_tcp *f = c->f;
	socklen_t len = sizeof(int);
	int error = 0;

	if (getsockopt(c->side[1].fd, SOL_SOCKET, SO_ERROR, &error, &len) < 0)
		error = errno;
	if (error) {
		char addr[PORTMAP_FMTLEN];

		addr_sa_format(&f->target, addr, sizeof(addr));
		warn_errno_limited(error,
				   "port %s: the client is reset: cannot connect to %s in the "
				   "namespace%s",
				   f->name, addr,
				   error == ECONNREFUSED ? " (nothing listens there)" : "");
		return -error;
	}
	c->connecting = false;
	return 0;
}

/**
 * fwd_tcp_conn_cb() - Events on either socket of a connection
 * @l:		loop
 * @lfd:	the side that fired
 * @events:	epoll events
 *
 * Return: nothing
 */
static void fwd_tcp_conn_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct fwd_tcp_conn *c = lfd->data;
	int ret = 0;

	if (c->connecting) {
		if (lfd == &c->side[0]) {
			/* the client failed (EPOLLERR/HUP) before the target answered */
			fwd_tcp_conn_close(c, true);
			return;
		}
		ret = fwd_tcp_connected(c);
	}
	if (!ret && (events & EPOLLERR)) {
		socklen_t len = sizeof(int);
		int error = 0;

		getsockopt(lfd->fd, SOL_SOCKET, SO_ERROR, &error, &len);
		if (error)
			ret = -error;
	}
	if (!ret)
		ret = fwd_tcp_pump(c, 0);
	if (!ret)
		ret = fwd_tcp_pump(c, 1);
	if (ret) {
		debug_errno_limited(ret, "port %s: connection reset", c->f->name);
		fwd_tcp_conn_close(c, true);
		return;
	}
	if (c->dir[0].shut && c->dir[1].shut) {
		fwd_tcp_conn_close(c, false);
		return;
	}
	ret = fwd_tcp_update(c);
	if (ret) {
		err_errno_limited(ret, "port %s: event loop", c->f->name);
		fwd_tcp_conn_close(c, true);
	}
}

/**
 * fwd_tcp_inside() - A new socket in the namespace, with TCP_NODELAY
 * @f:		listener
 *
 * Return: the fd or -errno (logged, rate-limited)
 */
static int fwd_tcp_inside(struct fwd_tcp *f)
{
	int one = 1, fd = nshelper_socket(f->h, f->target.sa.sa_family, SOCK_STREAM);

	if (fd < 0) {
		warn_errno_limited(fd, "port %s: the client is reset: no socket in the namespace",
				   f->name);
		return fd;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

/**
 * fwd_tcp_connect() - Start connecting the socket in the namespace to the target, from the
 *		       client's address when it can have it
 * @f:		listener
 * @inside:	the socket, replaced by a new one if the client's four-tuple is busy
 * @peer:	the client's address
 *
 * Return: 0 (connected or in progress), or -errno (logged, rate-limited)
 */
static int fwd_tcp_connect(struct fwd_tcp *f, int *inside, const struct sockaddr *peer)
{
	char addr[PORTMAP_FMTLEN];
	struct addr_ip client;
	int ret = 0;

	if (f->srcip) {
		ret = srcip_bind(f->srcip, *inside, SOCK_STREAM, peer, &f->target, &client);
		if (ret < 0)
			debug_errno_limited(
				ret,
				"port %s: a client is shown as the namespace's address: "
				"its own cannot be bound",
				f->name);
	}
	if (!connect(*inside, &f->target.sa, addr_sa_len(&f->target)) || errno == EINPROGRESS)
		return 0;
	if (ret == 1 && (errno == EADDRNOTAVAIL || errno == EADDRINUSE)) {
		debug_errno_limited(errno,
				    "port %s: a client is shown as the namespace's address: its "
				    "four-tuple is busy in the namespace",
				    f->name);
		int fd = fwd_tcp_inside(f);

		if (fd < 0)
			return fd;
		close(*inside);
		*inside = fd;
		if (!connect(fd, &f->target.sa, addr_sa_len(&f->target)) || errno == EINPROGRESS)
			return 0;
	}
	ret = -errno;
	warn_errno_limited(ret,
			   "port %s: the client is reset: cannot connect to %s in the namespace",
			   f->name, addr_sa_format(&f->target, addr, sizeof(addr)));
	return ret;
}

/**
 * fwd_tcp_conn_new() - Join an accepted client to a new socket in the namespace
 * @f:		listener
 * @cfd:	accepted client, owned by this function
 * @peer:	the client's address
 *
 * Return: 0, or -errno (the client is reset)
 */
static int fwd_tcp_conn_new(struct fwd_tcp *f, int cfd, const struct sockaddr *peer)
{
	cleanup_close int client = cfd, inside = -1;
	struct fwd_tcp_conn *c;
	int one = 1, ret;

	inside = fwd_tcp_inside(f);
	if (inside < 0) {
		portsock_reset(steal_fd(&client));
		return inside;
	}
	setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (f->paces) {
		ret = tcpcc_unpace_local(client, peer);
		if (ret < 0)
			debug_errno_limited(ret, "port %s: client keeps its congestion control",
					    f->name);
	}
	ret = fwd_tcp_connect(f, &inside, peer);
	if (ret) {
		portsock_reset(steal_fd(&client));
		return ret;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		portsock_reset(steal_fd(&client));
		return -ENOMEM;
	}
	c->f = f;
	for (int d = 0; d < 2; d++) {
		if (pipe2(c->dir[d].pipe, O_NONBLOCK | O_CLOEXEC) < 0) {
			ret = -errno;
			c->dir[d].pipe[0] = c->dir[d].pipe[1] = -1;
			if (d)
				for (int e = 0; e < 2; e++)
					close(c->dir[0].pipe[e]);
			free(c);
			warn_errno_limited(ret, "port %s: the client is reset: pipe", f->name);
			portsock_reset(steal_fd(&client));
			return ret;
		}
	}
	c->side[0] = (struct loop_fd){.fd = steal_fd(&client), .cb = fwd_tcp_conn_cb, .data = c};
	c->side[1] = (struct loop_fd){.fd = steal_fd(&inside), .cb = fwd_tcp_conn_cb, .data = c};
	c->next = f->conns;
	if (f->conns)
		f->conns->prev = c;
	f->conns = c;
	f->n_conns++;
	c->connecting = true;
	ret = fwd_tcp_update(c);
	if (ret) {
		err_errno_limited(ret, "port %s: event loop", f->name);
		fwd_tcp_conn_close(c, true);
	}
	return ret;
}

/**
 * fwd_tcp_out_of_fds() - Tell whether an error means the process or system is out of
 *			  descriptors or socket memory
 * @error:	negative errno
 *
 * Return: true for -EMFILE, -ENFILE, -ENOBUFS, -ENOMEM
 */
static bool fwd_tcp_out_of_fds(int error)
{
	return error == -EMFILE || error == -ENFILE || error == -ENOBUFS || error == -ENOMEM;
}

/**
 * fwd_tcp_pause() - Stop polling the listener for a while: out of descriptors
 * @f:		forwarder
 * @error:	what failed, negative errno
 *
 * Return: nothing
 */
static void fwd_tcp_pause(struct fwd_tcp *f, int error)
{
	f->pause_ms = f->pause_ms ? f->pause_ms * 2 : FWD_TCP_PAUSE_MIN_MS;
	if (f->pause_ms > FWD_TCP_PAUSE_MAX_MS)
		f->pause_ms = FWD_TCP_PAUSE_MAX_MS;
	warn_errno_limited(error,
			   "port %s: out of descriptors with %zu connections open (ulimit -n; 6 "
			   "per connection): new clients wait until some close",
			   f->name, f->n_conns);
	if (loop_mod(f->l, &f->lfd, 0) < 0)
		return;
	loop_timer_arm(f->l, &f->pause, loop_now_ns() + f->pause_ms * 1000000ULL);
}

/**
 * fwd_tcp_pause_cb() - Timer: the pause is over, poll the listener again
 * @l:		loop
 * @t:		the forwarder's pause timer
 *
 * Return: nothing
 */
static void fwd_tcp_pause_cb(struct loop *l, struct loop_timer *t)
{
	struct fwd_tcp *f = t->data;

	if (loop_mod(l, &f->lfd, EPOLLIN) < 0)
		err_limited("port %s: event loop: cannot poll the listener again", f->name);
}

/**
 * fwd_tcp_accept_cb() - Accept clients on the listener
 * @l:		loop
 * @lfd:	the listener
 * @events:	epoll events
 *
 * Return: nothing
 */
static void fwd_tcp_accept_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct fwd_tcp *f = lfd->data;

	for (int i = 0; i < FWD_TCP_ACCEPT_BATCH; i++) {
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		int fd = accept4(lfd->fd, (struct sockaddr *)&peer, &plen,
				 SOCK_NONBLOCK | SOCK_CLOEXEC),
		    ret;

		if (fd < 0) {
			if (fwd_tcp_out_of_fds(-errno))
				fwd_tcp_pause(f, -errno);
			/* EAGAIN: done; ECONNABORTED etc.: the next event tells */
			return;
		}
		ret = fwd_tcp_conn_new(f, fd, (struct sockaddr *)&peer);
		if (fwd_tcp_out_of_fds(ret)) {
			fwd_tcp_pause(f, ret);
			return;
		}
		if (!ret)
			f->pause_ms = 0;
	}
}

/**
 * fwd_tcp_new() - Listen on a binding and forward its connections into the namespace
 * @l:		event loop
 * @h:		namespace helper
 * @srcip:	shows clients as themselves (--source-ip-transparent), or NULL
 * @b:		binding (SOCK_STREAM)
 * @e:		what failed, for the user (address in use, privileged port, ...)
 * @out:	the forwarder
 *
 * Return: 0 or -errno
 */
int fwd_tcp_new(struct loop *l, struct nshelper *h, struct srcip *srcip,
		const struct portmap_binding *b, struct error *e, struct fwd_tcp **out)
{
	struct fwd_tcp *f;
	int fd, ret;

	fd = portsock_listen(b, e);
	if (fd < 0)
		return fd;
	f = calloc(1, sizeof(*f));
	if (!f) {
		close(fd);
		return error_plain(e, ENOMEM, "out of memory");
	}
	f->l = l;
	f->h = h;
	f->srcip = srcip;
	f->target = b->target;
	f->paces = tcpcc_fd_paces(fd) == 1;
	portmap_binding_format(b, f->name, sizeof(f->name));
	f->lfd = (struct loop_fd){.fd = fd, .cb = fwd_tcp_accept_cb, .data = f};
	f->pause = (struct loop_timer){.cb = fwd_tcp_pause_cb, .data = f};
	ret = loop_add(l, &f->lfd, EPOLLIN);
	if (ret) {
		error_errno(e, ret, "event loop");
		close(fd);
		free(f);
		return ret;
	}
	*out = f;
	return 0;
}

/**
 * fwd_tcp_conns() - Number of open connections
 * @f:		forwarder
 *
 * Return: the count
 */
size_t fwd_tcp_conns(const struct fwd_tcp *f)
{
	return f->n_conns;
}

/**
 * fwd_tcp_free() - Stop listening and close every connection
 * @f:		forwarder, may be NULL
 *
 * Return: nothing
 */
void fwd_tcp_free(struct fwd_tcp *f)
{
	if (!f)
		return;
	while (f->conns)
		fwd_tcp_conn_close(f->conns, false);
	loop_timer_disarm(f->l, &f->pause);
	loop_del(f->l, &f->lfd);
	close(f->lfd.fd);
	loop_free_later(f->l, f);
}

/* usernet.c - libslirp glue: the user-mode network stack on the tap, in the event loop */
/**
 * DOC: Theory of operation
 *
 * libslirp is a TCP/IP stack that terminates the namespace's connections on host sockets.
 * It runs in the network process (see netproc.c), in that process's &struct loop:
 *
 * - namespace -> host: the tap fd sits in epoll (level-triggered). Its callback reads up to
 *   USERNET_BATCH frames, until EAGAIN, and hands each to slirp_input(), which copies it.
 *   A batch bound keeps a busy tap from starving the host sockets: the rest is read on the
 *   next iteration.
 * - host sockets: libslirp rebuilds its poll set every iteration; the loop hook calls
 *   slirp_pollfds_fill() before sleeping and slirp_pollfds_poll() after, on every iteration
 *   whether or not a frame was read (slirp4netns skips them on iterations that read one).
 * - host -> namespace: libslirp calls send_packet, which writes one frame to the tap. The tap
 *   is non-blocking; a frame it cannot take now is dropped and counted, as a NIC would do,
 *   and TCP retransmits.
 * - timers: libslirp's timers are &struct loop_timer on the loop's monotonic clock.
 *
 * Host forwards (the slirp4netns port driver) are slirp_add_hostxfwd() listeners. A guest
 * address left unspecified means the namespace's own address (.100 or fd00::100), as
 * slirp4netns' API does; libslirp itself would pick the first DHCP address. libslirp listens
 * with a backlog of 1 (listen(s, 1) in its socket.c): a burst of clients lost some of its
 * connections. Calling listen() again on a listening socket only sets its backlog, so each
 * new TCP listener gets USERNET_BACKLOG (usernet_relisten(): the socket is the lowest free
 * descriptor when libslirp makes it, checked by its address, else found by a scan).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "error.h"
#include "log.h"
#include "loop.h"
#include "usernet.h"
#include "util.h"

/* frames read from the tap per loop iteration */
#define USERNET_BATCH 64
/* largest frame: MTU 65521 plus the Ethernet header, rounded up */
#define USERNET_FRAME_MAX 65536
/* listen backlog given to libslirp's TCP listeners (it uses 1) */
#define USERNET_BACKLOG 4096
/* highest descriptor the fallback scan for a new listener looks at */
#define USERNET_SCAN_MAX 65536

/**
 * struct usernet - a running stack
 * @slirp:	libslirp instance
 * @l:		the loop it runs in
 * @tap:	tap registration (fd owned)
 * @conf:	configuration
 * @stats:	counters
 * @tap_dead:	reading the tap failed: the namespace is gone
 * @buf:	frame buffer for tap reads
 */
struct usernet {
	Slirp *slirp;
	struct loop *l;
	struct loop_fd tap;
	struct usernet_conf conf;
	struct usernet_stats stats;
	bool tap_dead;
	uint8_t buf[USERNET_FRAME_MAX];
};

/**
 * struct usernet_timer - a libslirp timer on the loop
 * @lt:		loop timer (first member: the loop hands it back)
 * @cb:		libslirp's callback
 * @cb_opaque:	its argument
 */
struct usernet_timer {
	struct loop_timer lt;
	SlirpTimerCb cb;
	void *cb_opaque;
};

/**
 * usernet_slirp_config() - Fill a SlirpConfig as slirp4netns does
 * @uc:		configuration
 * @cfg:	filled in; strings are not used
 *
 * Return: nothing
 */
void usernet_slirp_config(const struct usernet_conf *uc, SlirpConfig *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->version = SLIRP_CONFIG_VERSION_MAX < 3 ? SLIRP_CONFIG_VERSION_MAX : 3;
	cfg->restricted = 0;
	cfg->in_enabled = true;
	cfg->vnetwork = uc->topo.net;
	cfg->vnetmask = uc->topo.mask;
	cfg->vhost = uc->topo.gw;
	cfg->in6_enabled = uc->ipv6;
	cfg->vprefix_addr6 = uc->topo.net6;
	cfg->vprefix_len = (uint8_t)uc->topo.prefix6;
	cfg->vhost6 = uc->topo.gw6;
	cfg->vdhcp_start = uc->topo.dhcp;
	cfg->vnameserver = uc->topo.dns;
	cfg->vnameserver6 = uc->topo.dns6;
	cfg->if_mtu = uc->mtu;
	cfg->if_mru = uc->mtu;
	cfg->disable_host_loopback = uc->disable_host_loopback;
	cfg->enable_emu = false;
}

/**
 * usernet_send_packet() - libslirp callback: write one frame to the tap
 * @buf:	frame
 * @len:	its length
 * @opaque:	&struct usernet
 *
 * Return: @len (a frame the tap cannot take now is dropped), or -errno on a tap error
 */
static ssize_t usernet_send_packet(const void *buf, size_t len, void *opaque)
{
	struct usernet *u = opaque;
	ssize_t n;

	do {
		n = write(u->tap.fd, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		if (errno == EAGAIN || errno == ENOBUFS) {
			u->stats.tx_dropped++;
			return (ssize_t)len;
		}
		return -errno;
	}
	u->stats.tx_frames++;
	return n;
}

/**
 * usernet_guest_error() - libslirp callback: the namespace sent something bad
 * @msg:	libslirp's message
 * @opaque:	&struct usernet
 *
 * Return: nothing
 */
static void usernet_guest_error(const char *msg, void *opaque)
{
	(void)opaque;
	debug("user-mode network: guest error: %s", msg);
}

/**
 * usernet_clock_get_ns() - libslirp callback: the clock its timers use
 * @opaque:	&struct usernet
 *
 * Return: CLOCK_MONOTONIC in nanoseconds
 */
static int64_t usernet_clock_get_ns(void *opaque)
{
	(void)opaque;
	return (int64_t)loop_now_ns();
}

/**
 * usernet_timer_fire() - Loop timer callback: run libslirp's timer callback
 * @l:		loop
 * @lt:		the expired timer
 *
 * Return: nothing
 */
static void usernet_timer_fire(struct loop *l, struct loop_timer *lt)
{
	struct usernet_timer *t = (struct usernet_timer *)lt;

	(void)l;
	t->cb(t->cb_opaque);
}

/**
 * usernet_timer_new() - libslirp callback: create a timer
 * @cb:		callback
 * @cb_opaque:	its argument
 * @opaque:	&struct usernet
 *
 * Return: the timer, or NULL without memory (libslirp then has no RA timer)
 */
static void *usernet_timer_new(SlirpTimerCb cb, void *cb_opaque, void *opaque)
{
	struct usernet_timer *t = calloc(1, sizeof(*t));

	(void)opaque;
	if (!t)
		return NULL;
	t->lt.cb = usernet_timer_fire;
	t->cb = cb;
	t->cb_opaque = cb_opaque;
	return t;
}

/**
 * usernet_timer_free() - libslirp callback: destroy a timer
 * @timer:	from usernet_timer_new()
 * @opaque:	&struct usernet
 *
 * Return: nothing
 */
static void usernet_timer_free(void *timer, void *opaque)
{
	struct usernet *u = opaque;
	struct usernet_timer *t = timer;

	if (!t)
		return;
	loop_timer_disarm(u->l, &t->lt);
	free(t);
}

/**
 * usernet_timer_mod() - libslirp callback: (re)arm a timer
 * @timer:	from usernet_timer_new()
 * @expire_ms:	deadline in milliseconds on usernet_clock_get_ns()'s clock
 * @opaque:	&struct usernet
 *
 * Return: nothing
 */
static void usernet_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
	struct usernet *u = opaque;
	struct usernet_timer *t = timer;

	if (!t)
		return;
	if (expire_ms < 0)
		expire_ms = 0;
	loop_timer_arm(u->l, &t->lt, (uint64_t)expire_ms * 1000000ULL);
}

/**
 * usernet_poll_fd_noop() - libslirp callback: (un)register an fd; nothing to do on Linux
 * @fd:		socket
 * @opaque:	&struct usernet
 *
 * Return: nothing
 */
static void usernet_poll_fd_noop(int fd, void *opaque)
{
	(void)fd;
	(void)opaque;
}

/**
 * usernet_notify() - libslirp callback: wake the loop; it is our own thread, so nothing
 * @opaque:	&struct usernet
 *
 * Return: nothing
 */
static void usernet_notify(void *opaque)
{
	(void)opaque;
}

static const SlirpCb usernet_cb = {
	.send_packet = usernet_send_packet,
	.guest_error = usernet_guest_error,
	.clock_get_ns = usernet_clock_get_ns,
	.timer_new = usernet_timer_new,
	.timer_free = usernet_timer_free,
	.timer_mod = usernet_timer_mod,
	.register_poll_fd = usernet_poll_fd_noop,
	.unregister_poll_fd = usernet_poll_fd_noop,
	.notify = usernet_notify,
};

/**
 * usernet_add_poll() - libslirp callback from slirp_pollfds_fill(): add one fd
 * @fd:		socket
 * @events:	SLIRP_POLL_* flags
 * @opaque:	&struct loop_pollset
 *
 * Return: the index for usernet_get_revents(), negative if it could not be added
 */
static int usernet_add_poll(int fd, int events, void *opaque)
{
	short ev = 0;

	if (events & SLIRP_POLL_IN)
		ev |= POLLIN;
	if (events & SLIRP_POLL_OUT)
		ev |= POLLOUT;
	if (events & SLIRP_POLL_PRI)
		ev |= POLLPRI;
	if (events & SLIRP_POLL_ERR)
		ev |= POLLERR;
	if (events & SLIRP_POLL_HUP)
		ev |= POLLHUP;
	return loop_pollset_add(opaque, fd, ev);
}

/**
 * usernet_get_revents() - libslirp callback from slirp_pollfds_poll(): events of one fd
 * @idx:	index from usernet_add_poll()
 * @opaque:	&struct loop_pollset
 *
 * Return: SLIRP_POLL_* flags
 */
static int usernet_get_revents(int idx, void *opaque)
{
	short rev = loop_pollset_revents(opaque, idx);
	int ev = 0;

	if (rev & POLLIN)
		ev |= SLIRP_POLL_IN;
	if (rev & POLLOUT)
		ev |= SLIRP_POLL_OUT;
	if (rev & POLLPRI)
		ev |= SLIRP_POLL_PRI;
	if (rev & POLLERR)
		ev |= SLIRP_POLL_ERR;
	if (rev & POLLHUP)
		ev |= SLIRP_POLL_HUP;
	return ev;
}

/**
 * usernet_hook_prepare() - Loop hook: let libslirp add its sockets before sleeping
 * @l:		loop
 * @ps:		this iteration's poll set
 * @timeout_ms:	sleep bound, lowered to libslirp's (-1 = none)
 * @data:	&struct usernet
 *
 * Return: nothing
 */
static void usernet_hook_prepare(struct loop *l, struct loop_pollset *ps, int *timeout_ms,
				 void *data)
{
	struct usernet *u = data;
	uint32_t t = *timeout_ms < 0 ? UINT32_MAX : (uint32_t)*timeout_ms;

	(void)l;
	slirp_pollfds_fill(u->slirp, &t, usernet_add_poll, ps);
	*timeout_ms = t >= (uint32_t)INT_MAX ? -1 : (int)t;
}

/**
 * usernet_hook_dispatch() - Loop hook: let libslirp service its sockets and timers
 * @l:		loop
 * @ps:		this iteration's poll set, with results
 * @error:	poll(2) failed (EINTR): no results
 * @data:	&struct usernet
 *
 * Return: nothing
 */
static void usernet_hook_dispatch(struct loop *l, struct loop_pollset *ps, bool error, void *data)
{
	struct usernet *u = data;

	(void)l;
	slirp_pollfds_poll(u->slirp, error, usernet_get_revents, ps);
}

/**
 * usernet_tap_cb() - Loop callback: read a batch of frames from the tap into libslirp
 * @l:		loop
 * @lfd:	tap registration
 * @events:	epoll events
 *
 * Return: nothing; a dead tap (the namespace is gone) is taken out of the loop
 */
static void usernet_tap_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct usernet *u = lfd->data;

	(void)events;
	for (int i = 0; i < USERNET_BATCH; i++) {
		ssize_t n = read(lfd->fd, u->buf, sizeof(u->buf));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				return;
			/* the namespace is gone: what libslirp holds may still reach the host */
			debug("the tap is gone (%s)", error_errstr(errno));
			loop_del(l, lfd);
			u->tap_dead = true;
			return;
		}
		if (n == 0)
			return;
		u->stats.rx_frames++;
		slirp_input(u->slirp, u->buf, (int)n);
	}
}

/**
 * usernet_start() - Create the stack on a tap and run it in a loop
 * @uc:		configuration
 * @l:		loop (the caller runs it)
 * @tapfd:	tap fd, owned from now on, made non-blocking here
 * @out:	the stack
 *
 * Return: 0 or -errno
 */
int usernet_start(const struct usernet_conf *uc, struct loop *l, int tapfd, struct usernet **out)
{
	struct usernet *u;
	SlirpConfig cfg;
	struct loop_hook hook = {
		.prepare = usernet_hook_prepare,
		.dispatch = usernet_hook_dispatch,
	};
	int fl, ret;

	fl = fcntl(tapfd, F_GETFL);
	if (fl < 0 || fcntl(tapfd, F_SETFL, fl | O_NONBLOCK) < 0) {
		ret = -errno;
		close(tapfd);
		return ret;
	}
	u = calloc(1, sizeof(*u));
	if (!u) {
		close(tapfd);
		return -ENOMEM;
	}
	u->l = l;
	u->conf = *uc;
	u->tap.fd = tapfd;
	u->tap.cb = usernet_tap_cb;
	u->tap.data = u;
	usernet_slirp_config(uc, &cfg);
	u->slirp = slirp_new(&cfg, &usernet_cb, u);
	if (!u->slirp) {
		ret = -EINVAL;
		goto fail;
	}
	hook.data = u;
	ret = loop_set_hook(l, &hook);
	if (ret < 0)
		goto fail;
	ret = loop_add(l, &u->tap, EPOLLIN);
	if (ret < 0) {
		loop_set_hook(l, NULL);
		goto fail;
	}
	debug("libslirp %s running on the tap (fd %d, MTU %u)", slirp_version_string(), tapfd,
	      uc->mtu);
	*out = u;
	return 0;
fail:
	if (u->slirp)
		slirp_cleanup(u->slirp);
	close(tapfd);
	free(u);
	return ret;
}

/**
 * usernet_free() - Stop the stack, close its sockets and the tap
 * @u:		stack, may be NULL
 *
 * Return: nothing
 */
void usernet_free(struct usernet *u)
{
	if (!u)
		return;
	loop_set_hook(u->l, NULL);
	if (!u->tap_dead)
		loop_del(u->l, &u->tap);
	slirp_cleanup(u->slirp);
	close(u->tap.fd);
	free(u);
}

/**
 * usernet_guest_default() - Replace an unspecified guest address by the namespace's own
 * @u:		stack
 * @guest:	guest address (copied into @out)
 * @glen:	its length
 * @out:	the address to use
 *
 * Return: 0, or -EINVAL for a bad length or family
 */
static int usernet_guest_default(const struct usernet *u, const struct sockaddr *guest,
				 socklen_t glen, struct sockaddr_storage *out)
{
	if (glen > sizeof(*out) || glen < sizeof(sa_family_t))
		return -EINVAL;
	memset(out, 0, sizeof(*out));
	memcpy(out, guest, glen);
	if (guest->sa_family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)out;

		if (glen < sizeof(*sin))
			return -EINVAL;
		if (sin->sin_addr.s_addr == htonl(INADDR_ANY))
			sin->sin_addr = u->conf.topo.guest;
		return 0;
	}
	if (guest->sa_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)out;

		if (glen < sizeof(*sin6))
			return -EINVAL;
		if (IN6_IS_ADDR_UNSPECIFIED(&sin6->sin6_addr))
			sin6->sin6_addr = u->conf.topo.guest6;
		return 0;
	}
	return -EAFNOSUPPORT;
}

/**
 * usernet_is_listener() - Tell whether an fd is a TCP listener bound to an address
 * @fd:		descriptor
 * @host:	address and port
 * @hlen:	its length
 *
 * Return: true if @fd is a listening socket whose address is @host
 */
static bool usernet_is_listener(int fd, const struct sockaddr *host, socklen_t hlen)
{
	struct sockaddr_storage ss = {0};
	socklen_t len = sizeof(ss), ilen = sizeof(int);
	int on = 0;

	if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &on, &ilen) < 0 || !on)
		return false;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) < 0 || len != hlen ||
	    ss.ss_family != host->sa_family)
		return false;
	if (host->sa_family == AF_INET) {
		const struct sockaddr_in *a = (const struct sockaddr_in *)&ss;
		const struct sockaddr_in *b = (const struct sockaddr_in *)host;

		return a->sin_port == b->sin_port && a->sin_addr.s_addr == b->sin_addr.s_addr;
	}
	if (host->sa_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)&ss;
		const struct sockaddr_in6 *b = (const struct sockaddr_in6 *)host;

		return a->sin6_port == b->sin6_port &&
		       !memcmp(&a->sin6_addr, &b->sin6_addr, sizeof(a->sin6_addr));
	}
	return false;
}

/**
 * usernet_lowest_free_fd() - The descriptor the next socket(2) will get
 *
 * Return: the fd number, or -1 if it cannot be told
 */
static int usernet_lowest_free_fd(void)
{
	int fd = dup(STDIN_FILENO);

	if (fd >= 0)
		close(fd);
	return fd;
}

/**
 * usernet_relisten() - Give the listener libslirp just made a real backlog
 * @guess:	the lowest free fd before libslirp made it (-1: unknown)
 * @host:	the listener's address
 * @hlen:	its length
 *
 * Return: nothing (a listener left with libslirp's backlog of 1 is a debug message: it
 * works, it only drops connections in bursts)
 */
static void usernet_relisten(int guess, const struct sockaddr *host, socklen_t hlen)
{
	int fd = -1;

	if (guess >= 0 && usernet_is_listener(guess, host, hlen))
		fd = guess;
	for (int i = 3; fd < 0 && i < USERNET_SCAN_MAX; i++) {
		if (fcntl(i, F_GETFD) < 0 && errno == EBADF)
			continue;
		if (usernet_is_listener(i, host, hlen))
			fd = i;
	}
	if (fd < 0 || listen(fd, USERNET_BACKLOG) < 0)
		debug("host forward: libslirp's listener keeps a backlog of 1 (%s)",
		      fd < 0 ? "not found" : error_errstr(errno));
}

/**
 * usernet_hostfwd() - Add or remove a host forward
 * @u:		stack
 * @add:	add (else remove)
 * @udp:	UDP (else TCP)
 * @host:	host address and port to listen on
 * @hlen:	its length
 * @guest:	namespace address and port (unspecified address: the namespace's); unused
 *		when removing
 * @glen:	its length
 * @v6only:	an IPv6 listener takes no IPv4 clients
 *
 * Return: 0, -EINVAL for mismatched families, -EAFNOSUPPORT for IPv6 without --ipv6,
 * -ENOENT when removing what is not there, or -errno from the listener
 */
int usernet_hostfwd(struct usernet *u, bool add, bool udp, const struct sockaddr *host,
		    socklen_t hlen, const struct sockaddr *guest, socklen_t glen, bool v6only)
{
	struct sockaddr_storage g;
	int flags = (udp ? SLIRP_HOSTFWD_UDP : 0) | (v6only ? SLIRP_HOSTFWD_V6ONLY : 0);
	int ret, guess;

	if (hlen < sizeof(sa_family_t) || hlen > sizeof(struct sockaddr_storage))
		return -EINVAL;
	if (host->sa_family != AF_INET && host->sa_family != AF_INET6)
		return -EAFNOSUPPORT;
	if (host->sa_family == AF_INET6 && !u->conf.ipv6)
		return -EAFNOSUPPORT;
#if SLIRP_CHECK_VERSION(4, 5, 0)
	if (!add) {
		if (slirp_remove_hostxfwd(u->slirp, host, hlen, flags) < 0)
			return -ENOENT;
		return 0;
	}
	ret = usernet_guest_default(u, guest, glen, &g);
	if (ret < 0)
		return ret;
	/* libslirp accepts v6 -> v4 but such a forward never connects */
	if (g.ss_family != host->sa_family)
		return -EINVAL;
	guess = udp ? -1 : usernet_lowest_free_fd();
	errno = 0;
	if (slirp_add_hostxfwd(u->slirp, host, hlen, (struct sockaddr *)&g, glen, flags) < 0)
		return errno ? -errno : -EADDRINUSE;
	if (!udp)
		usernet_relisten(guess, host, hlen);
	return 0;
#else
	/* before libslirp 4.5: IPv4 only, without V6ONLY */
	const struct sockaddr_in *h = (const struct sockaddr_in *)host;

	(void)flags;
	if (host->sa_family != AF_INET || hlen < sizeof(*h))
		return -EAFNOSUPPORT;
	if (!add) {
		if (slirp_remove_hostfwd(u->slirp, udp, h->sin_addr, ntohs(h->sin_port)) < 0)
			return -ENOENT;
		return 0;
	}
	ret = usernet_guest_default(u, guest, glen, &g);
	if (ret < 0)
		return ret;
	if (g.ss_family != AF_INET)
		return -EINVAL;
	guess = udp ? -1 : usernet_lowest_free_fd();
	errno = 0;
	if (slirp_add_hostfwd(u->slirp, udp, h->sin_addr, ntohs(h->sin_port),
			      ((struct sockaddr_in *)&g)->sin_addr,
			      ntohs(((struct sockaddr_in *)&g)->sin_port)) < 0)
		return errno ? -errno : -EADDRINUSE;
	if (!udp)
		usernet_relisten(guess, host, hlen);
	return 0;
#endif
}

/**
 * usernet_tcp_busy() - Tell whether a TCP state may still carry data from the namespace
 * @line:	a line of slirp_connection_info(): "  TCP[STATE] ..."
 *
 * Return: true for a connection the namespace has not finished sending on
 */
static bool usernet_tcp_busy(const char *line)
{
	static const char *const busy[] = {"SYN_SENT",	 "SYN_RCVD",   "ESTABLISHED",
					   "FIN_WAIT_1", "FIN_WAIT_2", "CLOSING"};
	const char *st = strstr(line, "TCP[");

	if (!st)
		return false;
	st += 4;
	for (size_t i = 0; i < ARRAY_SIZE(busy); i++) {
		size_t n = strlen(busy[i]);

		if (!strncmp(st, busy[i], n) && st[n] == ']')
			return true;
	}
	return false;
}

/**
 * usernet_pending() - Tell whether libslirp still has something to deliver
 * @u:		stack
 *
 * libslirp has no call for this, but slirp_connection_info() prints a table with one
 * line per socket: "  TCP[STATE] fd src port dst port recvq sendq". Something is pending
 * while a socket holds queued bytes, or a TCP connection is in a state where the namespace
 * may still send (it has not sent its FIN yet: the data before it may be in flight), unless
 * the tap is gone; and while a frame waits on the tap, not yet read.
 *
 * Return: bytes queued plus busy connections plus 1 for a frame waiting on the tap (0:
 * nothing pending), or -EIO if the table cannot be read
 */
long usernet_pending(const struct usernet *u)
{
	struct pollfd tap = {.fd = u->tap.fd, .events = POLLIN};
	char *info, *line, *save = NULL;
	long sum = 0;
	bool header = true;

	if (!u->tap_dead && poll(&tap, 1, 0) > 0 && (tap.revents & POLLIN))
		sum++;
	info = slirp_connection_info(u->slirp);
	if (!info)
		return -EIO;
	for (line = strtok_r(info, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		long rq, sq;
		char *end = line + strlen(line), *p;

		if (header) {
			header = false;
			continue;
		}
		/* the last two numbers of the line: receive and send queue */
		while (end > line && end[-1] == ' ')
			end--;
		p = end;
		while (p > line && p[-1] != ' ')
			p--;
		sq = strtol(p, NULL, 10);
		while (p > line && p[-1] == ' ')
			p--;
		end = p;
		while (p > line && p[-1] != ' ')
			p--;
		if (p == end || sscanf(p, "%ld", &rq) != 1) {
			sum = -EIO;
			break;
		}
		sum += rq + sq + (!u->tap_dead && usernet_tcp_busy(line) ? 1 : 0);
	}
	free(info);
	return sum;
}

/**
 * usernet_connection_info() - libslirp's table of its sockets (slirp_connection_info())
 * @u:		stack
 *
 * Return: the text, to free(), or NULL
 */
char *usernet_connection_info(const struct usernet *u)
{
	return slirp_connection_info(u->slirp);
}

/**
 * usernet_stats() - Counters of the tap path
 * @u:		stack
 *
 * Return: the counters
 */
const struct usernet_stats *usernet_stats(const struct usernet *u)
{
	return &u->stats;
}

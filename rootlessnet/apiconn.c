/* apiconn.c - the API's clients: accepting them, request deadlines, evicting the idle */
/**
 * DOC: Theory of operation
 *
 * libmicrohttpd speaks HTTP; who may hold a connection, and for how long, is decided here.
 * Its own limits were not enough: with its connection limit reached it stops accepting, so
 * 64 clients that connected and never finished a request kept every other client waiting
 * in connect() until their 30 s idle timeout, and a client that sends a byte every few
 * seconds is never idle. So we accept on api.sock ourselves and hand each client to
 * libmicrohttpd (MHD_add_connection()), which knows us only through three callbacks:
 * a client started or closed (MHD_OPTION_NOTIFY_CONNECTION), a request began (its request
 * line was read: MHD_OPTION_URI_LOG_CALLBACK), a request was answered (api.c's completion
 * callback calls apiconn_request_done()).
 *
 * Each client is in a table (&struct apiconn_table, pure logic, unit-tested) in one of two
 * queues, oldest first, by the deadline that applies to it:
 *   - NEW (connected, no request yet) and BUSY (a request being read or answered): the
 *     request must be in and answered within APICONN_REQUEST_S of the connection or of its
 *     request line;
 *   - IDLE (kept alive between requests): APICONN_IDLE_S after the last answer, however
 *     slowly it sends in the meantime (libmicrohttpd's inactivity timeout is the same
 *     length but restarts with each byte).
 * A timer at the earliest deadline closes what passed it. When APICONN_MAX clients are
 * connected, each new one closes the longest idle client, or failing that the oldest slow
 * one: a new client never waits for a slot, whatever the others do. A client is closed
 * with shutdown(2) on its socket, which libmicrohttpd then sees as the client leaving.
 *
 * Out of descriptors, the listener rests for APICONN_PAUSE_MS (clients wait in its backlog)
 * instead of firing on every loop turn; libmicrohttpd, accepting itself, would busy-wait.
 *
 * libmicrohttpd is loaded and its daemon started when the first client is accepted; once
 * the last client has gone and no other came for APICONN_UNLOAD_S, the daemon is stopped
 * and the library unloaded (mhdlib.c says why), until the next client.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "apiconn.h"
#include "error.h"
#include "log.h"
#include "loop.h"
#include "mhdlib.h"
#include "util.h"

/* api.sock's listen backlog: a burst of clients waits there, not in a refused connect() */
#define APICONN_BACKLOG 4096
/* clients accepted per listener event */
#define APICONN_ACCEPT_BATCH 64
/* out of descriptors: the listener rests this long */
#define APICONN_PAUSE_MS 100

#define APICONN_NS 1000000000ULL

/**
 * struct apiconn - the API's listener and clients
 * @l:		event loop
 * @d:		libmicrohttpd, which serves the clients; NULL until the first client
 * @lfd:	the listening socket api.sock (ours)
 * @t:		the clients
 * @sweep:	closes clients past their deadline
 * @pause:	ends a rest of the listener
 * @unload:	stops and unloads libmicrohttpd when no client came for APICONN_UNLOAD_S
 * @ops:	the server's part (api.c)
 * @data:	passed to @ops
 */
struct apiconn {
	struct loop *l;
	struct MHD_Daemon *d;
	struct loop_fd lfd;
	struct apiconn_table t;
	struct loop_timer sweep;
	struct loop_timer pause;
	struct loop_timer unload;
	const struct apiconn_ops *ops;
	void *data;
};

/**
 * apiconn_queue_of() - The queue a state belongs in
 * @t:		table
 * @st:		state
 *
 * Return: the queue, NULL for APICONN_CUT
 */
static struct apiconn_queue *apiconn_queue_of(struct apiconn_table *t, enum apiconn_state st)
{
	switch (st) {
	case APICONN_NEW:
	case APICONN_BUSY:
		return &t->slow;
	case APICONN_IDLE:
		return &t->idle;
	default:
		return NULL;
	}
}

/**
 * apiconn_unlink() - Take an entry out of its queue
 * @t:		table
 * @e:		entry
 *
 * Return: nothing
 */
static void apiconn_unlink(struct apiconn_table *t, struct apiconn_entry *e)
{
	struct apiconn_queue *q = apiconn_queue_of(t, e->state);

	if (!q)
		return;
	if (e->prev)
		e->prev->next = e->next;
	else
		q->head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		q->tail = e->prev;
	e->prev = e->next = NULL;
}

/**
 * apiconn_table_set() - Move a client to a state; it is the newest there
 * @t:		table
 * @e:		entry, in @t
 * @st:		its new state
 * @now_ns:	CLOCK_MONOTONIC now
 *
 * Return: nothing
 */
void apiconn_table_set(struct apiconn_table *t, struct apiconn_entry *e, enum apiconn_state st,
		       uint64_t now_ns)
{
	struct apiconn_queue *q;

	apiconn_unlink(t, e);
	e->state = st;
	e->since_ns = now_ns;
	q = apiconn_queue_of(t, st);
	if (!q)
		return;
	e->prev = q->tail;
	e->next = NULL;
	if (q->tail)
		q->tail->next = e;
	else
		q->head = e;
	q->tail = e;
}

/**
 * apiconn_table_add() - Add a client that just connected (NEW)
 * @t:		table
 * @e:		entry, not in any table
 * @now_ns:	CLOCK_MONOTONIC now
 *
 * Return: nothing
 */
void apiconn_table_add(struct apiconn_table *t, struct apiconn_entry *e, uint64_t now_ns)
{
	e->state = APICONN_CUT; /* in no queue yet */
	e->prev = e->next = NULL;
	apiconn_table_set(t, e, APICONN_NEW, now_ns);
	t->count++;
}

/**
 * apiconn_table_remove() - Remove a client that is gone
 * @t:		table
 * @e:		entry, in @t
 *
 * Return: nothing
 */
void apiconn_table_remove(struct apiconn_table *t, struct apiconn_entry *e)
{
	apiconn_unlink(t, e);
	e->state = APICONN_CUT;
	t->count--;
}

/**
 * apiconn_deadline_of() - When the oldest client of a queue passes its deadline
 * @q:		queue
 * @secs:	the queue's allowance
 *
 * Return: CLOCK_MONOTONIC ns, 0 for an empty queue
 */
static uint64_t apiconn_deadline_of(const struct apiconn_queue *q, unsigned int secs)
{
	return q->head ? q->head->since_ns + secs * APICONN_NS : 0;
}

/**
 * apiconn_table_expired() - A client past its deadline
 * @t:		table
 * @now_ns:	CLOCK_MONOTONIC now
 *
 * Return: the oldest such client of either queue, or NULL
 */
struct apiconn_entry *apiconn_table_expired(const struct apiconn_table *t, uint64_t now_ns)
{
	uint64_t d = apiconn_deadline_of(&t->slow, APICONN_REQUEST_S);

	if (d && d <= now_ns)
		return t->slow.head;
	d = apiconn_deadline_of(&t->idle, APICONN_IDLE_S);
	if (d && d <= now_ns)
		return t->idle.head;
	return NULL;
}

/**
 * apiconn_table_victim() - The client to close when a new one needs its slot
 * @t:		table
 *
 * Return: the longest idle client, else the oldest new or busy one, else NULL
 */
struct apiconn_entry *apiconn_table_victim(const struct apiconn_table *t)
{
	return t->idle.head ? t->idle.head : t->slow.head;
}

/**
 * apiconn_table_deadline() - The next deadline of any client
 * @t:		table
 *
 * Return: CLOCK_MONOTONIC ns, 0 when no client has one
 */
uint64_t apiconn_table_deadline(const struct apiconn_table *t)
{
	uint64_t a = apiconn_deadline_of(&t->slow, APICONN_REQUEST_S);
	uint64_t b = apiconn_deadline_of(&t->idle, APICONN_IDLE_S);

	if (!a || (b && b < a))
		return b;
	return a;
}

/**
 * apiconn_arm() - Arm the sweep timer for the next deadline
 * @ac:		state
 *
 * Return: nothing
 */
static void apiconn_arm(struct apiconn *ac)
{
	uint64_t d = apiconn_table_deadline(&ac->t);

	if (d)
		loop_timer_arm(ac->l, &ac->sweep, d);
	else
		loop_timer_disarm(ac->l, &ac->sweep);
}

/**
 * apiconn_cut() - Close a client: libmicrohttpd sees it leave
 * @ac:		state
 * @e:		the client
 *
 * Return: nothing
 */
static void apiconn_cut(struct apiconn *ac, struct apiconn_entry *e)
{
	shutdown(e->fd, SHUT_RDWR);
	apiconn_table_set(&ac->t, e, APICONN_CUT, loop_now_ns());
}

/**
 * apiconn_sweep_cb() - Timer: close the clients past their deadline
 * @l:		loop
 * @t:		the sweep timer
 *
 * Return: nothing
 */
static void apiconn_sweep_cb(struct loop *l, struct loop_timer *t)
{
	struct apiconn *ac = t->data;
	uint64_t now = loop_now_ns();
	struct apiconn_entry *e;
	unsigned int n = 0;

	(void)l;
	while ((e = apiconn_table_expired(&ac->t, now))) {
		apiconn_cut(ac, e);
		n++;
	}
	if (n) {
		info_limited("api: closed %u clients that sent no whole request within %d s, or "
			     "stayed idle for %d s",
			     n, APICONN_REQUEST_S, APICONN_IDLE_S);
		ac->ops->run(ac->data);
	}
	apiconn_arm(ac);
}

/**
 * apiconn_pause_cb() - Timer: the listener's rest is over
 * @l:		loop
 * @t:		the pause timer
 *
 * Return: nothing
 */
static void apiconn_pause_cb(struct loop *l, struct loop_timer *t)
{
	struct apiconn *ac = t->data;

	if (loop_mod(l, &ac->lfd, EPOLLIN) < 0)
		err_limited("api: cannot poll api.sock again");
}

/**
 * apiconn_unload_cb() - Timer: no client for APICONN_UNLOAD_S: stop and unload libmicrohttpd
 * @l:		loop
 * @t:		the unload timer
 *
 * Return: nothing
 */
static void apiconn_unload_cb(struct loop *l, struct loop_timer *t)
{
	struct apiconn *ac = t->data;

	if (!ac->d || ac->t.count)
		return;
	if (!ac->ops->stop(ac->data)) {
		/* a connection we could not track: try again later */
		loop_timer_arm(l, &ac->unload, loop_now_ns() + APICONN_UNLOAD_S * APICONN_NS);
		return;
	}
	ac->d = NULL;
	if (mhdlib_unload())
		debug_limited("api: no client for %d s: libmicrohttpd unloaded until the next",
			      APICONN_UNLOAD_S);
}

/**
 * apiconn_accept_cb() - Accept clients and hand them to libmicrohttpd
 * @l:		loop
 * @lfd:	the listener
 * @events:	epoll events
 *
 * Return: nothing
 */
static void apiconn_accept_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct apiconn *ac = lfd->data;
	bool added = false;

	(void)events;
	for (int i = 0; i < APICONN_ACCEPT_BATCH; i++) {
		struct sockaddr_un sa;
		socklen_t len = sizeof(sa);
		int fd = accept4(lfd->fd, (struct sockaddr *)&sa, &len,
				 SOCK_NONBLOCK | SOCK_CLOEXEC);

		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
			    errno == ENOMEM) {
				warn_limited(
					"api: out of descriptors (%s, %zu clients): new clients "
					"wait; the limit is ulimit -n",
					error_errstr(errno), ac->t.count);
				if (!loop_mod(l, lfd, 0))
					loop_timer_arm(l, &ac->pause,
						       loop_now_ns() +
							       APICONN_PAUSE_MS * 1000000ULL);
			}
			break;
		}
		if (ac->t.count >= APICONN_MAX) {
			struct apiconn_entry *victim = apiconn_table_victim(&ac->t);

			if (victim) {
				warn_limited("api: %d clients at once: closing the one that waited "
					     "longest",
					     APICONN_MAX);
				apiconn_cut(ac, victim);
			}
		}
		loop_timer_disarm(l, &ac->unload);
		if (!ac->d)
			ac->d = ac->ops->start(ac->data);
		if (!ac->d) {
			/* api.c said why, once */
			close(fd);
			continue;
		}
		/* libmicrohttpd owns the socket from here on, and closes it on failure */
		if (mhdlib.add_connection(ac->d, fd, (struct sockaddr *)&sa, len) != MHD_YES) {
			warn_errno_limited(errno, "api: cannot take a client");
			continue;
		}
		added = true;
	}
	if (added)
		ac->ops->run(ac->data);
	apiconn_arm(ac);
}

/**
 * apiconn_entry_of() - Our entry of one of libmicrohttpd's connections
 * @conn:	connection
 *
 * Return: the entry, or NULL (it could not be allocated)
 */
static struct apiconn_entry *apiconn_entry_of(struct MHD_Connection *conn)
{
	const union MHD_ConnectionInfo *ci =
		mhdlib.get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

	return ci ? ci->socket_context : NULL;
}

/**
 * apiconn_notify() - libmicrohttpd: a client started or closed
 * @cls:	struct apiconn
 * @conn:	the connection
 * @socket_context: our entry for it
 * @toe:	started or closed
 *
 * Return: nothing
 */
void apiconn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		    enum MHD_ConnectionNotificationCode toe)
{
	struct apiconn *ac = cls;
	struct apiconn_entry *e;

	if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			mhdlib.get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);

		e = calloc(1, sizeof(*e));
		if (!e || !ci) {
			/* untracked: libmicrohttpd's own timeout still applies */
			free(e);
			*socket_context = NULL;
			return;
		}
		e->fd = ci->connect_fd;
		apiconn_table_add(&ac->t, e, loop_now_ns());
		*socket_context = e;
		return;
	}
	e = *socket_context;
	if (!e)
		return;
	apiconn_table_remove(&ac->t, e);
	free(e);
	*socket_context = NULL;
	if (!ac->t.count)
		loop_timer_arm(ac->l, &ac->unload, loop_now_ns() + APICONN_UNLOAD_S * APICONN_NS);
}

/**
 * apiconn_uri() - libmicrohttpd: a request began (its request line is in)
 * @cls:	struct apiconn
 * @uri:	its URI
 * @conn:	the connection
 *
 * Return: NULL (the initial per-request state: api.c makes its own)
 */
void *apiconn_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	struct apiconn *ac = cls;
	struct apiconn_entry *e = apiconn_entry_of(conn);

	(void)uri;
	if (e && e->state != APICONN_CUT) {
		apiconn_table_set(&ac->t, e, APICONN_BUSY, loop_now_ns());
		apiconn_arm(ac);
	}
	return NULL;
}

/**
 * apiconn_request_done() - A request was answered (or abandoned): the client is idle
 * @ac:		state
 * @conn:	the connection
 *
 * Return: nothing
 */
void apiconn_request_done(struct apiconn *ac, struct MHD_Connection *conn)
{
	struct apiconn_entry *e = apiconn_entry_of(conn);

	if (e && e->state != APICONN_CUT) {
		apiconn_table_set(&ac->t, e, APICONN_IDLE, loop_now_ns());
		apiconn_arm(ac);
	}
}

/**
 * apiconn_listen() - Make the listening unix socket, owner only
 * @path:	socket path; a stale socket there is removed
 * @out:	the non-blocking listening fd
 *
 * Return: 0, or -errno (-ENAMETOOLONG for a path over sun_path, -EEXIST if @path is
 *	   something other than a socket)
 */
int apiconn_listen(const char *path, int *out)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	cleanup_close int fd = -1;
	struct stat st;
	mode_t old;
	int ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, path, strlen(path) + 1);
	if (!lstat(path, &st)) {
		if (!S_ISSOCK(st.st_mode))
			return -EEXIST;
		if (unlink(path) < 0)
			return -errno;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	old = umask(0177);
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	umask(old);
	if (ret < 0)
		return -errno;
	if (chmod(path, 0600) < 0 || listen(fd, APICONN_BACKLOG) < 0) {
		ret = -errno;
		unlink(path);
		return ret;
	}
	*out = steal_fd(&fd);
	return 0;
}

/**
 * apiconn_new() - Prepare the client table, before libmicrohttpd starts
 * @l:		event loop
 * @ops:	the server's part: run, start and stop libmicrohttpd (kept, not copied)
 * @data:	passed to @ops
 * @out:	the state
 *
 * Return: 0 or -ENOMEM
 */
int apiconn_new(struct loop *l, const struct apiconn_ops *ops, void *data, struct apiconn **out)
{
	struct apiconn *ac = calloc(1, sizeof(*ac));

	if (!ac)
		return -ENOMEM;
	ac->l = l;
	ac->ops = ops;
	ac->data = data;
	ac->lfd = (struct loop_fd){.fd = -1, .cb = apiconn_accept_cb, .data = ac};
	ac->sweep = (struct loop_timer){.cb = apiconn_sweep_cb, .data = ac};
	ac->pause = (struct loop_timer){.cb = apiconn_pause_cb, .data = ac};
	ac->unload = (struct loop_timer){.cb = apiconn_unload_cb, .data = ac};
	*out = ac;
	return 0;
}

/**
 * apiconn_attach() - Start accepting on the listener; the daemon starts at the first client
 * @ac:		state
 * @listen_fd:	the listening socket, owned from now on (also on failure)
 *
 * Return: 0 or -errno
 */
int apiconn_attach(struct apiconn *ac, int listen_fd)
{
	int ret;

	ac->lfd.fd = listen_fd;
	ret = loop_add(ac->l, &ac->lfd, EPOLLIN);
	if (ret) {
		close(listen_fd);
		ac->lfd.fd = -1;
	}
	return ret;
}

/**
 * apiconn_count() - Clients connected
 * @ac:		state
 *
 * Return: the count
 */
size_t apiconn_count(const struct apiconn *ac)
{
	return ac->t.count;
}

/**
 * apiconn_free() - Stop accepting; call after libmicrohttpd (if it started) closed every client
 * @ac:		state, may be NULL
 *
 * Return: nothing
 */
void apiconn_free(struct apiconn *ac)
{
	if (!ac)
		return;
	if (ac->lfd.fd >= 0) {
		loop_del(ac->l, &ac->lfd);
		close(ac->lfd.fd);
	}
	loop_timer_disarm(ac->l, &ac->sweep);
	loop_timer_disarm(ac->l, &ac->pause);
	loop_timer_disarm(ac->l, &ac->unload);
	free(ac);
}

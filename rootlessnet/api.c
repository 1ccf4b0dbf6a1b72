/* api.c - the RootlessKit REST API on $STATE_DIR/api.sock, served inside the event loop */
/**
 * DOC: Theory of operation
 *
 * dockerd, rootlesskit-docker-proxy and rootlessctl talk HTTP/1.1 to $STATE_DIR/api.sock and
 * expect rootlesskit's answers byte for byte (doc: compat.md). HTTP is libmicrohttpd's job
 * and JSON apijson.c's; this file routes requests to the port table (ports.h) and answers.
 *
 * Event loop. libmicrohttpd runs without threads of its own (MHD_USE_EPOLL, external
 * events): it keeps the listening socket and its connections in an epoll set whose fd sits
 * in our loop; when it is readable we call mhdlib.run(), which does only the I/O that is
 * ready. mhdlib.get_timeout() says when it next needs to run without I/O (idle connections to
 * expire, buffered work): a loop timer covers that. Nothing blocks the loop. The daemon
 * (and the library: mhdlib.c) starts at the first client; api.sock listens from the start.
 *
 * Socket. We make the unix socket ourselves (a stale one is removed, it is created with mode
 * 0600 under umask 0177 so that only the owner can connect; the state directory is 0700)
 * and accept on it ourselves (apiconn.c), handing each client to libmicrohttpd: so that a
 * request has a deadline, and slow, held or abandoned clients never keep a new one
 * waiting for a slot.
 *
 * Requests. Routes as rootlesskit's gorilla/mux router: GET /v1/info, GET and POST
 * /v1/ports, DELETE /v1/ports/{id}; another method on a known path is 405 with an empty
 * body, any other path 404 "404 page not found". Without a port driver every ports route
 * answers 400 "no PortDriver is available" before looking at the request. Errors are 400
 * {"message":...} with the text/plain type Go's server ends up sending for them.
 *
 * Bodies. Only POST /v1/ports uses one. A Content-Length over API_BODY_MAX is refused at
 * once with 413, before any of the body is read (libmicrohttpd then closes the connection
 * rather than read the rest); a chunked body is collected up to that limit and its
 * connection closed the moment it passes it. Answers are queued once the request is in, so
 * that the connection stays open for the next request (keep-alive).
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "api.h"
#include "apiconn.h"
#include "apiinfo.h"
#include "apijson.h"
#include "conf.h"
#include "error.h"
#include "gojson.h"
#include "log.h"
#include "loop.h"
#include "mhdlib.h"
#include "portmap.h"
#include "ports.h"
#include "util.h"

/* Largest request body read (a port spec is ~150 bytes) */
#define API_BODY_MAX ((size_t)64 * 1024)
/* Memory per connection for the request line and headers (libmicrohttpd's pool) */
#define API_CONN_MEMORY (16 * 1024)

/**
 * enum api_route - what a request asks for
 * @API_NOT_FOUND:	unknown path
 * @API_BAD_METHOD:	known path, wrong method
 * @API_INFO:		GET /v1/info
 * @API_PORTS_LIST:	GET /v1/ports
 * @API_PORTS_ADD:	POST /v1/ports
 * @API_PORTS_DELETE:	DELETE /v1/ports/{id}
 */
enum api_route {
	API_NOT_FOUND,
	API_BAD_METHOD,
	API_INFO,
	API_PORTS_LIST,
	API_PORTS_ADD,
	API_PORTS_DELETE,
};

/**
 * struct api - server state
 * @l:		event loop
 * @p:		port table, NULL without a port driver
 * @d:		libmicrohttpd daemon, NULL until the first client
 * @ac:		the clients: accepting, deadlines, eviction
 * @lfd:	libmicrohttpd's epoll fd in our loop
 * @timer:	runs the daemon when mhdlib.get_timeout() says so
 * @sock_path:	$STATE_DIR/api.sock, removed by api_free()
 * @info_body:	GET /v1/info answer (it does not change while running)
 * @listening:	api.sock is made (api_free() removes it)
 */
struct api {
	struct loop *l;
	struct ports *p;
	struct MHD_Daemon *d;
	struct apiconn *ac;
	struct loop_fd lfd;
	struct loop_timer timer;
	char *sock_path;
	char *info_body;
	bool listening;
};

/**
 * struct api_req - a request being read
 * @route:	what it asks for
 * @id:		{id} of DELETE /v1/ports/{id} (in libmicrohttpd's copy of the URL)
 * @len:	body bytes so far
 * @body:	the body, for POST /v1/ports only (API_BODY_MAX bytes allocated)
 */
struct api_req {
	enum api_route route;
	const char *id;
	size_t len;
	char body[];
};

/**
 * api_route() - Route a request as rootlesskit's router does
 * @method:	HTTP method
 * @url:	path, decoded, without the query
 * @id:		set to the {id} element for /v1/ports/{id}
 *
 * Return: the route
 */
static enum api_route api_route(const char *method, const char *url, const char **id)
{
	static const char ports_slash[] = "/v1/ports/";

	if (!strcmp(url, "/v1/info"))
		return strcmp(method, MHD_HTTP_METHOD_GET) ? API_BAD_METHOD : API_INFO;
	if (!strcmp(url, "/v1/ports")) {
		if (!strcmp(method, MHD_HTTP_METHOD_GET))
			return API_PORTS_LIST;
		if (!strcmp(method, MHD_HTTP_METHOD_POST))
			return API_PORTS_ADD;
		return API_BAD_METHOD;
	}
	if (!strncmp(url, ports_slash, sizeof(ports_slash) - 1)) {
		const char *rest = url + sizeof(ports_slash) - 1;

		if (!*rest || strchr(rest, '/'))
			return API_NOT_FOUND;
		*id = rest;
		return strcmp(method, MHD_HTTP_METHOD_DELETE) ? API_BAD_METHOD : API_PORTS_DELETE;
	}
	return API_NOT_FOUND;
}

/**
 * api_send() - Queue an answer
 * @conn:	connection
 * @status:	HTTP status
 * @body:	malloc'd body, taken over; NULL for an empty body
 * @ctype:	Content-Type, or NULL for none
 *
 * Return: MHD_YES, or MHD_NO (libmicrohttpd then closes the connection)
 */
static enum MHD_Result api_send(struct MHD_Connection *conn, unsigned int status, char *body,
				const char *ctype)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (body)
		r = mhdlib.create_response_from_buffer(strlen(body), body, MHD_RESPMEM_MUST_FREE);
	else
		r = mhdlib.create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	if ((ctype &&
	     mhdlib.add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype) != MHD_YES) ||
	    (status == MHD_HTTP_NOT_FOUND &&
	     mhdlib.add_response_header(r, "X-Content-Type-Options", "nosniff") != MHD_YES)) {
		mhdlib.destroy_response(r);
		return MHD_NO;
	}
	ret = mhdlib.queue_response(conn, status, r);
	mhdlib.destroy_response(r);
	return ret;
}

/**
 * api_json() - Queue a JSON answer
 * @conn:	connection
 * @status:	HTTP status
 * @body:	malloc'd JSON, taken over; NULL (out of memory) closes the connection
 *
 * Return: MHD_YES or MHD_NO
 */
static enum MHD_Result api_json(struct MHD_Connection *conn, unsigned int status, char *body)
{
	if (!body)
		return MHD_NO;
	return api_send(conn, status, body, "application/json");
}

/**
 * api_error() - Queue an error answer {"message":...} as rootlesskit's httputil.WriteError
 * @conn:	connection
 * @status:	HTTP status
 * @msg:	message
 *
 * Go writes the status before setting Content-Type, so clients see the type its server
 * sniffs from the body: text/plain.
 *
 * Return: MHD_YES or MHD_NO
 */
static enum MHD_Result api_error(struct MHD_Connection *conn, unsigned int status, const char *msg)
{
	char *body = apijson_error_dump(msg);

	debug_limited("api: answering %u: %s", status, msg);
	if (!body)
		return MHD_NO;
	return api_send(conn, status, body, "text/plain; charset=utf-8");
}

/**
 * struct api_list - a copy of the port table, for GET /v1/ports
 * @e:		entries
 * @n:		entries filled
 * @cap:	entries allocated
 */
struct api_list {
	struct ports_entry *e;
	size_t n;
	size_t cap;
};

/**
 * api_list_cb() - Copy one port table entry (ports_foreach() callback)
 * @e:		entry
 * @data:	struct api_list
 *
 * Return: 0, or -ENOSPC if the table grew past the count taken before
 */
static int api_list_cb(const struct ports_entry *e, void *data)
{
	struct api_list *list = data;

	if (list->n == list->cap)
		return -ENOSPC;
	list->e[list->n++] = *e;
	return 0;
}

/**
 * api_status_of() - The API's view of a port table entry
 * @e:		entry
 * @st:		filled with views into @e
 *
 * Return: nothing
 */
static void api_status_of(const struct ports_entry *e, struct apijson_status *st)
{
	st->id = e->id;
	st->spec.proto = portspec_proto_str(e->spec.proto);
	st->spec.parent_ip = e->spec.parent_ip;
	st->spec.parent_port = e->spec.parent_port;
	st->spec.child_port = e->spec.child_port;
	st->spec.child_ip = e->spec.child_ip;
}

/**
 * api_ports_list() - GET /v1/ports
 * @a:		server
 * @conn:	connection
 *
 * Return: MHD_YES or MHD_NO
 */
static enum MHD_Result api_ports_list(struct api *a, struct MHD_Connection *conn)
{
	size_t n = ports_count(a->p);
	cleanup_free struct ports_entry *e = calloc(n ? n : 1, sizeof(*e));
	cleanup_free struct apijson_status *st = calloc(n ? n : 1, sizeof(*st));
	struct api_list list = {.e = e, .cap = n};
	int ret;

	if (!e || !st)
		/* cleanup_free releases it */ // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
		return MHD_NO;
	ret = ports_foreach(a->p, api_list_cb, &list);
	if (ret < 0 && ret != -ENOSPC) {
		char msg[ERROR_MSGLEN];

		snprintf(msg, sizeof(msg), "listing ports: %s", error_errstr(ret));
		/* e and st are cleanup_free, which cppcheck and clang-analyzer do not follow */
		/* cleanup_free releases it */ // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
		// cppcheck-suppress memleak
		return api_error(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, msg);
	}
	for (size_t i = 0; i < list.n; i++)
		api_status_of(&e[i], &st[i]);
	return api_json(conn, MHD_HTTP_OK, apijson_ports_dump(st, list.n));
}

/**
 * api_ports_add() - POST /v1/ports, once the body is in
 * @a:		server
 * @conn:	connection
 * @r:		the request and its body
 *
 * Return: MHD_YES or MHD_NO
 */
static enum MHD_Result api_ports_add(struct api *a, struct MHD_Connection *conn,
				     const struct api_req *r)
{
	char err[ERROR_MSGLEN + 64] = "", fmt[PORTSPEC_FMTLEN];
	struct apijson_spec fields;
	struct ports_entry e = {0};
	struct apijson_status st;
	struct error why = {0};
	json_t *root;
	int ret;

	root = gojson_load(r->body, r->len, &why);
	if (!root)
		return api_error(conn, MHD_HTTP_BAD_REQUEST, error_str(&why, err, sizeof(err)));
	ret = apijson_spec_decode(root, &fields, &why);
	if (ret) {
		json_decref(root);
		return api_error(conn, MHD_HTTP_BAD_REQUEST, error_str(&why, err, sizeof(err)));
	}
	ret = portspec_from_fields(fields.proto, fields.parent_ip, fields.parent_port,
				   fields.child_ip, fields.child_port, &e.spec, &why);
	json_decref(root);
	if (!ret)
		ret = ports_add(a->p, &e.spec, &e.id, &why);
	if (ret) {
		error_str(&why, err, sizeof(err));
		if (!*err)
			snprintf(err, sizeof(err), "%s", error_errstr(ret));
		if (e.spec.parent_port)
			info_limited("api: port %s refused: %s",
				     portspec_format(&e.spec, fmt, sizeof(fmt)), err);
		return api_error(conn, MHD_HTTP_BAD_REQUEST, err);
	}
	info_limited("api: port %u added: %s", e.id, portspec_format(&e.spec, fmt, sizeof(fmt)));
	api_status_of(&e, &st);
	return api_json(conn, MHD_HTTP_CREATED, apijson_status_dump(&st));
}

/**
 * api_ports_delete() - DELETE /v1/ports/{id}
 * @a:		server
 * @conn:	connection
 * @id_str:	the {id} element
 *
 * Return: MHD_YES or MHD_NO
 */
static enum MHD_Result api_ports_delete(struct api *a, struct MHD_Connection *conn,
					const char *id_str)
{
	char err[ERROR_MSGLEN];
	struct error why = {0};
	long long id;
	int ret;

	if (apijson_id_parse(id_str, &id, &why))
		return api_error(conn, MHD_HTTP_BAD_REQUEST, error_str(&why, err, sizeof(err)));
	ret = (id < 1 || id > UINT_MAX) ? -ENOENT : ports_remove(a->p, (unsigned int)id);
	if (ret == -ENOENT) {
		snprintf(err, sizeof(err), "unknown id: %lld", id);
		return api_error(conn, MHD_HTTP_BAD_REQUEST, err);
	}
	if (ret) {
		snprintf(err, sizeof(err), "removing port %lld: %s", id, error_errstr(ret));
		return api_error(conn, MHD_HTTP_BAD_REQUEST, err);
	}
	info_limited("api: port %lld removed", id);
	return api_send(conn, MHD_HTTP_OK, NULL, NULL);
}

/**
 * api_too_large() - Refuse a body over API_BODY_MAX
 * @conn:	connection
 *
 * Return: MHD_YES or MHD_NO
 */
static enum MHD_Result api_too_large(struct MHD_Connection *conn)
{
	static const char msg[] = "request body too large: more than 65536 bytes";

	_Static_assert(API_BODY_MAX == 65536, "message names the limit");
	return api_error(conn, MHD_HTTP_CONTENT_TOO_LARGE, msg);
}

/**
 * api_answer() - Answer a request that needs no body
 * @a:		server
 * @conn:	connection
 * @route:	route
 * @id:		{id} for API_PORTS_DELETE
 *
 * Return: MHD_YES or MHD_NO
 */
static enum MHD_Result api_answer(struct api *a, struct MHD_Connection *conn, enum api_route route,
				  const char *id)
{
	switch (route) {
	case API_NOT_FOUND:
		return api_send(conn, MHD_HTTP_NOT_FOUND, strdup("404 page not found\n"),
				"text/plain; charset=utf-8");
	case API_BAD_METHOD:
		return api_send(conn, MHD_HTTP_METHOD_NOT_ALLOWED, NULL, NULL);
	case API_INFO:
		return api_json(conn, MHD_HTTP_OK, strdup(a->info_body));
	default:
		break;
	}
	if (!a->p)
		return api_error(conn, MHD_HTTP_BAD_REQUEST, "no PortDriver is available");
	if (route == API_PORTS_LIST)
		return api_ports_list(a, conn);
	return api_ports_delete(a, conn, id);
}

/**
 * api_handle() - libmicrohttpd's access handler: called once the headers are in, then for
 *		  each piece of body, then once more at the end of the body
 * @cls:	server
 * @conn:	connection
 * @url:	decoded path
 * @method:	method
 * @version:	HTTP version
 * @upload_data: body bytes
 * @upload_data_size: in: bytes at @upload_data; out: bytes not consumed (always 0)
 * @con_cls:	per-request state (struct api_req)
 *
 * Answers are queued at the end of the body: one queued earlier makes libmicrohttpd close
 * the connection afterwards, which only a refused body should cost. A body over
 * API_BODY_MAX is refused with 413 as soon as that is known; a chunked one, whose length
 * is only known once it passed the limit, gets its connection closed instead (libmicrohttpd
 * takes no answer in the middle of a body). Bodies of routes other than POST /v1/ports are
 * counted and dropped.
 *
 * Return: MHD_YES, or MHD_NO to close the connection
 */
static enum MHD_Result api_handle(void *cls, struct MHD_Connection *conn, const char *url,
				  const char *method, const char *version, const char *upload_data,
				  size_t *upload_data_size, void **con_cls)
{
	struct api *a = cls;
	struct api_req *r = *con_cls;

	if (!r) {
		const char *id = NULL, *cl;
		enum api_route route = api_route(method, url, &id);

		debug_limited("api: %s %s", method, url);
		cl = mhdlib.lookup_connection_value(conn, MHD_HEADER_KIND,
						    MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > API_BODY_MAX)
			return api_too_large(conn);
		r = malloc(sizeof(*r) + (route == API_PORTS_ADD ? API_BODY_MAX : 0));
		if (!r)
			return MHD_NO;
		r->route = route;
		r->id = id;
		r->len = 0;
		*con_cls = r;
		return MHD_YES;
	}
	if (*upload_data_size) {
		size_t n = *upload_data_size;

		*upload_data_size = 0;
		if (n > API_BODY_MAX - r->len)
			return api_too_large(conn);
		if (r->route == API_PORTS_ADD)
			memcpy(r->body + r->len, upload_data, n);
		r->len += n;
		return MHD_YES;
	}
	if (r->route != API_PORTS_ADD)
		return api_answer(a, conn, r->route, r->id);
	if (!a->p)
		return api_error(conn, MHD_HTTP_BAD_REQUEST, "no PortDriver is available");
	return api_ports_add(a, conn, r);
}

/**
 * api_completed() - libmicrohttpd's request-completed callback: free per-request state
 * @cls:	server
 * @conn:	connection
 * @con_cls:	per-request state
 * @toe:	why the request ended
 *
 * Return: nothing
 */
static void api_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
			  enum MHD_RequestTerminationCode toe)
{
	struct api *a = cls;

	free(*con_cls);
	*con_cls = NULL;
	apiconn_request_done(a->ac, conn);
}

/**
 * api_mhd_log() - libmicrohttpd's messages, at debug level (they concern one client)
 * @cls:	server
 * @fmt:	format
 * @ap:		arguments
 *
 * Return: nothing
 */
static void api_mhd_log(void *cls, const char *fmt, va_list ap)
{
	char msg[512];
	size_t n;

	if (!log_debug_enabled())
		return;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	debug_limited("api: libmicrohttpd: %s", msg);
}

/**
 * api_rearm() - Arm the timer for libmicrohttpd's next deadline
 * @a:		server
 *
 * Return: nothing
 */
static void api_rearm(struct api *a)
{
	MHD_UNSIGNED_LONG_LONG ms;

	if (a->d && mhdlib.get_timeout(a->d, &ms) == MHD_YES)
		loop_timer_arm(a->l, &a->timer, loop_now_ns() + (uint64_t)ms * 1000000ULL);
	else
		loop_timer_disarm(a->l, &a->timer);
}

/**
 * api_run() - Let libmicrohttpd do what is ready, then re-arm its timer
 * @a:		server
 *
 * Return: nothing
 */
static void api_run(struct api *a)
{
	if (a->d && mhdlib.run(a->d) != MHD_YES)
		debug_limited("api: MHD_run failed");
	api_rearm(a);
}

/**
 * api_run_cb() - apiconn.c added or closed clients: let libmicrohttpd act on it
 * @data:	server
 *
 * Return: nothing
 */
static void api_run_cb(void *data)
{
	api_run(data);
}

/**
 * api_fd_cb() - libmicrohttpd's epoll fd is readable
 * @l:		loop
 * @lfd:	registration
 * @events:	events
 *
 * Return: nothing
 */
static void api_fd_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	api_run(lfd->data);
}

/**
 * api_timer_cb() - libmicrohttpd's deadline passed
 * @l:		loop
 * @t:		timer
 *
 * Return: nothing
 */
static void api_timer_cb(struct loop *l, struct loop_timer *t)
{
	api_run(t->data);
}

/**
 * api_daemon_end() - Stop the daemon if it runs, whatever it holds (its clients are closed)
 * @a:		server
 *
 * Return: nothing
 */
static void api_daemon_end(struct api *a)
{
	if (a->lfd.fd >= 0)
		loop_del(a->l, &a->lfd);
	a->lfd.fd = -1;
	loop_timer_disarm(a->l, &a->timer);
	/* closes every client; apiconn forgets each as it goes */
	if (a->d)
		mhdlib.stop_daemon(a->d);
	a->d = NULL;
}

/**
 * api_daemon_start() - Load libmicrohttpd and start the daemon: the first client is here
 * @data:	server
 *
 * Return: the daemon, or NULL (said; the client is closed, the next one tries again)
 */
static struct MHD_Daemon *api_daemon_start(void *data)
{
	const union MHD_DaemonInfo *di;
	struct api *a = data;
	const char *why;
	int ret;

	if (mhdlib_load(&why)) {
		err_limited("api: cannot load libmicrohttpd (%s): clients are closed; install it "
			    "(Debian/Ubuntu: apt-get install libmicrohttpd12)",
			    why);
		return NULL;
	}
	/* its limit is above apiconn's, which evicts first: it never refuses a client */
	a->d = mhdlib.start_daemon(MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_USE_NO_LISTEN_SOCKET, 0,
				   NULL, NULL, api_handle, a, MHD_OPTION_EXTERNAL_LOGGER,
				   api_mhd_log, a, MHD_OPTION_CONNECTION_TIMEOUT,
				   (unsigned int)APICONN_IDLE_S, MHD_OPTION_CONNECTION_LIMIT,
				   (unsigned int)(2 * APICONN_MAX),
				   MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)API_CONN_MEMORY,
				   MHD_OPTION_NOTIFY_COMPLETED, api_completed, a,
				   MHD_OPTION_NOTIFY_CONNECTION, apiconn_notify, a->ac,
				   MHD_OPTION_URI_LOG_CALLBACK, apiconn_uri, a->ac, MHD_OPTION_END);
	if (!a->d) {
		err_limited("api: libmicrohttpd could not start on %s: clients are closed",
			    a->sock_path);
		return NULL;
	}
	di = mhdlib.get_daemon_info(a->d, MHD_DAEMON_INFO_EPOLL_FD);
	if (!di || di->epoll_fd < 0) {
		err_limited("api: libmicrohttpd has no epoll fd (no epoll?): clients are closed");
		goto fail;
	}
	a->lfd.fd = di->epoll_fd;
	ret = loop_add(a->l, &a->lfd, EPOLLIN);
	if (ret) {
		err_errno_limited(ret, "api: cannot watch libmicrohttpd's epoll fd: clients are "
				       "closed");
		a->lfd.fd = -1;
		goto fail;
	}
	api_rearm(a);
	debug("api: libmicrohttpd serves %s", a->sock_path);
	return a->d;

fail:
	api_daemon_end(a);
	return NULL;
}

/**
 * api_daemon_stop() - Stop the daemon if it holds no connection (apiconn.c unloads it next)
 * @data:	server
 *
 * Return: true if it was stopped (or was not running), false if it still has a connection
 */
static bool api_daemon_stop(void *data)
{
	struct api *a = data;
	const union MHD_DaemonInfo *di;

	if (!a->d)
		return true;
	di = mhdlib.get_daemon_info(a->d, MHD_DAEMON_INFO_CURRENT_CONNECTIONS);
	if (di && di->num_connections)
		return false;
	api_daemon_end(a);
	return true;
}

static const struct apiconn_ops api_conn_ops = {
	.run = api_run_cb,
	.start = api_daemon_start,
	.stop = api_daemon_stop,
};

/**
 * api_start() - Listen on $STATE_DIR/api.sock and serve the API from the event loop
 * @c:		configuration
 * @l:		event loop
 * @p:		port table, NULL without a port driver
 * @child_pid:	reported as childPID
 * @out:	server state, for api_free()
 * @e:		what failed, may be NULL
 *
 * Return: 0 or -errno
 */
int api_start(const struct conf *c, struct loop *l, struct ports *p, pid_t child_pid,
	      struct api **out, struct error *e)
{
	cleanup_close int fd = -1;
	struct api *a;
	int ret;

	a = calloc(1, sizeof(*a));
	if (!a)
		return error_errno(e, -ENOMEM, "server state");
	a->l = l;
	a->p = p;
	a->lfd.fd = -1;
	a->lfd.cb = api_fd_cb;
	a->lfd.data = a;
	a->timer.cb = api_timer_cb;
	a->timer.data = a;
	ret = apiconn_new(l, &api_conn_ops, a, &a->ac);
	if (ret) {
		error_errno(e, ret, "connection table");
		goto fail;
	}
	if (asprintf(&a->sock_path, "%s/api.sock", c->state_dir) < 0) {
		a->sock_path = NULL;
		ret = error_errno(e, -ENOMEM, "server state");
		goto fail;
	}
	ret = apiinfo_body(c, p, child_pid, &a->info_body);
	if (ret) {
		error_errno(e, ret, "cannot describe the network for /v1/info");
		goto fail;
	}
	ret = apiconn_listen(a->sock_path, &fd);
	if (ret) {
		error_errno(e, ret, "cannot listen on %s", a->sock_path);
		goto fail;
	}
	a->listening = true;
	ret = apiconn_attach(a->ac, steal_fd(&fd));
	if (ret) {
		error_errno(e, ret, "cannot watch %s", a->sock_path);
		goto fail;
	}
	debug("api: listening on %s", a->sock_path);
	*out = a;
	return 0;

fail:
	api_free(a);
	return ret;
}

/**
 * api_free() - Stop serving, close every connection and remove the socket
 * @a:		server state, may be NULL
 *
 * Return: nothing
 */
void api_free(struct api *a)
{
	if (!a)
		return;
	api_daemon_end(a);
	if (a->listening)
		unlink(a->sock_path);
	apiconn_free(a->ac);
	free(a->sock_path);
	free(a->info_body);
	free(a);
}

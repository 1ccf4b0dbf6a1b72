/* fuzz_http.c - fuzz harness: raw HTTP requests to the REST API server on api.sock */
/**
 * DOC: Theory of operation
 *
 * The input is the bytes a client writes to api.sock: one request or several (keep-alive,
 * pipelined). The harness goes through the server's public interface only: api_start() on
 * a state directory of its own, driven by loop_run_once(), and a unix socket connected to
 * $STATE_DIR/api.sock. It writes the input, shuts its writing side down, and runs the loop in
 * bounded rounds, reading the answers, until the server closed the connection or answered
 * nothing for a few rounds (a cut request, whose rest it waits for); then it closes its own
 * end and lets the server clean up. The servers live for the whole process
 * (libFuzzer's persistent mode), so whatever a request leaves behind shows up as a leak or
 * as the next request's trouble.
 *
 * Each input goes to two servers: one with a port table and --net=none (the table keeps ports
 * as ports.c does -- the conflict rule, then portmap_resolve() for the builtin driver -- but
 * binds nothing: the real drivers need namespaces, and a fuzzer must not bind the host's
 * ports), emptied after every input; and one without a port driver and --net=slirp4netns
 * --ipv6, whose /v1/info carries the network's addresses.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "api.h"
#include "cli.h"
#include "conf.h"
#include "error.h"
#include "fuzz.h"
#include "loop.h"
#include "portmap.h"
#include "ports.h"
#include "topo.h"
#include "util.h"

/* Ports the test table holds at most (an input of max_len bytes publishes far fewer) */
#define HTTP_MAX_PORTS 256
/* Loop rounds given to one input, and rounds without an answer byte before giving up */
#define HTTP_MAX_ROUNDS	 64
#define HTTP_IDLE_ROUNDS 8
/* Rounds after the client closed, for the server to drop the connection */
#define HTTP_CLEANUP_ROUNDS 4

/**
 * struct ports - the test port table (ports.h's interface, nothing bound)
 * @caps:	driver capabilities (builtin)
 * @e:		entries, in ID order
 * @n:		entries used
 * @next_id:	next ID to give
 */
struct ports {
	struct portmap_caps caps;
	struct ports_entry e[HTTP_MAX_PORTS];
	size_t n;
	unsigned int next_id;
};

/**
 * struct http_server - one API server of the harness
 * @c:		its configuration
 * @dir:	its state directory
 * @api:	the server
 */
struct http_server {
	struct conf c;
	char dir[64];
	struct api *api;
};

static struct ports http_table;
static struct loop *http_loop;
static struct http_server http_servers[2];

/**
 * ports_add() - Record a port after the checks the real table makes, in its order
 * @p:		table, NULL for no driver
 * @spec:	request
 * @id:		its ID
 * @e:		what failed
 *
 * Return: 0, -ENODEV, -EEXIST, -EINVAL, -EAFNOSUPPORT or -ENOSPC
 */
int ports_add(struct ports *p, const struct portspec *spec, unsigned int *id, struct error *e)
{
	struct portmap_plan plan;
	int ret;

	if (!p)
		return error_plain(e, ENODEV, "no PortDriver is available");
	for (size_t i = 0; i < p->n; i++) {
		struct error why = {0};

		if (!portmap_conflict(&p->e[i].spec, spec, &p->caps, &why))
			continue;
		if (!why.errnum)
			return error_plain(e, EEXIST, "conflict with ID %u", p->e[i].id);
		error_wrap(&why, "conflict with ID %u", p->e[i].id);
		if (e)
			*e = why;
		return -EEXIST;
	}
	ret = portmap_resolve(spec, &p->caps, &plan, e);
	if (ret)
		return ret;
	if (p->n == HTTP_MAX_PORTS)
		return error_plain(e, ENOSPC, "too many ports");
	p->e[p->n].id = p->next_id++;
	p->e[p->n].spec = *spec;
	*id = p->e[p->n++].id;
	return 0;
}

/**
 * ports_remove() - Forget a port
 * @p:		table
 * @id:		ID
 *
 * Return: 0, -ENODEV or -ENOENT
 */
int ports_remove(struct ports *p, unsigned int id)
{
	if (!p)
		return -ENODEV;
	for (size_t i = 0; i < p->n; i++) {
		if (p->e[i].id != id)
			continue;
		memmove(&p->e[i], &p->e[i + 1], (p->n - i - 1) * sizeof(p->e[0]));
		p->n--;
		return 0;
	}
	return -ENOENT;
}

/**
 * ports_foreach() - Call @cb for each port in ID order
 * @p:		table
 * @cb:		callback; a negative return stops the walk
 * @data:	its argument
 *
 * Return: 0, the callback's negative value, or -ENODEV
 */
int ports_foreach(struct ports *p, ports_iter_cb cb, void *data)
{
	if (!p)
		return -ENODEV;
	for (size_t i = 0; i < p->n; i++) {
		int ret = cb(&p->e[i], data);

		if (ret < 0)
			return ret;
	}
	return 0;
}

/**
 * ports_count() - Number of ports
 * @p:		table, may be NULL
 *
 * Return: the count
 */
size_t ports_count(const struct ports *p)
{
	return p ? p->n : 0;
}

/**
 * ports_driver_name() - The driver's name
 * @p:		table
 *
 * Return: the name
 */
const char *ports_driver_name(const struct ports *p)
{
	return p->caps.driver;
}

/**
 * ports_caps() - The driver's capabilities
 * @p:		table
 *
 * Return: the capabilities
 */
const struct portmap_caps *ports_caps(const struct ports *p)
{
	return &p->caps;
}

/**
 * http_stop() - Stop the servers and remove their state directories (at exit)
 *
 * Return: nothing
 */
static void http_stop(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(http_servers); i++) {
		api_free(http_servers[i].api);
		http_servers[i].api = NULL;
		rmdir(http_servers[i].dir);
		conf_derived_free(&http_servers[i].c);
	}
	loop_free(http_loop);
	http_loop = NULL;
}

/**
 * http_start() - Start one server on a new state directory
 * @s:		server; @s->c set but for the state directory
 * @p:		port table, or NULL
 *
 * Return: nothing; aborts if the server cannot start (nothing could be fuzzed)
 */
static void http_start(struct http_server *s, struct ports *p)
{
	struct cli_result res;
	struct error e = {0};
	int ret;

	snprintf(s->dir, sizeof(s->dir), "/tmp/rootlessnet-fuzz-http.XXXXXX");
	if (!mkdtemp(s->dir)) {
		err_errno(errno, "fuzz_http: mkdtemp");
		abort();
	}
	s->c.state_dir = s->dir;
	if (conf_derive(&s->c, &res))
		abort();
	ret = api_start(&s->c, http_loop, p, getpid(), &s->api, &e);
	if (ret) {
		err_report(&e);
		rmdir(s->dir);
		abort();
	}
}

/**
 * LLVMFuzzerInitialize() - Start the servers, once per process
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_LVL_DEBUG);
	/* a client that went away must not kill the server */
	signal(SIGPIPE, SIG_IGN);
	if (loop_new(&http_loop))
		abort();
	portmap_caps_builtin(&http_table.caps);
	http_table.next_id = 1;
	http_servers[0].c.net = CONF_NET_NONE;
	http_start(&http_servers[0], &http_table);
	http_servers[1].c.net = CONF_NET_SLIRP4NETNS;
	http_servers[1].c.ipv6 = true;
	http_start(&http_servers[1], NULL);
	atexit(http_stop);
	return 0;
}

/**
 * http_connect() - Connect a non-blocking client to a server's api.sock
 * @s:		server
 *
 * Return: the socket; aborts if it cannot connect (the server is gone)
 */
static int http_connect(const struct http_server *s)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/api.sock", s->dir);
	/* the listen backlog takes the connection at once; accepting it is the server's part */
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		err_errno(errno, "fuzz_http: connecting to %s", sa.sun_path);
		abort();
	}
	return fd;
}

/**
 * http_exchange() - Send one input to a server and read what it answers
 * @s:		server
 * @data:	the bytes to write
 * @size:	their length
 *
 * Return: nothing
 */
static void http_exchange(const struct http_server *s, const uint8_t *data, size_t size)
{
	cleanup_close int fd = http_connect(s);
	bool closed = false, shut = false;
	size_t sent = 0, got = 0;
	char buf[16384];
	int round, idle = 0;

	for (round = 0; round < HTTP_MAX_ROUNDS && !closed && idle < HTTP_IDLE_ROUNDS; round++) {
		size_t before = got;
		ssize_t n;

		/* what the socket takes now; the rest once the server read some (or closed) */
		while (sent < size && (n = send(fd, data + sent, size - sent, MSG_NOSIGNAL)) > 0)
			sent += (size_t)n;
		if (sent == size && !shut)
			shut = !shutdown(fd, SHUT_WR);
		/* the server does all it can at once: no round needs to wait */
		loop_run_once(http_loop, 0);
		while ((n = recv(fd, buf, sizeof(buf), 0)) > 0)
			got += (size_t)n;
		/* the server closed (0) or reset (ECONNRESET) the connection */
		closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR);
		/* an incomplete request: the server waits for more, which will not come */
		idle = (got == before && sent == size) ? idle + 1 : 0;
	}
	debug("fuzz_http: %zu of %zu bytes sent, %zu received, %s after %d rounds", sent, size, got,
	      closed ? "closed" : "still open", round);
	close(steal_fd(&fd));
	for (round = 0; round < HTTP_CLEANUP_ROUNDS; round++)
		loop_run_once(http_loop, 0);
}

/**
 * LLVMFuzzerTestOneInput() - Raw HTTP bytes, to each server
 * @data:	input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(http_servers); i++)
		http_exchange(&http_servers[i], data, size);
	/* the next input starts from an empty table, as a fresh server would */
	http_table.n = 0;
	http_table.next_id = 1;
	return 0;
}

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
 * Each input goes to two servers: one with a port table and --net=none (tests/lib/fakeports.c:
 * it keeps ports as ports.c does for the builtin driver but binds nothing, since the real
 * drivers need namespaces and a fuzzer must not bind the host's ports), emptied after every
 * input; and one without a port driver and --net=slirp4netns
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
#include "fakeports.h"
#include "fuzz.h"
#include "loop.h"
#include "portmap.h"
#include "ports.h"
#include "topo.h"
#include "util.h"

/* Loop rounds given to one input, and rounds without an answer byte before giving up */
#define HTTP_MAX_ROUNDS	 64
#define HTTP_IDLE_ROUNDS 8
/* Rounds after the client closed, for the server to drop the connection */
#define HTTP_CLEANUP_ROUNDS 4

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
	fakeports_reset(&http_table);
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
	fakeports_reset(&http_table);
	return 0;
}

/* fuzz_ctl.c - fuzz harness: the API client (rootlessnetctl, docker proxy) reading answers */
/**
 * DOC: Theory of operation
 *
 * The input is what a server writes back on api.sock: status line, headers, body, as many
 * bytes as it likes, for each of the client's four requests in turn (info, list-ports,
 * add-ports, remove-ports: what rootlessnet-docker-proxy and a rootlessnetctl session ask).
 * The answers are separated by NUL bytes; when there are fewer than four, the last one answers
 * the remaining requests too. A thread of the harness plays the server on a unix socket of its
 * own: it accepts a connection, reads one request, writes the current answer, and closes.
 * The client is the real one (ctl.h, libcurl over the socket), opened once for the process
 * as rootlessnetctl opens it once for all its requests. What the client decodes is printed
 * the way rootlessnetctl prints it, so the whole path from the socket to the terminal is
 * covered: libcurl's parsing, ctl.c's handling of status codes and error bodies, apijson.c's
 * decoders and ctlfmt.c.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "apijson.h"
#include "ctl.h"
#include "ctlfmt.h"
#include "error.h"
#include "fuzz.h"
#include "util.h"

/* Bound on reading one request from the client (it sends it at once) */
#define CTL_FUZZ_READ_MS 1000

/**
 * struct ctl_fuzz - the fake server and the client
 * @dir:	directory of the socket
 * @path:	the socket
 * @lfd:	listening socket
 * @thread:	the server thread
 * @lock:	guards @answer and @len
 * @answer:	the bytes to answer with (the current input)
 * @len:	their length
 * @c:		the client
 * @out:	sink of the printed output
 */
struct ctl_fuzz {
	char dir[64];
	char path[96];
	int lfd;
	pthread_t thread;
	pthread_mutex_t lock;
	const uint8_t *answer;
	size_t len;
	struct ctl *c;
	FILE *out;
};

static struct ctl_fuzz ctl_fuzz = {.lfd = -1, .lock = PTHREAD_MUTEX_INITIALIZER};

/**
 * ctl_fuzz_read_request() - Read one request: headers, then Content-Length bytes of body
 * @fd:		connection
 *
 * Return: nothing; stops early when the client goes quiet or away
 */
static void ctl_fuzz_read_request(int fd)
{
	char buf[8192];
	size_t len = 0, want = 0;
	char *end = NULL;

	while (len < sizeof(buf) - 1) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (end && len >= want)
			return;
		if (poll(&pfd, 1, CTL_FUZZ_READ_MS) <= 0)
			return;
		n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (n <= 0)
			return;
		len += (size_t)n;
		buf[len] = '\0';
		if (!end && (end = strstr(buf, "\r\n\r\n"))) {
			const char *cl = strcasestr(buf, "\r\nContent-Length:");

			want = (size_t)(end + 4 - buf);
			if (cl && cl < end)
				want += strtoul(cl + 17, NULL, 10);
		}
	}
}

/**
 * ctl_fuzz_serve() - The server thread: answer every connection with the current input
 * @arg:	unused
 *
 * Return: NULL, once the listening socket is shut down
 */
static void *ctl_fuzz_serve(void *arg)
{
	for (;;) {
		cleanup_close int fd = accept4(ctl_fuzz.lfd, NULL, NULL, SOCK_CLOEXEC);
		size_t sent = 0;

		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED)
				continue;
			return NULL;
		}
		ctl_fuzz_read_request(fd);
		pthread_mutex_lock(&ctl_fuzz.lock);
		while (sent < ctl_fuzz.len) {
			ssize_t n =
				send(fd, ctl_fuzz.answer + sent, ctl_fuzz.len - sent, MSG_NOSIGNAL);

			if (n <= 0)
				break;
			sent += (size_t)n;
		}
		pthread_mutex_unlock(&ctl_fuzz.lock);
		shutdown(fd, SHUT_WR);
	}
}

/**
 * ctl_fuzz_stop() - Stop the server thread, close the client, remove the socket (at exit)
 *
 * Return: nothing
 */
static void ctl_fuzz_stop(void)
{
	ctl_close(ctl_fuzz.c);
	ctl_fuzz.c = NULL;
	/* wakes the thread's accept() with an error */
	shutdown(ctl_fuzz.lfd, SHUT_RDWR);
	pthread_join(ctl_fuzz.thread, NULL);
	close(ctl_fuzz.lfd);
	unlink(ctl_fuzz.path);
	rmdir(ctl_fuzz.dir);
	fclose(ctl_fuzz.out);
}

/**
 * LLVMFuzzerInitialize() - Start the fake server and open the client, once per process
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	char err[ERROR_MSGLEN + 64];
	struct error e = {0};

	log_set_level(LOG_LVL_DEBUG);
	ctl_fuzz.out = fopen("/dev/null", "we");
	snprintf(ctl_fuzz.dir, sizeof(ctl_fuzz.dir), "/tmp/rootlessnet-fuzz-ctl.XXXXXX");
	if (!ctl_fuzz.out || !mkdtemp(ctl_fuzz.dir))
		abort();
	snprintf(ctl_fuzz.path, sizeof(ctl_fuzz.path), "%s/api.sock", ctl_fuzz.dir);
	memcpy(sa.sun_path, ctl_fuzz.path, sizeof(ctl_fuzz.path));
	ctl_fuzz.lfd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ctl_fuzz.lfd < 0 || bind(ctl_fuzz.lfd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    listen(ctl_fuzz.lfd, 16) < 0) {
		err_errno(errno, "fuzz_ctl: cannot listen on %s", ctl_fuzz.path);
		abort();
	}
	if (pthread_create(&ctl_fuzz.thread, NULL, ctl_fuzz_serve, NULL))
		abort();
	if (ctl_open(ctl_fuzz.path, &ctl_fuzz.c, &e)) {
		err("fuzz_ctl: %s", error_str(&e, err, sizeof(err)));
		abort();
	}
	atexit(ctl_fuzz_stop);
	return 0;
}

/**
 * ctl_fuzz_check_err() - Check the message of a failed request
 * @ret:	the request's return value
 * @err:	its message
 * @what:	the request, for the message
 *
 * Return: nothing; aborts on a broken promise
 */
static void ctl_fuzz_check_err(int ret, const char *err, const char *what)
{
	if (!ret)
		return;
	fuzz_assert(ret < 0, "%s: %d", what, ret);
	/* an error answer whose JSON has no "message" reads as "", as in rootlesskit's client */
	fuzz_assert(*err || ret == -EPROTO, "%s failed without a message", what);
}

/**
 * ctl_fuzz_answer() - Make a part of the input the current answer
 * @data:	input
 * @size:	its length
 * @k:		which NUL-separated part, from 0; the last part if there are fewer
 *
 * Return: nothing
 */
static void ctl_fuzz_answer(const uint8_t *data, size_t size, int k)
{
	size_t start = 0, len = size;

	for (int i = 0;; i++) {
		const uint8_t *nul = memchr(data + start, '\0', size - start);

		len = nul ? (size_t)(nul - (data + start)) : size - start;
		if (i == k || !nul)
			break;
		start += len + 1;
	}
	pthread_mutex_lock(&ctl_fuzz.lock);
	ctl_fuzz.answer = data + start;
	ctl_fuzz.len = len;
	pthread_mutex_unlock(&ctl_fuzz.lock);
}

/**
 * LLVMFuzzerTestOneInput() - A server's answers to the client's requests, NUL-separated
 * @data:	input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct apijson_spec spec = {
		.proto = "tcp",
		.parent_ip = "0.0.0.0",
		.parent_port = 8080,
		.child_port = 80,
	};
	struct apijson_status *list = NULL, st;
	char err[ERROR_MSGLEN + 64];
	struct error e = {0};
	struct apijson_info info;
	json_t *root = NULL;
	size_t n = 0;
	int ret;

	ctl_fuzz_answer(data, size, 0);
	e = (struct error){0};
	ret = ctl_info(ctl_fuzz.c, &root, &info, &e);
	error_str(&e, err, sizeof(err));
	ctl_fuzz_check_err(ret, err, "info");
	if (!ret)
		ctlfmt_info_text(ctl_fuzz.out, &info);
	json_decref(root);
	root = NULL;

	ctl_fuzz_answer(data, size, 1);
	e = (struct error){0};
	ret = ctl_list_ports(ctl_fuzz.c, &root, &list, &n, &e);
	error_str(&e, err, sizeof(err));
	ctl_fuzz_check_err(ret, err, "list-ports");
	if (!ret)
		ctlfmt_ports_table(ctl_fuzz.out, list, n);
	free(list);
	json_decref(root);
	root = NULL;

	ctl_fuzz_answer(data, size, 2);
	e = (struct error){0};
	ret = ctl_add_port(ctl_fuzz.c, &spec, &root, &st, &e);
	error_str(&e, err, sizeof(err));
	ctl_fuzz_check_err(ret, err, "add-ports");
	if (!ret)
		ctlfmt_ports_table(ctl_fuzz.out, &st, 1);
	json_decref(root);

	ctl_fuzz_answer(data, size, 3);
	e = (struct error){0};
	ret = ctl_remove_port(ctl_fuzz.c, 1, &e);
	error_str(&e, err, sizeof(err));
	ctl_fuzz_check_err(ret, err, "remove-ports");

	pthread_mutex_lock(&ctl_fuzz.lock);
	ctl_fuzz.answer = NULL;
	ctl_fuzz.len = 0;
	pthread_mutex_unlock(&ctl_fuzz.lock);
	return 0;
}

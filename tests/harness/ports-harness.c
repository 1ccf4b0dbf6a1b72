/* ports-harness.c - drives the port table and builtin driver against a namespace, for tests */
/*
 * Usage: ports-harness CHILD_PID [-p SPEC]...
 *
 * Starts the builtin port driver for the namespaces of CHILD_PID, publishes the -p specs
 * (exit 1 with the driver's message if one fails, as start-up would), prints "ready" and
 * runs the event loop, reading commands from stdin, one per line, answering each with one
 * line:
 *   add SPEC		-> "ok ID" | "err MESSAGE"	(SPEC in -p syntax)
 *   remove ID		-> "ok" | "err MESSAGE"
 *   cycle N SPEC	-> "ok" | "err MESSAGE"		(N times add then remove)
 *   list		-> "ok ,ID,ID..."
 *   quit		-> stops, removing every port
 * End of input stops it too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cli.h"
#include "conf.h"
#include "error.h"
#include "helper.h"
#include "log.h"
#include "loop.h"
#include "portmap.h"
#include "ports.h"
#include "util.h"

/**
 * struct harness - state
 * @l:		loop
 * @p:		port driver
 * @in:		stdin registration
 * @buf:	partial input line
 * @len:	bytes in @buf
 */
struct harness {
	struct loop *l;
	struct ports *p;
	struct loop_fd in;
	char buf[4096];
	size_t len;
};

/**
 * harness_list_cb() - Append one ID to the list answer
 * @e:		entry
 * @data:	FILE * being written
 *
 * Return: 0
 */
static int harness_list_cb(const struct ports_entry *e, void *data)
{
	fprintf(data, ",%u", e->id);
	return 0;
}

/**
 * harness_add() - Publish a port given in -p syntax
 * @h:		state
 * @s:		spec
 * @id:		its ID
 * @msg:	error message
 * @len:	size of @msg
 *
 * Return: 0 or -errno
 */
static int harness_add(struct harness *h, const char *s, unsigned int *id, char *msg, size_t len)
{
	struct error e = {0};
	struct portspec spec;
	int ret = portspec_parse_publish(s, &spec, &e);

	if (!ret)
		ret = ports_add(h->p, &spec, id, &e);
	if (ret)
		error_str(&e, msg, len);
	return ret;
}

/**
 * harness_line() - Run one command
 * @h:		state
 * @line:	the command, NUL-terminated
 *
 * Return: nothing (the answer is printed)
 */
static void harness_line(struct harness *h, char *line)
{
	char msg[ERROR_MSGLEN];
	unsigned int id;
	int ret;

	if (!strncmp(line, "add ", 4)) {
		ret = harness_add(h, line + 4, &id, msg, sizeof(msg));
		if (ret)
			printf("err %s\n", msg);
		else
			printf("ok %u\n", id);
	} else if (!strncmp(line, "remove ", 7)) {
		ret = ports_remove(h->p, (unsigned int)strtoul(line + 7, NULL, 10));
		if (ret)
			printf("err %s\n", strerror(-ret));
		else
			printf("ok\n");
	} else if (!strncmp(line, "cycle ", 6)) {
		char *end;
		long n = strtol(line + 6, &end, 10);

		ret = 0;
		for (long i = 0; i < n && !ret; i++) {
			ret = harness_add(h, end + 1, &id, msg, sizeof(msg));
			if (!ret)
				ret = ports_remove(h->p, id);
			if (ret)
				snprintf(msg, sizeof(msg), "cycle %ld: %s", i, strerror(-ret));
		}
		if (ret)
			printf("err %s\n", msg);
		else
			printf("ok\n");
	} else if (!strcmp(line, "quit")) {
		loop_quit(h->l, 0);
		return;
	} else if (!strcmp(line, "list")) {
		printf("ok ");
		ports_foreach(h->p, harness_list_cb, stdout);
		printf("\n");
	} else {
		printf("err unknown command\n");
	}
	fflush(stdout);
}

/**
 * harness_in_cb() - Read commands from stdin
 * @l:		loop
 * @lfd:	stdin
 * @events:	epoll events
 *
 * Return: nothing
 */
static void harness_in_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct harness *h = lfd->data;
	ssize_t n = read(lfd->fd, h->buf + h->len, sizeof(h->buf) - 1 - h->len);
	char *nl;

	if (n < 0 && errno == EAGAIN)
		return;
	if (n <= 0) {
		if (n < 0)
			err("reading commands: %s", strerror(errno));
		loop_del(l, lfd);
		loop_quit(l, 0);
		return;
	}
	h->len += (size_t)n;
	h->buf[h->len] = '\0';
	while ((nl = strchr(h->buf, '\n'))) {
		*nl = '\0';
		harness_line(h, h->buf);
		h->len -= (size_t)(nl + 1 - h->buf);
		memmove(h->buf, nl + 1, h->len + 1);
	}
	if (h->len == sizeof(h->buf) - 1)
		h->len = 0;
}

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	CHILD_PID [-p SPEC]...
 *
 * Return: exit status
 */
int main(int argc, char **argv)
{
	struct conf c = {0};
	struct cli_result res;
	struct error e = {0};
	struct harness h = {0};
	struct helper_ns ns = {0};
	struct rlimit nofile;
	char *publish[64];
	int ret;

	if (argc < 2)
		die("usage: %s CHILD_PID [-p SPEC]...", argv[0]);
	if (getenv("RN_HARNESS_DEBUG"))
		log_set_level(LOG_LVL_DEBUG);
	log_set_role("harness");
	c.port_driver = CONF_PORT_BUILTIN;
	c.publish = publish;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "-p") || i + 1 == argc || c.n_publish == 64)
			die("bad argument %s", argv[i]);
		publish[c.n_publish++] = argv[++i];
	}
	if (conf_derive(&c, &res))
		die_report(&res.err);
	util_raise_nofile(&nofile);
	if (loop_new(&h.l) < 0)
		die("loop_new");
	ns.pid = (pid_t)atoi(argv[1]);
	ret = ports_start(&c, h.l, NULL, &ns, &h.p, &e);
	if (!ret)
		ret = ports_publish_conf(h.p, &c, &e);
	if (ret) {
		err_report(&e);
		return 1;
	}
	fcntl(0, F_SETFL, fcntl(0, F_GETFL) | O_NONBLOCK);
	h.in = (struct loop_fd){.fd = 0, .cb = harness_in_cb, .data = &h};
	if (loop_add(h.l, &h.in, EPOLLIN) < 0)
		die("stdin cannot be polled (give a pipe or fifo)");
	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	ret = loop_run(h.l);
	ports_free(h.p);
	loop_free(h.l);
	conf_derived_free(&c);
	return ret ? 1 : 0;
}

/* api-harness.c - runs the API server alone, on a test port table that binds nothing */
/**
 * DOC: Theory of operation
 *
 * api-server.sh drives the HTTP layer (routes, status codes, bodies, limits, keep-alive,
 * slow and hostile clients) without namespaces: this program starts api_start() on
 * STATE_DIR/api.sock with a configuration for the chosen network, and either no port driver
 * or the test port table of tests/lib/fakeports.c, which keeps ports as the real one does
 * but binds nothing, so that the server's answers can be checked independently of the port
 * drivers. SIGTERM or SIGINT stops it; api_free() must then
 * remove the socket.
 *
 * Usage: api-harness STATE_DIR host|none|slirp4netns|slirp4netns-ipv6 none|builtin|slirp4netns
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "api.h"
#include "cli.h"
#include "conf.h"
#include "error.h"
#include "fakeports.h"
#include "log.h"
#include "loop.h"
#include "portmap.h"
#include "ports.h"
#include "topo.h"

/**
 * harness_signal() - SIGTERM/SIGINT arrived: stop the loop
 * @l:		loop
 * @lfd:	the signalfd
 * @events:	events
 *
 * Return: nothing
 */
static void harness_signal(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct signalfd_siginfo si;

	if (read(lfd->fd, &si, sizeof(si)) == sizeof(si))
		loop_quit(l, 0);
}

/**
 * main() - Serve the API until SIGTERM
 * @argc:	argument count
 * @argv:	STATE_DIR NET PORT_DRIVER
 *
 * Return: 0 after a clean stop
 */
int main(int argc, char **argv)
{
	static struct ports table;
	struct conf c = {0};
	struct cli_result res;
	struct error e = {0};
	struct loop_fd sfd = {.cb = harness_signal};
	struct ports *p = NULL;
	struct loop *l;
	struct api *a;
	struct topo t;
	sigset_t mask;
	int ret;

	if (argc != 4)
		die("usage: %s STATE_DIR host|none|slirp4netns|slirp4netns-ipv6 "
		    "none|builtin|slirp4netns",
		    argv[0]);
	log_set_role("api-harness");
	if (getenv("HARNESS_DEBUG"))
		log_set_level(LOG_LVL_DEBUG);
	signal(SIGPIPE, SIG_IGN);
	c.state_dir = argv[1];
	if (!strcmp(argv[2], "host"))
		c.net = CONF_NET_HOST;
	else if (!strcmp(argv[2], "none"))
		c.net = CONF_NET_NONE;
	else if (!strcmp(argv[2], "slirp4netns"))
		c.net = CONF_NET_SLIRP4NETNS;
	else if (!strcmp(argv[2], "slirp4netns-ipv6"))
		c.net = CONF_NET_SLIRP4NETNS, c.ipv6 = true;
	else
		die("unknown network %s", argv[2]);
	if (conf_derive(&c, &res))
		die_report(&res.err);
	t = c.topo;
	if (!strcmp(argv[3], "builtin")) {
		portmap_caps_builtin(&table.caps);
		p = &table;
	} else if (!strcmp(argv[3], "slirp4netns")) {
		portmap_caps_slirp(&table.caps, &t, c.ipv6);
		p = &table;
	} else if (strcmp(argv[3], "none")) {
		die("unknown port driver %s", argv[3]);
	}
	fakeports_reset(&table);

	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, NULL);
	sfd.fd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd.fd < 0)
		die_errno(errno, "signalfd");
	if (loop_new(&l))
		die("loop_new");
	if (loop_add(l, &sfd, EPOLLIN))
		die("loop_add");
	ret = api_start(&c, l, p, getpid(), &a, &e);
	if (ret)
		die_report(&e);
	ret = loop_run(l);
	api_free(a);
	loop_del(l, &sfd);
	close(sfd.fd);
	loop_free(l);
	conf_derived_free(&c);
	return ret;
}

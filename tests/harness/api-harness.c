/* api-harness.c - runs the API server alone, on a test port table that binds nothing */
/**
 * DOC: Theory of operation
 *
 * api-server.sh drives the HTTP layer (routes, status codes, bodies, limits, keep-alive,
 * slow and hostile clients) without namespaces: this program starts api_start() on
 * STATE_DIR/api.sock with a configuration for the chosen network, and either no port driver
 * or a test port table. The table keeps ports as the real one does (IDs from 1, never
 * reused; rootlesskit's conflict rule and the family rules via portmap_conflict() and
 * portmap_resolve()) but binds nothing, so that the server's answers can be checked
 * independently of the port drivers. SIGTERM or SIGINT stops it; api_free() must then
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
#include "log.h"
#include "loop.h"
#include "portmap.h"
#include "ports.h"
#include "topo.h"

#define HARNESS_MAX_PORTS 1024

/**
 * struct ports - the test table
 * @caps:	driver capabilities
 * @e:		entries, in ID order
 * @n:		entries used
 * @next_id:	next ID to give
 */
struct ports {
	struct portmap_caps caps;
	struct ports_entry e[HARNESS_MAX_PORTS];
	size_t n;
	unsigned int next_id;
};

/**
 * ports_add() - Record a port after the checks the real table makes
 * @p:		table, NULL for no driver
 * @spec:	request
 * @id:		its ID
 * @e:		what failed
 *
 * Return: 0, -ENODEV, -EINVAL, -EAFNOSUPPORT, -EEXIST or -ENOSPC
 */
int ports_add(struct ports *p, const struct portspec *spec, unsigned int *id, struct error *e)
{
	struct portmap_plan plan;
	int ret;

	if (!p)
		return error_plain(e, ENODEV, "no PortDriver is available");
	ret = portmap_resolve(spec, &p->caps, &plan, e);
	if (ret)
		return ret;
	for (size_t i = 0; i < p->n; i++) {
		struct error why = {0};

		if (!portmap_conflict(spec, &p->e[i].spec, &p->caps, &why))
			continue;
		if (!why.errnum)
			return error_plain(e, EEXIST, "conflict with ID %u", p->e[i].id);
		error_wrap(&why, "conflict with ID %u", p->e[i].id);
		if (e)
			*e = why;
		return -EEXIST;
	}
	if (p->n == HARNESS_MAX_PORTS)
		return error_plain(e, ENOSPC, "too many ports");
	for (size_t i = 0; i < plan.n_skip; i++)
		warn("%s", plan.skip[i].reason);
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
	table.next_id = 1;

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

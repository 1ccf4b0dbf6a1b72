/* ports.c - the port driver chosen by --port-driver, and the published ports it serves */
/**
 * DOC: Theory of operation
 *
 * The table of published ports: each request (from -p or the API) gets an ID from 1, in
 * order, never reused while running, and is listed in ID order. A request is checked
 * against every existing one with portmap_conflict() ("conflict with ID N"), then resolved
 * for the driver's capabilities by portmap_resolve(): the parts it skips are logged as
 * warnings, the bindings left are opened by the driver. A request whose bindings cannot all
 * be opened is rolled back: nothing of it stays.
 *
 * Drivers: builtin opens host sockets here in the parent, forwarded into the namespace with
 * sockets made by a helper process (fwd_tcp.c, fwd_udp.c, nshelper.c), which show the
 * service its clients' own addresses with --source-ip-transparent (srcip.c); slirp4netns turns
 * each binding into a libslirp host forward in the network process (portdrv_slirp.c), with
 * the capabilities portmap_caps_slirp() gives for the network's addresses and --ipv6.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conf.h"
#include "error.h"
#include "fwd_tcp.h"
#include "fwd_udp.h"
#include "helper.h"
#include "log.h"
#include "net.h"
#include "nshelper.h"
#include "portdrv_slirp.h"
#include "ports.h"
#include "srcip.h"
#include "util.h"

/**
 * struct ports_bind - one opened binding of a published port
 * @b:		the binding
 * @tcp:	builtin TCP forwarder
 * @udp:	builtin UDP forwarder
 * @slirp:	a libslirp forward was added (slirp4netns)
 */
struct ports_bind {
	struct portmap_binding b;
	struct fwd_tcp *tcp;
	struct fwd_udp *udp;
	bool slirp;
};

/**
 * struct ports_item - a published port
 * @e:		ID and request, as listed
 * @bind:	its opened bindings
 * @n_bind:	number of @bind
 * @next:	next in ID order
 */
struct ports_item {
	struct ports_entry e;
	struct ports_bind bind[2];
	size_t n_bind;
	struct ports_item *next;
};

/**
 * struct ports - the port driver and its table
 * @driver:	--port-driver
 * @caps:	what the driver can do
 * @l:		event loop
 * @n:		network state (slirp4netns)
 * @h:		namespace helper (builtin)
 * @srcip:	clients shown as themselves (builtin, --source-ip-transparent), or NULL
 * @items:	published ports, in ID order
 * @count:	number of @items
 * @next_id:	ID of the next port
 * @started:	the -p ports are published: what comes now comes from API clients
 */
struct ports {
	enum conf_port_driver driver;
	struct portmap_caps caps;
	struct loop *l;
	struct net *n;
	struct nshelper *h;
	struct srcip *srcip;
	struct ports_item *items;
	size_t count;
	unsigned int next_id;
	bool started;
};

/**
 * ports_net_restarted() - A new network process runs: add every libslirp forward again
 * @data:	driver state (slirp4netns)
 *
 * The forwards lived in the network process that died. A binding that cannot be forwarded
 * again (its address taken in the meantime, say) is logged and left without a forward: its
 * port stays listed until it is removed, as the port table never changes behind a client.
 *
 * Return: nothing
 */
static void ports_net_restarted(void *data)
{
	struct ports *p = data;
	size_t ok = 0, failed = 0;

	for (struct ports_item *it = p->items; it; it = it->next) {
		for (size_t i = 0; i < it->n_bind; i++) {
			struct ports_bind *pb = &it->bind[i];
			struct error e = {0};

			pb->slirp = !portdrv_slirp_add(p->n, &pb->b, &e);
			if (pb->slirp) {
				ok++;
				continue;
			}
			failed++;
			error_wrap(&e, "port %u: lost with the old network process", it->e.id);
			err_report(&e);
		}
	}
	if (ok || failed)
		info("port driver: %zu forwards added again to the new network process%s", ok,
		     failed ? ", some could not be" : "");
}

/**
 * ports_start() - Start the port driver
 * @c:		configuration
 * @l:		event loop
 * @n:		network state (--net=slirp4netns), NULL otherwise
 * @ns:		the child's namespaces, which the builtin driver reaches into
 * @out:	driver state, NULL for --port-driver=none
 * @e:		what failed, may be NULL
 *
 * Return: 0 or -errno
 */
int ports_start(const struct conf *c, struct loop *l, struct net *n, const struct helper_ns *ns,
		struct ports **out, struct error *e)
{
	struct ports *p;
	int ret;

	*out = NULL;
	/* implicit: pasta forwards the ports; rootlesskit has no port driver then either */
	if (c->port_driver == CONF_PORT_NONE || c->port_driver == CONF_PORT_IMPLICIT)
		return 0;
	p = calloc(1, sizeof(*p));
	if (!p)
		return error_errno(e, -ENOMEM, "port driver state");
	p->driver = c->port_driver;
	p->l = l;
	p->n = n;
	p->next_id = 1;
	if (c->port_driver == CONF_PORT_SLIRP4NETNS) {
		portmap_caps_slirp(&p->caps, net_topo(n), net_ipv6(n));
		net_on_restart(n, ports_net_restarted, p);
		*out = p;
		return 0;
	}
	portmap_caps_builtin(&p->caps);
	/* splice(2) to a socket whose peer is gone raises SIGPIPE (it has no MSG_NOSIGNAL) */
	signal(SIGPIPE, SIG_IGN);
	ret = nshelper_start(l, ns, &p->h, e);
	if (ret) {
		free(p);
		return ret;
	}
	if (c->source_ip_transparent && (ret = srcip_new(p->h, &p->srcip))) {
		nshelper_free(p->h);
		free(p);
		return error_errno(e, ret, "port driver state");
	}
	*out = p;
	return 0;
}

/**
 * ports_bind_close() - Close one opened binding
 * @p:		driver state
 * @pb:		binding
 *
 * Return: nothing
 */
static void ports_bind_close(struct ports *p, struct ports_bind *pb)
{
	if (pb->slirp)
		portdrv_slirp_remove(p->n, &pb->b);
	pb->slirp = false;
	fwd_tcp_free(pb->tcp);
	fwd_udp_free(pb->udp);
	pb->tcp = NULL;
	pb->udp = NULL;
}

/**
 * ports_bind_open() - Open one binding with the driver
 * @p:		driver state
 * @pb:		binding, pb->b set
 * @e:		what failed, for the user
 *
 * Return: 0 or -errno
 */
static int ports_bind_open(struct ports *p, struct ports_bind *pb, struct error *e)
{
	if (p->driver == CONF_PORT_SLIRP4NETNS) {
		int ret = portdrv_slirp_add(p->n, &pb->b, e);

		pb->slirp = !ret;
		return ret;
	}
	if (pb->b.socktype == SOCK_STREAM)
		return fwd_tcp_new(p->l, p->h, p->srcip, &pb->b, e, &pb->tcp);
	return fwd_udp_new(p->l, p->h, p->srcip, &pb->b, e, &pb->udp);
}

/**
 * ports_add() - Publish a port
 * @p:		driver state, NULL for no driver
 * @spec:	validated request
 * @id:		its ID
 * @e:		what failed, for the client (plain: the API's message)
 *
 * Return: 0, -ENODEV (no driver), -EEXIST (conflict), -EINVAL / -EAFNOSUPPORT (the
 * driver cannot serve it), -ENETDOWN (the builtin driver's helper is down, past its restart
 * budget), or the -errno of opening a binding (-EADDRINUSE, -EACCES, ...)
 */
int ports_add(struct ports *p, const struct portspec *spec, unsigned int *id, struct error *e)
{
	char fmt[PORTMAP_FMTLEN];
	struct portmap_plan plan;
	struct ports_item *it, **tail;
	int ret;

	if (!p)
		return error_plain(e, ENODEV, "no PortDriver is available");
	for (it = p->items; it; it = it->next) {
		struct error why = {0};

		if (!portmap_conflict(spec, &it->e.spec, &p->caps, &why))
			continue;
		if (!why.errnum)
			return error_plain(e, EEXIST, "conflict with ID %u", it->e.id);
		error_wrap(&why, "conflict with ID %u", it->e.id);
		if (e)
			*e = why;
		return -EEXIST;
	}
	ret = portmap_resolve(spec, &p->caps, &plan, e);
	if (ret)
		return ret;
	if (p->h && !nshelper_up(p->h))
		/* a port that could not carry a connection now is refused, not accepted */
		return error_plain(e, ENETDOWN,
				   "the port driver's helper in the namespace is being restarted: "
				   "try again in a minute");
	it = calloc(1, sizeof(*it));
	if (!it)
		return error_plain(e, ENOMEM, "out of memory");
	for (size_t i = 0; i < plan.n_bind; i++) {
		it->bind[i].b = plan.bind[i];
		ret = ports_bind_open(p, &it->bind[i], e);
		if (ret) {
			for (size_t j = 0; j < i; j++)
				ports_bind_close(p, &it->bind[j]);
			free(it);
			return ret;
		}
		it->n_bind++;
	}
	/* after start-up, a client can repeat requests: those lines are rate-limited */
	for (size_t i = 0; i < plan.n_skip; i++) {
		if (p->started)
			warn_limited("%s", plan.skip[i].reason);
		else
			warn("%s", plan.skip[i].reason);
	}
	it->e.id = p->next_id++;
	it->e.spec = *spec;
	for (tail = &p->items; *tail; tail = &(*tail)->next)
		;
	*tail = it;
	p->count++;
	for (size_t i = 0; i < it->n_bind; i++) {
		portmap_binding_format(&it->bind[i].b, fmt, sizeof(fmt));
		if (p->started)
			info_limited("port %u: %s", it->e.id, fmt);
		else
			info("port %u: %s", it->e.id, fmt);
	}
	*id = it->e.id;
	return 0;
}

/**
 * ports_remove() - Stop publishing a port
 * @p:		driver state, NULL for no driver
 * @id:		its ID
 *
 * Return: 0, -ENOENT for an unknown ID, -ENODEV without a driver
 */
int ports_remove(struct ports *p, unsigned int id)
{
	struct ports_item **pp, *it;

	if (!p)
		return -ENODEV;
	for (pp = &p->items; *pp; pp = &(*pp)->next) {
		if ((*pp)->e.id != id)
			continue;
		it = *pp;
		*pp = it->next;
		for (size_t i = 0; i < it->n_bind; i++)
			ports_bind_close(p, &it->bind[i]);
		p->count--;
		debug("port %u removed", id);
		free(it);
		return 0;
	}
	return -ENOENT;
}

/**
 * ports_foreach() - Call @cb for each published port, in ID order
 * @p:		driver state, NULL for no driver
 * @cb:		callback; a non-zero return stops the walk
 * @data:	passed to @cb
 *
 * Return: 0, the callback's non-zero value, or -ENODEV without a driver
 */
int ports_foreach(struct ports *p, ports_iter_cb cb, void *data)
{
	if (!p)
		return -ENODEV;
	for (struct ports_item *it = p->items; it; it = it->next) {
		int ret = cb(&it->e, data);

		if (ret)
			return ret;
	}
	return 0;
}

/**
 * ports_count() - Number of published ports
 * @p:		driver state, may be NULL
 *
 * Return: the count
 */
size_t ports_count(const struct ports *p)
{
	return p ? p->count : 0;
}

/**
 * ports_driver_name() - The driver's name for /v1/info
 * @p:		driver state, may be NULL
 *
 * Return: "builtin", "slirp4netns", or NULL without a driver
 */
const char *ports_driver_name(const struct ports *p)
{
	return p ? p->caps.driver : NULL;
}

/**
 * ports_caps() - The driver's capabilities (protos, disallowLoopbackChildIP)
 * @p:		driver state, may be NULL
 *
 * Return: the capabilities, or NULL without a driver
 */
const struct portmap_caps *ports_caps(const struct ports *p)
{
	return p ? &p->caps : NULL;
}

/**
 * ports_publish_conf() - Publish the --publish/-p ports of the configuration
 * @p:		driver state, NULL for no driver
 * @c:		configuration
 * @e:		what failed, may be NULL
 *
 * Called before child_pid is written, so that a client that sees child_pid finds the
 * ports published.
 *
 * Return: 0, or -errno for the first -p that cannot be published
 */
int ports_publish_conf(struct ports *p, const struct conf *c, struct error *e)
{
	for (size_t i = 0; p && i < c->n_publish; i++) {
		unsigned int id;
		int ret;

		ret = ports_add(p, &c->specs[i], &id, e);
		if (ret) {
			error_wrap(e, "cannot publish -p %s", c->publish[i]);
			return ret;
		}
	}
	if (p)
		p->started = true;
	return 0;
}

/**
 * ports_free() - Stop the port driver and close its ports
 * @p:		driver state, may be NULL
 *
 * Return: nothing
 */
void ports_free(struct ports *p)
{
	if (!p)
		return;
	while (p->items)
		ports_remove(p, p->items->e.id);
	if (p->n)
		net_on_restart(p->n, NULL, NULL);
	srcip_free(p->srcip);
	nshelper_free(p->h);
	free(p);
}

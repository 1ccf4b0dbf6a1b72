/* ports.c - the port driver chosen by --port-driver, and the published ports it serves */
#include "config.h"

#include <errno.h>

#include "conf.h"
#include "log.h"
#include "ports.h"

/**
 * ports_start() - Start the port driver
 * @c:		configuration
 * @l:		event loop
 * @n:		network state
 * @child_pid:	the child, whose namespaces the driver reaches into
 * @out:	driver state, NULL for --port-driver=none
 *
 * Return: 0, or -ENOTSUP for a driver not built yet
 */
int ports_start(const struct conf *c, struct loop *l, struct net *n, pid_t child_pid,
		struct ports **out)
{
	(void)l;
	(void)n;
	(void)child_pid;
	*out = NULL;
	if (c->port_driver == CONF_PORT_NONE)
		return 0;
	err("--port-driver=%s is not implemented yet",
	    c->port_driver == CONF_PORT_BUILTIN ? "builtin" : "slirp4netns");
	return -ENOTSUP;
}

/**
 * ports_publish_conf() - Publish the --publish/-p ports of the configuration
 * @p:		driver state, NULL for no driver
 * @c:		configuration
 *
 * Return: 0, or -ENOTSUP when ports are asked for without a driver
 */
int ports_publish_conf(struct ports *p, const struct conf *c)
{
	(void)p;
	if (c->n_publish) {
		err("--publish needs a port driver (--port-driver=builtin or slirp4netns)");
		return -ENOTSUP;
	}
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
	(void)p;
}

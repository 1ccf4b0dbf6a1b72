/* net.c - the network driver: interface setup inside the namespace, packet path in the parent */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include "conf.h"
#include "log.h"
#include "net.h"
#include "util.h"

/**
 * net_lo_up() - Bring the loopback interface of the current network namespace up
 *
 * Return: 0 or -errno
 */
static int net_lo_up(void)
{
	cleanup_close int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct ifreq ifr = { .ifr_name = "lo" };

	if (s < 0)
		return -errno;
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		return -errno;
	ifr.ifr_flags |= IFF_UP;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		return -errno;
	return 0;
}

/**
 * net_child_setup() - Set up interfaces in the new network namespace (child side)
 * @c:		configuration
 * @chan:	channel to the parent
 *
 * Return: 0, -ENOTSUP for a network not built yet, or -errno
 */
int net_child_setup(const struct conf *c, int chan)
{
	(void)chan;
	switch (c->net) {
	case CONF_NET_HOST:
		return 0;
	case CONF_NET_NONE:
		return net_lo_up();
	default:
		return -ENOTSUP;
	}
}

/**
 * net_parent_start() - Start the parent side of the network
 * @c:		configuration
 * @l:		event loop
 * @chan:	channel to the child
 * @out:	network state, NULL when the network needs none
 *
 * Return: 0, -ENOTSUP for a network not built yet
 */
int net_parent_start(const struct conf *c, struct loop *l, int chan, struct net **out)
{
	(void)l;
	(void)chan;
	*out = NULL;
	if (c->net == CONF_NET_HOST || c->net == CONF_NET_NONE)
		return 0;
	err("--net=slirp4netns is not implemented yet");
	return -ENOTSUP;
}

/**
 * net_free() - Stop the network
 * @n:		state from net_parent_start(), may be NULL
 *
 * Return: nothing
 */
void net_free(struct net *n)
{
	(void)n;
}

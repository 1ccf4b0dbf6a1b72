/* topo.c - the user-mode network's addresses, derived from --cidr (slirp4netns' layout) */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "topo.h"

/**
 * topo_parse_cidr() - Parse an IPv4 CIDR such as 10.0.2.0/24
 * @s:		text
 * @net:	network address, host bits cleared
 * @prefix:	prefix length
 *
 * Return: 0, or -EINVAL if @s is not an IPv4 address with a prefix length of 1..30
 */
int topo_parse_cidr(const char *s, struct in_addr *net, unsigned int *prefix)
{
	char buf[INET_ADDRSTRLEN + 4];
	const char *slash = strchr(s, '/');
	char *end;
	unsigned long p;
	struct in_addr a;
	uint32_t mask;

	if (!slash || (size_t)(slash - s) >= INET_ADDRSTRLEN)
		return -EINVAL;
	memcpy(buf, s, slash - s);
	buf[slash - s] = '\0';
	if (inet_pton(AF_INET, buf, &a) != 1)
		return -EINVAL;
	errno = 0;
	p = strtoul(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || p < 1 || p > 30)
		return -EINVAL;
	mask = htonl(~0U << (32 - p));
	net->s_addr = a.s_addr & mask;
	*prefix = (unsigned int)p;
	return 0;
}

/**
 * topo_host() - Address number @n in a network
 * @net:	network address
 * @n:		host number
 *
 * Return: the address
 */
static struct in_addr topo_host(struct in_addr net, uint32_t n)
{
	return (struct in_addr){.s_addr = htonl(ntohl(net.s_addr) + n)};
}

/**
 * topo_from_cidr() - Derive every address from the network, as slirp4netns does
 * @net:	network address (host bits clear)
 * @prefix:	prefix length; the network must hold .100 (prefix 25 or shorter)
 * @t:		filled in
 *
 * Return: 0, or -EINVAL if the network is too small for the guest address .100
 */
int topo_from_cidr(struct in_addr net, unsigned int prefix, struct topo *t)
{
	if (prefix < 1 || prefix > 25)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->net = net;
	t->prefix = prefix;
	t->mask.s_addr = htonl(~0U << (32 - prefix));
	t->gw = topo_host(net, 2);
	t->dns = topo_host(net, 3);
	t->dhcp = topo_host(net, 15);
	t->guest = topo_host(net, 100);
	inet_pton(AF_INET6, "fd00::", &t->net6);
	inet_pton(AF_INET6, "fd00::2", &t->gw6);
	inet_pton(AF_INET6, "fd00::3", &t->dns6);
	inet_pton(AF_INET6, "fd00::100", &t->guest6);
	t->prefix6 = 64;
	return 0;
}

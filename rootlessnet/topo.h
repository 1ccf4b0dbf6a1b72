/* topo.h - the user-mode network's addresses, derived from --cidr (slirp4netns' layout) */
#ifndef RN_TOPO_H
#define RN_TOPO_H

#include <netinet/in.h>

struct conf;

/**
 * struct topo - addresses of the user-mode network
 * @net:	network address (10.0.2.0)
 * @mask:	netmask (255.255.255.0)
 * @prefix:	prefix length (24)
 * @gw:		gateway, the host as seen from inside (.2)
 * @dns:	DNS forwarder (.3)
 * @guest:	the namespace's address (.100)
 * @dhcp:	first DHCP address (.15)
 * @net6:	IPv6 prefix (fd00::)
 * @prefix6:	IPv6 prefix length (64)
 * @gw6:	IPv6 gateway (fd00::2)
 * @dns6:	IPv6 DNS (fd00::3)
 * @guest6:	the namespace's IPv6 address (fd00::100)
 */
struct topo {
	struct in_addr net, mask, gw, dns, guest, dhcp;
	unsigned int prefix;
	struct in6_addr net6, gw6, dns6, guest6;
	unsigned int prefix6;
};

int topo_parse_cidr(const char *s, struct in_addr *net, unsigned int *prefix);
int topo_from_cidr(struct in_addr net, unsigned int prefix, struct topo *t);

#endif /* RN_TOPO_H */

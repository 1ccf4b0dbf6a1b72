/* netns.h - the network namespace's interfaces: lo, the tap, its addresses and routes */
#ifndef RN_NETNS_H
#define RN_NETNS_H

#include <net/if.h>
#include <stdbool.h>

#include "topo.h"

struct conf;

/**
 * struct net_params - the network flags, checked and with defaults applied
 * @topo:	addresses from --cidr (10.0.2.0/24)
 * @mtu:	--mtu (65520)
 * @ifname:	--ifname (tap0)
 * @ipv6:	--ipv6
 */
struct net_params {
	struct topo topo;
	unsigned int mtu;
	char ifname[IFNAMSIZ];
	bool ipv6;
};

/**
 * struct netns_fds - what the namespace's set-up sends to the network process
 * @tap:	the tap
 * @diag:	a NETLINK_SOCK_DIAG socket of the namespace (orphan.c), or -1
 */
struct netns_fds {
	int tap;
	int diag;
};

void netns_params_of(const struct conf *c, struct net_params *p);
bool netns_tap_quickack(unsigned int mtu);
int netns_child_setup(const struct conf *c, int chan);
int netns_tap_make(const struct net_params *p, int sock, bool lo);
int netns_recv_tap(int sock, int timeout_ms, struct netns_fds *out);

#endif /* RN_NETNS_H */

/* usernet.h - libslirp glue: the user-mode network stack on the tap, in the event loop */
#ifndef RN_USERNET_H
#define RN_USERNET_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

#include <slirp/libslirp.h>

#include "topo.h"

struct loop;
struct usernet;

/**
 * struct usernet_conf - what the stack is built from
 * @topo:	addresses (from --cidr)
 * @mtu:	interface MTU (resolved, 68..65521)
 * @ipv6:	--ipv6
 * @disable_host_loopback: --disable-host-loopback
 */
struct usernet_conf {
	struct topo topo;
	unsigned int mtu;
	bool ipv6;
	bool disable_host_loopback;
};

/**
 * struct usernet_stats - counters of the tap path
 * @rx_frames:	frames read from the tap (namespace -> slirp)
 * @tx_frames:	frames written to the tap (slirp -> namespace)
 * @tx_dropped:	frames dropped because the tap could not take them
 */
struct usernet_stats {
	uint64_t rx_frames;
	uint64_t tx_frames;
	uint64_t tx_dropped;
};

void usernet_slirp_config(const struct usernet_conf *uc, SlirpConfig *cfg);
int usernet_start(const struct usernet_conf *uc, struct loop *l, int tapfd, struct usernet **out);
void usernet_free(struct usernet *u);
int usernet_hostfwd(struct usernet *u, bool add, bool udp, const struct sockaddr *host,
		    socklen_t hlen, const struct sockaddr *guest, socklen_t glen, bool v6only);
const struct usernet_stats *usernet_stats(const struct usernet *u);
long usernet_pending(const struct usernet *u);
char *usernet_connection_info(const struct usernet *u);

#endif /* RN_USERNET_H */

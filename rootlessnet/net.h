/* net.h - the network driver: interface setup inside the namespace, packet path in the parent */
#ifndef RN_NET_H
#define RN_NET_H

#include <net/if.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "topo.h"

struct conf;
struct helper_ns;
struct loop;
struct net;

#define NET_MTU_DEFAULT 65520
#define NET_MTU_MAX	65521

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

/*
 * Start-up, in this order:
 *   child:  net_child_setup(c, chan)   after its mounts; for --net=slirp4netns it sends the
 *                                      tap fd on @chan (one SEQPACKET message, SCM_RIGHTS)
 *   parent: net_parent_start(c, l, chan, &n)  receives it (bounded wait) and forks the
 *                                      sandboxed network process that runs libslirp
 *   parent, at exit: net_free(n) before loop_free(l)
 *
 * The network process (net_pid()) is a clone child without an exit signal: waitpid(-1)
 * without __WALL does not see it, and net_free() reaps it. If it dies, the parent logs how,
 * and the command runs on without network, as under rootlesskit.
 *
 * For the port driver (only with --net=slirp4netns, @n != NULL):
 *   net_hostfwd_add() / net_hostfwd_remove() ask the network process to add or remove a
 *   libslirp host forward (slirp_add_hostxfwd semantics: a listening host socket whose
 *   connections or datagrams are forwarded to @guest inside the namespace). They are
 *   synchronous request/response calls over a socketpair, bounded by NET_CTL_TIMEOUT_MS, and
 *   may be called from the parent's event loop (an API request) since the network process
 *   answers at once.
 *   libslirp 4.7 facts worth knowing there: host and guest families must match (-EINVAL
 *   otherwise); an IPv6 listener without v6only drops IPv4 clients, so bind 0.0.0.0 and ::
 *   as two forwards with v6only on the IPv6 one; IPv6 needs --ipv6 (-EAFNOSUPPORT); with
 *   --disable-host-loopback UDP replies to loopback clients are dropped; UDP replies are
 *   matched by guest address and port only.
 */

/* upper bound for one net_hostfwd_*() round trip */
#define NET_CTL_TIMEOUT_MS 2000

int net_resolve(const struct conf *c, struct net_params *p);
bool net_tap_quickack(unsigned int mtu);
int net_child_setup(const struct conf *c, int chan);
int net_parent_start(const struct conf *c, struct loop *l, int chan, const struct helper_ns *ns,
		     struct net **out);
void net_on_restart(struct net *n, void (*cb)(void *data), void *data);
void net_free(struct net *n);

const struct topo *net_topo(const struct net *n);
bool net_ipv6(const struct net *n);
unsigned int net_mtu(const struct net *n);
pid_t net_pid(const struct net *n);

int net_hostfwd_add(struct net *n, bool udp, const struct sockaddr *host, socklen_t hlen,
		    const struct sockaddr *guest, socklen_t glen, bool v6only);
int net_hostfwd_remove(struct net *n, bool udp, const struct sockaddr *host, socklen_t hlen,
		       bool v6only);

#endif /* RN_NET_H */

/* net.h - the network driver's parent side: the network process, its restarts, host forwards */
#ifndef RN_NET_H
#define RN_NET_H

#include <net/if.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "topo.h"

struct conf;
struct error;
struct helper_ns;
struct loop;
struct net;

/*
 * Start-up, in this order:
 *   child:  netns_child_setup(c, chan)  (netns.h) after its mounts; for --net=slirp4netns it
 *                                      sends the tap fd on @chan (SCM_RIGHTS)
 *   parent: net_parent_start(c, l, chan, ns, &n, e) receives it (bounded wait) and starts the
 *                                      sandboxed network process that runs libslirp
 *   parent, at exit: net_free(n) before loop_free(l)
 *
 * The network process (net_pid()) is a clone child without an exit signal: waitpid(-1)
 * without __WALL does not see it, and net_free() reaps it. If it dies, the parent logs how
 * and starts a new one (net.c's theory of operation).
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

int net_parent_start(const struct conf *c, struct loop *l, int chan, const struct helper_ns *ns,
		     struct net **out, struct error *e);
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

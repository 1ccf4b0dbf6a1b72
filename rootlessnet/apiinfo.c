/* apiinfo.c - the GET /v1/info answer: what the network and the port driver are */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <arpa/inet.h>

#include "apiinfo.h"
#include "apijson.h"
#include "conf.h"
#include "portmap.h"
#include "ports.h"
#include "topo.h"

/**
 * apiinfo_body() - Build the GET /v1/info answer
 * @c:		configuration (state dir, network)
 * @p:		port table, NULL without a port driver
 * @child_pid:	childPID
 * @out:	malloc'd JSON
 *
 * networkDriver follows rootlesskit: absent for --net=host, {"driver":"none"} for none,
 * and for slirp4netns the DNS forwarder (plus fd00::3 with --ipv6), the child's address
 * from --cidr and, with --ipv6, "ipv6":true (API 1.1.2; rootlesskit's none driver never
 * sets it); pasta: the same, the .3 forwarder alone. No portDriver for implicit, as for none.
 * dockerd 28 reads it without a nil check whenever a network is configured.
 *
 * Return: 0, or -errno
 */
int apiinfo_body(const struct conf *c, struct ports *p, pid_t child_pid, char **out)
{
	char dns[INET_ADDRSTRLEN], dns6[INET6_ADDRSTRLEN], guest[INET_ADDRSTRLEN];
	const char *protos[PORTSPEC_PROTO_N];
	struct apijson_info in = {
		.api_version = APIJSON_API_VERSION,
		.version = PACKAGE_VERSION,
		.state_dir = c->state_dir,
		.child_pid = child_pid,
	};

	if (c->net == CONF_NET_NONE) {
		in.has_net = true;
		in.net_driver = "none";
	} else if (c->net == CONF_NET_SLIRP4NETNS || c->net == CONF_NET_PASTA) {
		const struct topo *t = &c->topo;

		in.has_net = true;
		in.net_driver = conf_net_name(c->net);
		inet_ntop(AF_INET, &t->dns, dns, sizeof(dns));
		inet_ntop(AF_INET, &t->guest, guest, sizeof(guest));
		in.dns[in.n_dns++] = dns;
		if (c->ipv6 && c->net == CONF_NET_SLIRP4NETNS) {
			inet_ntop(AF_INET6, &t->dns6, dns6, sizeof(dns6));
			in.dns[in.n_dns++] = dns6;
		}
		in.ipv6 = c->ipv6;
		in.child_ip = guest;
	}
	if (p) {
		const struct portmap_caps *caps = ports_caps(p);
		size_t n = portmap_caps_protos(caps, protos);

		in.has_port = true;
		in.port_driver = ports_driver_name(p);
		_Static_assert(PORTSPEC_PROTO_N <= APIJSON_MAX_PROTOS, "room for every proto");
		for (size_t i = 0; i < n; i++)
			in.protos[i] = protos[i];
		in.n_protos = n;
		in.disallow_loopback_child_ip = !caps->loopback_child;
	}
	*out = apijson_info_dump(&in, false);
	return *out ? 0 : -ENOMEM;
}

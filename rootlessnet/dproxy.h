/* dproxy.h - rootlessnet-docker-proxy: dockerd's userland proxy for rootless mode */
#ifndef RN_DPROXY_H
#define RN_DPROXY_H

struct error;

#include <stddef.h>

/**
 * struct dproxy_args - docker-proxy's flags, as dockerd passes them
 * @container_ip:	-container-ip
 * @container_port:	-container-port
 * @host_ip:		-host-ip
 * @host_port:		-host-port
 * @proto:		-proto (tcp, udp, sctp, or with a 4/6 suffix)
 */
struct dproxy_args {
	const char *container_ip;
	long long container_port;
	const char *host_ip;
	long long host_port;
	const char *proto;
};

int dproxy_parse_args(int argc, char **argv, struct dproxy_args *a, struct error *e);
int dproxy_api_proto(const char *proto, const char *host_ip, char *out, size_t len);
int dproxy_main(int argc, char **argv);

#endif /* RN_DPROXY_H */

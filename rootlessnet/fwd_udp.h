/* fwd_udp.h - builtin port driver, UDP: host socket with a per-client flow into the namespace */
#ifndef RN_FWD_UDP_H
#define RN_FWD_UDP_H

#include <stddef.h>

struct error;
struct loop;
struct nshelper;
struct portmap_binding;
struct srcip;
struct fwd_udp;

int fwd_udp_new(struct loop *l, struct nshelper *h, struct srcip *srcip,
		const struct portmap_binding *b, struct error *e, struct fwd_udp **out);
size_t fwd_udp_flows(const struct fwd_udp *f);
void fwd_udp_free(struct fwd_udp *f);

#endif /* RN_FWD_UDP_H */

/* fwd_tcp.h - builtin port driver, TCP: host listener spliced to sockets in the namespace */
#ifndef RN_FWD_TCP_H
#define RN_FWD_TCP_H

#include <stddef.h>

struct error;
struct loop;
struct nshelper;
struct portmap_binding;
struct srcip;
struct fwd_tcp;

int fwd_tcp_new(struct loop *l, struct nshelper *h, struct srcip *srcip,
		const struct portmap_binding *b, struct error *e, struct fwd_tcp **out);
size_t fwd_tcp_conns(const struct fwd_tcp *f);
void fwd_tcp_free(struct fwd_tcp *f);

#endif /* RN_FWD_TCP_H */

/* portdrv_slirp.h - slirp4netns port driver: each binding is one libslirp host forward */
#ifndef RN_PORTDRV_SLIRP_H
#define RN_PORTDRV_SLIRP_H

#include <stddef.h>

struct error;
struct net;
struct portmap_binding;

int portdrv_slirp_add(struct net *n, const struct portmap_binding *b, struct error *e);
void portdrv_slirp_remove(struct net *n, const struct portmap_binding *b);

#endif /* RN_PORTDRV_SLIRP_H */

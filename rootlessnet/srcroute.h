/* srcroute.h - per-client routes for UDP replies, counted: added with a client's first flow */
#ifndef RN_SRCROUTE_H
#define RN_SRCROUTE_H

#include <stddef.h>

#include "addr.h"

/**
 * struct srcroute_ops - what adds and removes a client's route (netlink, or a test's fake)
 * @add:	route @client locally with @src as the source of what goes there; 0 or -errno
 * @del:	remove that route; 0 or -errno (the entry is forgotten either way)
 * @data:	passed to both
 */
struct srcroute_ops {
	int (*add)(void *data, const struct addr_ip *client, const struct addr_ip *src);
	int (*del)(void *data, const struct addr_ip *client);
	void *data;
};

struct srcroute;

/**
 * struct srcroute_table - client routes by address
 * @buckets:	hash buckets
 * @n_buckets:	their number, a power of two
 * @count:	clients routed
 * @max:	most clients routed at once
 * @ops:	the side effects
 */
struct srcroute_table {
	struct srcroute **buckets;
	size_t n_buckets;
	size_t count;
	size_t max;
	struct srcroute_ops ops;
};

int srcroute_init(struct srcroute_table *t, size_t max, const struct srcroute_ops *ops);
void srcroute_fini(struct srcroute_table *t);
int srcroute_get(struct srcroute_table *t, const struct addr_ip *client, const struct addr_ip *src);
void srcroute_put(struct srcroute_table *t, const struct addr_ip *client);
unsigned int srcroute_refs(const struct srcroute_table *t, const struct addr_ip *client);

#endif /* RN_SRCROUTE_H */

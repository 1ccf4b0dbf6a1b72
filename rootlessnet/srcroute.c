/* srcroute.c - per-client routes for UDP replies, counted: added with a client's first flow */
/**
 * DOC: Theory of operation
 *
 * A UDP service that answers from a socket bound to the wildcard address does not say
 * where its answer comes from: the kernel picks the source when it routes the answer, by
 * its destination, the client. Towards a real client address that route is the tap (or no
 * route at all), and the answer would leave with the tap's address, never reaching the
 * builtin driver's socket. So while a client has a transparent UDP flow, the namespace gets
 * a route for exactly that address: local, on lo, with the flow's target as its preferred
 * source (srcip.c puts it in a table of its own, consulted for what the namespace sends
 * over UDP). The answer is then delivered back to the flow's socket, from the address the
 * client sent to.
 *
 * This table counts the flows of each client address: the route is added with the first
 * (srcroute_get()) and removed with the last (srcroute_put()). A route has one preferred
 * source, so a client whose flows go to two different target addresses at once cannot be
 * served both ways: the second target is refused (-EBUSY) and its flow falls back to the
 * namespace's own address. The table is bounded (-ENOSPC past @max clients) and does no I/O
 * itself: what adds and removes routes is passed in (&struct srcroute_ops), which keeps the
 * counting a unit of pure logic.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "srcroute.h"

/**
 * struct srcroute - one routed client
 * @client:	its address
 * @src:	the preferred source of its route
 * @refs:	flows using the route
 * @next:	hash chain
 */
struct srcroute {
	struct addr_ip client;
	struct addr_ip src;
	unsigned int refs;
	struct srcroute *next;
};

/**
 * srcroute_init() - Set up an empty table
 * @t:		table
 * @max:	most clients at once (> 0)
 * @ops:	adds and removes routes
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
int srcroute_init(struct srcroute_table *t, size_t max, const struct srcroute_ops *ops)
{
	size_t n = 16;

	if (!max || !ops->add || !ops->del)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	while (n < max && n < (1u << 16))
		n <<= 1;
	t->buckets = calloc(n, sizeof(struct srcroute *));
	if (!t->buckets)
		return -ENOMEM;
	t->n_buckets = n;
	t->max = max;
	t->ops = *ops;
	return 0;
}

/**
 * srcroute_fini() - Remove every route left and release the table
 * @t:		table, initialised or zeroed
 *
 * Return: nothing
 */
void srcroute_fini(struct srcroute_table *t)
{
	for (size_t i = 0; i < t->n_buckets; i++) {
		while (t->buckets[i]) {
			struct srcroute *r = t->buckets[i];

			t->buckets[i] = r->next;
			t->ops.del(t->ops.data, &r->client);
			free(r);
		}
	}
	free(t->buckets);
	memset(t, 0, sizeof(*t));
}

/**
 * srcroute_hash() - Bucket of an address
 * @t:		table
 * @a:		address (AF_INET or AF_INET6)
 *
 * Return: bucket index
 */
static size_t srcroute_hash(const struct srcroute_table *t, const struct addr_ip *a)
{
	const unsigned char *p = a->family == AF_INET ? (const unsigned char *)&a->v4
						      : (const unsigned char *)&a->v6;
	size_t len = a->family == AF_INET ? sizeof(a->v4) : sizeof(a->v6);
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	h = (h ^ (uint64_t)a->family) * 1099511628211ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32)) & (t->n_buckets - 1);
}

/**
 * srcroute_find() - The link that points at a client's entry
 * @t:		table
 * @client:	address
 *
 * Return: the link (*link is NULL when the client has no entry)
 */
static struct srcroute **srcroute_find(const struct srcroute_table *t, const struct addr_ip *client)
{
	struct srcroute **pp = &t->buckets[srcroute_hash(t, client)];

	while (*pp && !addr_ip_equal(&(*pp)->client, client))
		pp = &(*pp)->next;
	return pp;
}

/**
 * srcroute_get() - Take a reference on a client's route, adding the route with the first
 * @t:		table
 * @client:	the client's address (AF_INET or AF_INET6)
 * @src:	the source its route must give (the flow's target), of the same family
 *
 * Return: 0; -EBUSY if the client is routed with another source; -ENOSPC when @max
 * clients are routed; -EINVAL for mixed families; -ENOMEM; or the -errno of adding it
 */
int srcroute_get(struct srcroute_table *t, const struct addr_ip *client, const struct addr_ip *src)
{
	struct srcroute **pp, *r;
	int ret;

	if ((client->family != AF_INET && client->family != AF_INET6) ||
	    src->family != client->family)
		return -EINVAL;
	pp = srcroute_find(t, client);
	if (*pp) {
		if (!addr_ip_equal(&(*pp)->src, src))
			return -EBUSY;
		(*pp)->refs++;
		return 0;
	}
	if (t->count >= t->max)
		return -ENOSPC;
	r = calloc(1, sizeof(*r));
	if (!r)
		return -ENOMEM;
	ret = t->ops.add(t->ops.data, client, src);
	if (ret) {
		free(r);
		return ret;
	}
	r->client = *client;
	r->src = *src;
	r->refs = 1;
	*pp = r;
	t->count++;
	return 0;
}

/**
 * srcroute_put() - Drop a reference taken by srcroute_get(); the last removes the route
 * @t:		table
 * @client:	the client's address
 *
 * Return: nothing (an unknown client is ignored)
 */
void srcroute_put(struct srcroute_table *t, const struct addr_ip *client)
{
	struct srcroute **pp = srcroute_find(t, client), *r = *pp;

	if (!r || --r->refs)
		return;
	*pp = r->next;
	t->count--;
	t->ops.del(t->ops.data, &r->client);
	free(r);
}

/**
 * srcroute_refs() - Flows using a client's route
 * @t:		table
 * @client:	the client's address
 *
 * Return: the count, 0 when it has no route
 */
unsigned int srcroute_refs(const struct srcroute_table *t, const struct addr_ip *client)
{
	const struct srcroute *r = *srcroute_find(t, client);

	return r ? r->refs : 0;
}

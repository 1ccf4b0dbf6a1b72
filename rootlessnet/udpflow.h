/* udpflow.h - the UDP flow table: client address -> flow, with idle expiry and LRU eviction */
#ifndef RN_UDPFLOW_H
#define RN_UDPFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "portmap.h"

/**
 * struct udpflow - a flow; embed it in the owner's flow struct
 * @peer:	the client's address (the key)
 * @last_ns:	time of the last datagram either way
 * @hnext:	hash chain
 * @older:	LRU list: towards the least recently used
 * @newer:	LRU list: towards the most recently used
 */
struct udpflow {
	union addr_sa peer;
	uint64_t last_ns;
	struct udpflow *hnext;
	struct udpflow *older, *newer;
};

/**
 * struct udpflow_table - flows by client address
 * @buckets:	hash buckets
 * @n_buckets:	number of @buckets (a power of two)
 * @count:	flows in the table
 * @max:	most flows allowed (udpflow_full())
 * @timeout_ns:	idle time after which a flow expires
 * @oldest:	least recently used flow
 * @newest:	most recently used flow
 */
struct udpflow_table {
	struct udpflow **buckets;
	size_t n_buckets;
	size_t count;
	size_t max;
	uint64_t timeout_ns;
	struct udpflow *oldest, *newest;
};

int udpflow_init(struct udpflow_table *t, size_t max, uint64_t timeout_ns);
void udpflow_fini(struct udpflow_table *t);
int udpflow_key(union addr_sa *key, const void *sa, size_t len);
bool udpflow_key_equal(const union addr_sa *a, const union addr_sa *b);
struct udpflow *udpflow_lookup(const struct udpflow_table *t, const union addr_sa *key);
void udpflow_insert(struct udpflow_table *t, struct udpflow *f, const union addr_sa *key,
		    uint64_t now_ns);
void udpflow_touch(struct udpflow_table *t, struct udpflow *f, uint64_t now_ns);
void udpflow_remove(struct udpflow_table *t, struct udpflow *f);
bool udpflow_full(const struct udpflow_table *t);
struct udpflow *udpflow_oldest(const struct udpflow_table *t);
struct udpflow *udpflow_expired(const struct udpflow_table *t, uint64_t now_ns);
uint64_t udpflow_next_expiry(const struct udpflow_table *t);

#endif /* RN_UDPFLOW_H */

/* udpflow.c - the UDP flow table: client address -> flow, with idle expiry and LRU eviction */
/**
 * DOC: Theory of operation
 *
 * A UDP forwarder keeps one flow (a socket in the namespace) per client address, so that
 * replies go back to the client that caused them. The table is a chained hash on the
 * client's address and port, plus a list in order of last use: touching a flow moves it to
 * the newest end, so the oldest end is both the next flow to expire (idle longer than the
 * timeout) and the one to evict when the table is full. Every operation is O(1) but the
 * lookup's chain walk. The table holds no sockets and never reads the clock: callers pass
 * the time, which keeps it a unit of pure logic.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "udpflow.h"

/**
 * udpflow_init() - Set up an empty table
 * @t:		table
 * @max:	most flows (> 0); buckets are sized for it
 * @timeout_ns:	idle timeout
 *
 * Return: 0 or -ENOMEM / -EINVAL
 */
int udpflow_init(struct udpflow_table *t, size_t max, uint64_t timeout_ns)
{
	size_t n = 16;

	if (!max)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	while (n < max && n < (1u << 20))
		n <<= 1;
	t->buckets = calloc(n, sizeof(struct udpflow *));
	if (!t->buckets)
		return -ENOMEM;
	t->n_buckets = n;
	t->max = max;
	t->timeout_ns = timeout_ns;
	return 0;
}

/**
 * udpflow_fini() - Release the table; flows are the caller's (remove them first)
 * @t:		table
 *
 * Return: nothing
 */
void udpflow_fini(struct udpflow_table *t)
{
	free(t->buckets);
	t->buckets = NULL;
	t->n_buckets = 0;
}

/**
 * udpflow_key() - Make a key from a received address: only family, address and port count
 * @key:	filled in (zeroed first, so that keys compare whole)
 * @sa:		sockaddr_in or sockaddr_in6
 * @len:	its length
 *
 * Return: 0, or -EAFNOSUPPORT for another family or a short address
 */
int udpflow_key(union addr_sa *key, const void *sa, size_t len)
{
	const struct sockaddr *s = sa;

	memset(key, 0, sizeof(*key));
	if (len >= sizeof(struct sockaddr_in) && s->sa_family == AF_INET) {
		const struct sockaddr_in *in = sa;

		key->in.sin_family = AF_INET;
		key->in.sin_addr = in->sin_addr;
		key->in.sin_port = in->sin_port;
		return 0;
	}
	if (len >= sizeof(struct sockaddr_in6) && s->sa_family == AF_INET6) {
		const struct sockaddr_in6 *in6 = sa;

		key->in6.sin6_family = AF_INET6;
		key->in6.sin6_addr = in6->sin6_addr;
		key->in6.sin6_port = in6->sin6_port;
		key->in6.sin6_scope_id = in6->sin6_scope_id;
		return 0;
	}
	return -EAFNOSUPPORT;
}

/**
 * udpflow_key_equal() - Compare two keys made by udpflow_key()
 * @a:		key
 * @b:		key
 *
 * Return: true when they name the same client
 */
bool udpflow_key_equal(const union addr_sa *a, const union addr_sa *b)
{
	if (a->sa.sa_family != b->sa.sa_family)
		return false;
	if (a->sa.sa_family == AF_INET)
		return a->in.sin_port == b->in.sin_port &&
		       a->in.sin_addr.s_addr == b->in.sin_addr.s_addr;
	return a->in6.sin6_port == b->in6.sin6_port &&
	       a->in6.sin6_scope_id == b->in6.sin6_scope_id &&
	       !memcmp(&a->in6.sin6_addr, &b->in6.sin6_addr, sizeof(a->in6.sin6_addr));
}

/**
 * udpflow_hash() - Bucket of a key
 * @t:		table
 * @key:	key from udpflow_key()
 *
 * Return: bucket index
 */
static size_t udpflow_hash(const struct udpflow_table *t, const union addr_sa *key)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a over family, port, address */
	const unsigned char *p;
	size_t len;
	uint16_t port;

	if (key->sa.sa_family == AF_INET) {
		p = (const unsigned char *)&key->in.sin_addr;
		len = sizeof(key->in.sin_addr);
		port = key->in.sin_port;
	} else {
		p = (const unsigned char *)&key->in6.sin6_addr;
		len = sizeof(key->in6.sin6_addr);
		port = key->in6.sin6_port;
	}
	h = (h ^ (uint64_t)key->sa.sa_family) * 1099511628211ULL;
	h = (h ^ (port & 0xff)) * 1099511628211ULL;
	h = (h ^ (port >> 8)) * 1099511628211ULL;
	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return (size_t)(h ^ (h >> 32)) & (t->n_buckets - 1);
}

/**
 * udpflow_lookup() - Find the flow of a client
 * @t:		table
 * @key:	key from udpflow_key()
 *
 * Return: the flow, or NULL
 */
struct udpflow *udpflow_lookup(const struct udpflow_table *t, const union addr_sa *key)
{
	for (struct udpflow *f = t->buckets[udpflow_hash(t, key)]; f; f = f->hnext)
		if (udpflow_key_equal(&f->peer, key))
			return f;
	return NULL;
}

/**
 * udpflow_lru_unlink() - Take a flow out of the use-order list
 * @t:		table
 * @f:		flow
 *
 * Return: nothing
 */
static void udpflow_lru_unlink(struct udpflow_table *t, struct udpflow *f)
{
	if (f->older)
		f->older->newer = f->newer;
	else
		t->oldest = f->newer;
	if (f->newer)
		f->newer->older = f->older;
	else
		t->newest = f->older;
	f->older = f->newer = NULL;
}

/**
 * udpflow_lru_append() - Put a flow at the newest end of the use-order list
 * @t:		table
 * @f:		flow, not on the list
 *
 * Return: nothing
 */
static void udpflow_lru_append(struct udpflow_table *t, struct udpflow *f)
{
	f->older = t->newest;
	f->newer = NULL;
	if (t->newest)
		t->newest->newer = f;
	else
		t->oldest = f;
	t->newest = f;
}

/**
 * udpflow_insert() - Add a flow for a client that has none
 * @t:		table (check udpflow_full() first and evict)
 * @f:		flow, owned by the caller
 * @key:	key from udpflow_key()
 * @now_ns:	current time
 *
 * Return: nothing
 */
void udpflow_insert(struct udpflow_table *t, struct udpflow *f, const union addr_sa *key,
		    uint64_t now_ns)
{
	size_t b = udpflow_hash(t, key);

	f->peer = *key;
	f->last_ns = now_ns;
	f->hnext = t->buckets[b];
	t->buckets[b] = f;
	udpflow_lru_append(t, f);
	t->count++;
}

/**
 * udpflow_touch() - Record use of a flow
 * @t:		table
 * @f:		flow
 * @now_ns:	current time
 *
 * Return: nothing
 */
void udpflow_touch(struct udpflow_table *t, struct udpflow *f, uint64_t now_ns)
{
	f->last_ns = now_ns;
	if (t->newest != f) {
		udpflow_lru_unlink(t, f);
		udpflow_lru_append(t, f);
	}
}

/**
 * udpflow_remove() - Take a flow out of the table (the caller frees it)
 * @t:		table
 * @f:		flow in the table
 *
 * Return: nothing
 */
void udpflow_remove(struct udpflow_table *t, struct udpflow *f)
{
	struct udpflow **pp = &t->buckets[udpflow_hash(t, &f->peer)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == f) {
			*pp = f->hnext;
			break;
		}
	}
	f->hnext = NULL;
	udpflow_lru_unlink(t, f);
	t->count--;
}

/**
 * udpflow_full() - Tell whether a new flow needs an eviction first
 * @t:		table
 *
 * Return: true when the table holds its maximum
 */
bool udpflow_full(const struct udpflow_table *t)
{
	return t->count >= t->max;
}

/**
 * udpflow_oldest() - The least recently used flow
 * @t:		table
 *
 * Return: the flow, or NULL when empty
 */
struct udpflow *udpflow_oldest(const struct udpflow_table *t)
{
	return t->oldest;
}

/**
 * udpflow_expired() - A flow idle for longer than the timeout
 * @t:		table
 * @now_ns:	current time
 *
 * Return: the oldest flow if it expired, else NULL (call until NULL, removing each)
 */
struct udpflow *udpflow_expired(const struct udpflow_table *t, uint64_t now_ns)
{
	if (t->oldest && t->oldest->last_ns + t->timeout_ns <= now_ns)
		return t->oldest;
	return NULL;
}

/**
 * udpflow_next_expiry() - When the oldest flow expires if it stays idle
 * @t:		table
 *
 * Return: the time, or 0 when the table is empty
 */
uint64_t udpflow_next_expiry(const struct udpflow_table *t)
{
	return t->oldest ? t->oldest->last_ns + t->timeout_ns : 0;
}

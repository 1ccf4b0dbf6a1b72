/* test_udpflow.c - unit tests for the UDP flow table: keys, lookup, use order, expiry */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "udpflow.h"

#define SEC 1000000000ULL

/* a v4 client address 127.0.0.1:@port, with junk where only padding is */
static union addr_sa v4(uint16_t port)
{
	union addr_sa sa;

	memset(&sa, 0xa5, sizeof(sa));
	sa.in.sin_family = AF_INET;
	sa.in.sin_port = htons(port);
	inet_pton(AF_INET, "127.0.0.1", &sa.in.sin_addr);
	return sa;
}

static union addr_sa v6(const char *ip, uint16_t port)
{
	union addr_sa sa;

	memset(&sa, 0, sizeof(sa));
	sa.in6.sin6_family = AF_INET6;
	sa.in6.sin6_port = htons(port);
	sa.in6.sin6_flowinfo = htonl(7); /* not part of the key */
	inet_pton(AF_INET6, ip, &sa.in6.sin6_addr);
	return sa;
}

static void test_key(void **state)
{
	union addr_sa a = v4(1000), b = v4(1000), k1, k2;
	union addr_sa c = v6("::ffff:127.0.0.1", 1000), d = v6("::ffff:127.0.0.1", 1000);

	(void)state;
	memset(&b.in.sin_zero, 0x11, sizeof(b.in.sin_zero));
	assert_int_equal(udpflow_key(&k1, &a, sizeof(a.in)), 0);
	assert_int_equal(udpflow_key(&k2, &b, sizeof(b.in)), 0);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	d.in6.sin6_flowinfo = htonl(99);
	assert_int_equal(udpflow_key(&k1, &c, sizeof(c.in6)), 0);
	assert_int_equal(udpflow_key(&k2, &d, sizeof(d.in6)), 0);
	assert_memory_equal(&k1, &k2, sizeof(k1));
	/* a short address or another family is refused */
	assert_int_equal(udpflow_key(&k1, &c, sizeof(c.in)), -EAFNOSUPPORT);
	a.sa.sa_family = AF_UNIX;
	assert_int_equal(udpflow_key(&k1, &a, sizeof(a)), -EAFNOSUPPORT);
}

static void test_lookup(void **state)
{
	struct udpflow_table t;
	struct udpflow f[3];
	union addr_sa k[4];
	union addr_sa a0 = v4(1000), a1 = v4(1001), a2 = v6("::1", 1000), a3 = v6("::2", 1000);

	(void)state;
	assert_int_equal(udpflow_init(&t, 16, 90 * SEC), 0);
	udpflow_key(&k[0], &a0, sizeof(a0.in));
	udpflow_key(&k[1], &a1, sizeof(a1.in));
	udpflow_key(&k[2], &a2, sizeof(a2.in6));
	udpflow_key(&k[3], &a3, sizeof(a3.in6));
	for (int i = 0; i < 3; i++) {
		assert_null(udpflow_lookup(&t, &k[i]));
		udpflow_insert(&t, &f[i], &k[i], 10 * SEC);
	}
	assert_int_equal(t.count, 3);
	for (int i = 0; i < 3; i++)
		assert_ptr_equal(udpflow_lookup(&t, &k[i]), &f[i]);
	assert_null(udpflow_lookup(&t, &k[3]));
	udpflow_remove(&t, &f[1]);
	assert_null(udpflow_lookup(&t, &k[1]));
	assert_ptr_equal(udpflow_lookup(&t, &k[0]), &f[0]);
	assert_ptr_equal(udpflow_lookup(&t, &k[2]), &f[2]);
	assert_int_equal(t.count, 2);
	udpflow_remove(&t, &f[0]);
	udpflow_remove(&t, &f[2]);
	assert_int_equal(t.count, 0);
	assert_null(udpflow_oldest(&t));
	assert_int_equal(udpflow_next_expiry(&t), 0);
	udpflow_fini(&t);
}

/* many flows in few buckets: chains must hold them all */
static void test_many(void **state)
{
	enum {
		N = 500
	};
	static struct udpflow f[N];
	struct udpflow_table t;
	union addr_sa k;

	(void)state;
	assert_int_equal(udpflow_init(&t, N, SEC), 0);
	for (int i = 0; i < N; i++) {
		union addr_sa a = v4((uint16_t)(2000 + i));

		udpflow_key(&k, &a, sizeof(a.in));
		udpflow_insert(&t, &f[i], &k, (uint64_t)i);
	}
	assert_true(udpflow_full(&t));
	for (int i = 0; i < N; i++) {
		union addr_sa a = v4((uint16_t)(2000 + i));

		udpflow_key(&k, &a, sizeof(a.in));
		assert_ptr_equal(udpflow_lookup(&t, &k), &f[i]);
	}
	for (int i = 0; i < N; i += 2)
		udpflow_remove(&t, &f[i]);
	assert_int_equal(t.count, N / 2);
	assert_false(udpflow_full(&t));
	assert_ptr_equal(udpflow_oldest(&t), &f[1]);
	udpflow_fini(&t);
}

static void test_expiry(void **state)
{
	struct udpflow_table t;
	struct udpflow f[3];
	union addr_sa k;

	(void)state;
	assert_int_equal(udpflow_init(&t, 2, 90 * SEC), 0);
	for (int i = 0; i < 2; i++) {
		union addr_sa a = v4((uint16_t)(3000 + i));

		udpflow_key(&k, &a, sizeof(a.in));
		udpflow_insert(&t, &f[i], &k, (uint64_t)(i + 1) * SEC);
	}
	/* full: the least recently used is the one to evict */
	assert_true(udpflow_full(&t));
	assert_ptr_equal(udpflow_oldest(&t), &f[0]);
	udpflow_touch(&t, &f[0], 5 * SEC);
	assert_ptr_equal(udpflow_oldest(&t), &f[1]);
	assert_int_equal(udpflow_next_expiry(&t), 92 * SEC);

	/* nothing expires before its idle time; the oldest first, then the next */
	assert_null(udpflow_expired(&t, 91 * SEC));
	assert_ptr_equal(udpflow_expired(&t, 92 * SEC), &f[1]);
	udpflow_remove(&t, &f[1]);
	assert_null(udpflow_expired(&t, 92 * SEC));
	assert_int_equal(udpflow_next_expiry(&t), 95 * SEC);
	/* traffic keeps a flow alive */
	udpflow_touch(&t, &f[0], 94 * SEC);
	assert_null(udpflow_expired(&t, 95 * SEC));
	assert_ptr_equal(udpflow_expired(&t, 184 * SEC), &f[0]);
	/* a clock before the last use (cannot happen, must not wrap) expires nothing */
	assert_null(udpflow_expired(&t, 1 * SEC));
	udpflow_remove(&t, &f[0]);
	assert_null(udpflow_expired(&t, 1000 * SEC));
	udpflow_fini(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_lookup),
		cmocka_unit_test(test_many),
		cmocka_unit_test(test_expiry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_srcroute.c - unit tests for the UDP client routes (counting) and whom srcip.c shows */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "srcip.h"
#include "srcroute.h"

/**
 * struct fake - what the fake netlink did
 * @adds:	routes added
 * @dels:	routes removed
 * @fail:	the next add fails with this (0: succeeds)
 * @last:	the last client added or removed
 * @last_src:	the source of the last route added
 */
struct fake {
	int adds;
	int dels;
	int fail;
	struct addr_ip last;
	struct addr_ip last_src;
};

static int fake_add(void *data, const struct addr_ip *client, const struct addr_ip *src)
{
	struct fake *f = data;

	if (f->fail)
		return f->fail;
	f->adds++;
	f->last = *client;
	f->last_src = *src;
	return 0;
}

static int fake_del(void *data, const struct addr_ip *client)
{
	struct fake *f = data;

	f->dels++;
	f->last = *client;
	return 0;
}

static struct addr_ip ip(const char *s)
{
	struct addr_ip a;

	assert_int_equal(addr_ip_parse(s, &a), 0);
	return a;
}

static void test_counting(void **state)
{
	struct fake f = {0};
	struct srcroute_ops ops = {fake_add, fake_del, &f};
	struct srcroute_table t;
	struct addr_ip c = ip("198.18.77.2"), lo = ip("127.0.0.1");

	(void)state;
	assert_int_equal(srcroute_init(&t, 4, &ops), 0);
	/* the first flow adds the route, the others count */
	assert_int_equal(srcroute_get(&t, &c, &lo), 0);
	assert_int_equal(srcroute_get(&t, &c, &lo), 0);
	assert_int_equal(srcroute_get(&t, &c, &lo), 0);
	assert_int_equal(f.adds, 1);
	assert_true(addr_ip_equal(&f.last, &c));
	assert_true(addr_ip_equal(&f.last_src, &lo));
	assert_int_equal(srcroute_refs(&t, &c), 3);
	assert_int_equal(t.count, 1);
	/* the last one removes it */
	srcroute_put(&t, &c);
	srcroute_put(&t, &c);
	assert_int_equal(f.dels, 0);
	srcroute_put(&t, &c);
	assert_int_equal(f.dels, 1);
	assert_int_equal(srcroute_refs(&t, &c), 0);
	assert_int_equal(t.count, 0);
	/* an unknown client is ignored */
	srcroute_put(&t, &c);
	assert_int_equal(f.dels, 1);
	srcroute_fini(&t);
}

/* one route has one source: a second target address for the same client is refused */
static void test_other_source(void **state)
{
	struct fake f = {0};
	struct srcroute_ops ops = {fake_add, fake_del, &f};
	struct srcroute_table t;
	struct addr_ip c = ip("198.18.77.2"), lo = ip("127.0.0.1"), tap = ip("10.0.2.100");
	struct addr_ip c6 = ip("2001:db8::2"), lo6 = ip("::1");

	(void)state;
	assert_int_equal(srcroute_init(&t, 4, &ops), 0);
	assert_int_equal(srcroute_get(&t, &c, &lo), 0);
	assert_int_equal(srcroute_get(&t, &c, &tap), -EBUSY);
	assert_int_equal(srcroute_refs(&t, &c), 1);
	/* mixed families are refused; each family's clients are their own */
	assert_int_equal(srcroute_get(&t, &c, &lo6), -EINVAL);
	assert_int_equal(srcroute_get(&t, &c6, &lo6), 0);
	assert_int_equal(f.adds, 2);
	/* once the first target's flows are gone, the other can have the client */
	srcroute_put(&t, &c);
	assert_int_equal(srcroute_get(&t, &c, &tap), 0);
	assert_true(addr_ip_equal(&f.last_src, &tap));
	/* what is left is removed at the end */
	srcroute_fini(&t);
	assert_int_equal(f.dels, 3);
}

/* bounded; a failed add leaves no entry */
static void test_bounds(void **state)
{
	struct fake f = {0};
	struct srcroute_ops ops = {fake_add, fake_del, &f};
	struct srcroute_table t;
	struct addr_ip lo = ip("127.0.0.1");
	char s[32];

	(void)state;
	assert_int_equal(srcroute_init(&t, 0, &ops), -EINVAL);
	assert_int_equal(srcroute_init(&t, 100, &ops), 0);
	for (int i = 0; i < 100; i++) {
		struct addr_ip c;

		snprintf(s, sizeof(s), "198.18.%d.%d", i / 250, i % 250 + 1);
		c = ip(s);
		assert_int_equal(srcroute_get(&t, &c, &lo), 0);
	}
	{
		struct addr_ip c = ip("198.18.200.1"), known = ip("198.18.0.1");

		assert_int_equal(srcroute_get(&t, &c, &lo), -ENOSPC);
		/* a client that has its route still gets another reference */
		assert_int_equal(srcroute_get(&t, &known, &lo), 0);
		assert_int_equal(srcroute_refs(&t, &known), 2);
	}
	srcroute_fini(&t);
	assert_int_equal(f.dels, 100);

	assert_int_equal(srcroute_init(&t, 4, &ops), 0);
	f.fail = -EPERM;
	{
		struct addr_ip c = ip("198.18.77.9");

		assert_int_equal(srcroute_get(&t, &c, &lo), -EPERM);
		assert_int_equal(srcroute_refs(&t, &c), 0);
		assert_int_equal(t.count, 0);
		f.fail = 0;
		assert_int_equal(srcroute_get(&t, &c, &lo), 0);
	}
	srcroute_fini(&t);
}

static union addr_sa sa(const char *s, int port)
{
	struct addr_ip a = ip(s);
	union addr_sa u;

	addr_sa_set(&u, &a, port);
	return u;
}

/* whom srcip.c can show as themselves */
static void test_eligible(void **state)
{
	union addr_sa lo4 = sa("127.0.0.1", 80), lo6 = sa("::1", 80), tap = sa("10.0.2.100", 80);
	struct addr_ip c;

	(void)state;
	c = ip("198.18.77.2");
	assert_true(srcip_client_eligible(&c, &lo4));
	assert_true(srcip_client_eligible(&c, &tap));
	/* an IPv4 client cannot have its address on an IPv6 socket, nor the other way */
	assert_false(srcip_client_eligible(&c, &lo6));
	c = ip("2001:db8::2");
	assert_true(srcip_client_eligible(&c, &lo6));
	assert_false(srcip_client_eligible(&c, &lo4));
	/* loopback would be the namespace's own; link-local has a host interface's scope */
	c = ip("127.0.0.1");
	assert_false(srcip_client_eligible(&c, &lo4));
	c = ip("127.3.4.5");
	assert_false(srcip_client_eligible(&c, &lo4));
	c = ip("::1");
	assert_false(srcip_client_eligible(&c, &lo6));
	c = ip("fe80::1");
	assert_false(srcip_client_eligible(&c, &lo6));
	c = ip("0.0.0.0");
	assert_false(srcip_client_eligible(&c, &lo4));
	/* IPv4-mapped: addr_ip keeps it as IPv4, as a dual-stack listener's peer */
	c = ip("::ffff:198.18.77.2");
	assert_int_equal(c.family, AF_INET);
	assert_true(srcip_client_eligible(&c, &lo4));
	c = ip("::ffff:127.0.0.1");
	assert_false(srcip_client_eligible(&c, &lo4));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counting),
		cmocka_unit_test(test_other_source),
		cmocka_unit_test(test_bounds),
		cmocka_unit_test(test_eligible),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_topo.c - unit tests for --cidr parsing and the derived addresses */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>

#include "topo.h"

static const char *ntoa(struct in_addr a)
{
	static char buf[4][INET_ADDRSTRLEN];
	static int i;

	i = (i + 1) % 4;
	return inet_ntop(AF_INET, &a, buf[i], sizeof(buf[i]));
}

static void test_default(void **state)
{
	struct in_addr net;
	unsigned int prefix;
	struct topo t;
	char b6[INET6_ADDRSTRLEN];

	(void)state;
	assert_int_equal(topo_parse_cidr("10.0.2.0/24", &net, &prefix), 0);
	assert_int_equal(prefix, 24);
	assert_int_equal(topo_from_cidr(net, prefix, &t), 0);
	assert_string_equal(ntoa(t.gw), "10.0.2.2");
	assert_string_equal(ntoa(t.dns), "10.0.2.3");
	assert_string_equal(ntoa(t.guest), "10.0.2.100");
	assert_string_equal(ntoa(t.dhcp), "10.0.2.15");
	assert_string_equal(ntoa(t.mask), "255.255.255.0");
	assert_string_equal(inet_ntop(AF_INET6, &t.guest6, b6, sizeof(b6)), "fd00::100");
	assert_string_equal(inet_ntop(AF_INET6, &t.dns6, b6, sizeof(b6)), "fd00::3");
}

static void test_host_bits_cleared(void **state)
{
	struct in_addr net;
	unsigned int prefix;
	struct topo t;

	(void)state;
	assert_int_equal(topo_parse_cidr("10.8.7.99/16", &net, &prefix), 0);
	assert_string_equal(ntoa(net), "10.8.0.0");
	assert_int_equal(topo_from_cidr(net, prefix, &t), 0);
	assert_string_equal(ntoa(t.guest), "10.8.0.100");
}

static void test_invalid(void **state)
{
	struct in_addr net;
	unsigned int prefix;
	static const char *const bad[] = {
		"10.0.2.0",  "10.0.2.0/",    "10.0.2.0/33", "10.0.2.0/0",  "10.0.2/24",
		"fd00::/64", "10.0.2.0/24x", "/24",	    "10.0.2.0/-1", "300.0.0.0/24",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(topo_parse_cidr(bad[i], &net, &prefix), -EINVAL);
	/* a /26 cannot hold .100 */
	assert_int_equal(topo_parse_cidr("10.0.2.0/26", &net, &prefix), 0);
	assert_int_equal(topo_from_cidr(net, prefix, &(struct topo){0}), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_host_bits_cleared),
		cmocka_unit_test(test_invalid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

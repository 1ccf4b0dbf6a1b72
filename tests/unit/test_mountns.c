/* test_mountns.c - unit tests for the resolv.conf the namespace gets, from the derived addresses */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cli.h"
#include "conf.h"
#include "mountns.h"
#include "topo.h"

static void test_slirp_default(void **state)
{
	struct conf c = {.net = CONF_NET_SLIRP4NETNS};
	struct cli_result res;
	char buf[256];

	(void)state;
	assert_int_equal(topo_parse_cidr("10.0.2.0/24", &c.cidr, &c.cidr_prefix), 0);
	assert_int_equal(conf_derive(&c, &res), 0);
	assert_int_equal(mountns_resolv_conf(&c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "nameserver 10.0.2.3\n");
	c.ipv6 = true;
	assert_int_equal(mountns_resolv_conf(&c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "nameserver 10.0.2.3\nnameserver fd00::3\n");
	conf_free(&c);
}

static void test_slirp_cidr(void **state)
{
	struct conf c = {.net = CONF_NET_SLIRP4NETNS};
	struct cli_result res;
	char buf[256];

	(void)state;
	assert_int_equal(topo_parse_cidr("10.8.0.0/16", &c.cidr, &c.cidr_prefix), 0);
	assert_int_equal(conf_derive(&c, &res), 0);
	assert_int_equal(mountns_resolv_conf(&c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "nameserver 10.8.0.3\n");
	conf_free(&c);
}

static void test_none_is_empty(void **state)
{
	struct conf c = {.net = CONF_NET_NONE};
	char buf[256] = "junk";

	(void)state;
	assert_int_equal(mountns_resolv_conf(&c, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slirp_default),
		cmocka_unit_test(test_slirp_cidr),
		cmocka_unit_test(test_none_is_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

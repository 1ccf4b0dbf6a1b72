/* test_dproxy.c - unit tests for rootlessnet-docker-proxy's flags and API proto choice */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "dproxy.h"
#include "error.h"
#include "errtext.h"

static void test_args_as_dockerd_passes_them(void **state)
{
	char *argv[] = {"p",	      "-proto",		 "tcp",	 "-host-ip",
			"::",	      "-host-port",	 "8080", "-container-ip",
			"172.17.0.2", "-container-port", "80"};
	struct dproxy_args a;
	char err[128];

	(void)state;
	assert_int_equal(t_parse_args(11, argv, &a, err, sizeof(err)), 0);
	assert_string_equal(a.proto, "tcp");
	assert_string_equal(a.host_ip, "::");
	assert_int_equal(a.host_port, 8080);
	assert_string_equal(a.container_ip, "172.17.0.2");
	assert_int_equal(a.container_port, 80);
}

static void test_args_go_forms(void **state)
{
	char *argv[] = {"p", "--proto=udp", "-host-port=53", "--container-port", "5353"};
	struct dproxy_args a;
	char err[128];

	(void)state;
	assert_int_equal(t_parse_args(5, argv, &a, err, sizeof(err)), 0);
	assert_string_equal(a.proto, "udp");
	assert_int_equal(a.host_port, 53);
	assert_int_equal(a.container_port, 5353);
	assert_string_equal(a.host_ip, "");
}

static void test_args_bad(void **state)
{
	char *unknown[] = {"p", "-bogus", "1"};
	char *noval[] = {"p", "-host-port"};
	char *badint[] = {"p", "-host-port", "80x"};
	char *positional[] = {"p", "extra"};
	struct dproxy_args a;
	char err[128];

	(void)state;
	assert_int_equal(t_parse_args(3, unknown, &a, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "flag provided but not defined: -bogus");
	assert_int_equal(t_parse_args(2, noval, &a, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "flag needs an argument: -host-port");
	assert_int_equal(t_parse_args(3, badint, &a, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "invalid value \"80x\" for flag -host-port");
	assert_int_equal(t_parse_args(2, positional, &a, err, sizeof(err)), -EINVAL);
}

static void test_api_proto(void **state)
{
	char out[16];

	(void)state;
	assert_int_equal(dproxy_api_proto("tcp", "0.0.0.0", out, sizeof(out)), 0);
	assert_string_equal(out, "tcp4");
	assert_int_equal(dproxy_api_proto("tcp", "::", out, sizeof(out)), 0);
	assert_string_equal(out, "tcp6");
	assert_int_equal(dproxy_api_proto("udp", "::1", out, sizeof(out)), 0);
	assert_string_equal(out, "udp6");
	/* IPv4-mapped is IPv4, as Go's To4() says; an empty host IP is IPv4 too */
	assert_int_equal(dproxy_api_proto("tcp", "::ffff:127.0.0.1", out, sizeof(out)), 0);
	assert_string_equal(out, "tcp4");
	assert_int_equal(dproxy_api_proto("tcp", "", out, sizeof(out)), 0);
	assert_string_equal(out, "tcp4");
	/* an explicit family is kept */
	assert_int_equal(dproxy_api_proto("tcp6", "0.0.0.0", out, sizeof(out)), 0);
	assert_string_equal(out, "tcp6");
	assert_int_equal(dproxy_api_proto("tcp", "::", out, 4), -ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args_as_dockerd_passes_them),
		cmocka_unit_test(test_args_go_forms),
		cmocka_unit_test(test_args_bad),
		cmocka_unit_test(test_api_proto),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

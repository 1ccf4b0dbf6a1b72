/* test_pasta.c - unit tests for pasta's command line, as rootlesskit 3 builds it */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "pasta.h"

/* parse a NULL-terminated list of arguments (without argv[0]) */
#define PARSE(c, res, ...)                                                                         \
	({                                                                                         \
		char *args_[] = {"rootlessnet", __VA_ARGS__, NULL};                                \
		conf_parse((int)(sizeof(args_) / sizeof(args_[0])) - 1, args_, (c), (res));        \
	})

/**
 * joined() - pasta's arguments joined by blanks
 * @a:		command line
 * @buf:	where
 * @len:	its size
 *
 * Return: @buf
 */
static char *joined(const struct pasta_argv *a, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; a->argv[i] && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", a->argv[i]);
	return buf;
}

/* rootlesskit 3's attached invocation, port driver none, plus ours: --foreground --quiet */
static void test_args_defaults(void **state)
{
	struct conf c;
	struct cli_result res;
	struct pasta_argv a;
	char buf[PASTA_ARGBUF];

	(void)state;
	assert_int_equal(PARSE(&c, &res, "--net=pasta", "x"), 0);
	assert_int_equal(pasta_args(&c, false, 4242, NULL, &a), 0);
	assert_string_equal(joined(&a, buf, sizeof(buf)),
			    "pasta --stderr --ns-ifname=tap0 --mtu=65520 --config-net "
			    "--address=10.0.2.100 --netmask=24 --gateway=10.0.2.2 "
			    "--dns-forward=10.0.2.3 --ipv4-only --tcp-ports=none --udp-ports=none "
			    "--foreground --quiet 4242");
	conf_free(&c);
}

/* implicit, --cidr, --ifname, --mtu, --ipv6, --disable-host-loopback, --debug, the feature,
 * --detach-netns */
static void test_args_flags(void **state)
{
	struct conf c;
	struct cli_result res;
	struct pasta_argv a;
	char buf[PASTA_ARGBUF];

	(void)state;
	assert_int_equal(PARSE(&c, &res, "--net=pasta", "--port-driver=implicit",
			       "--cidr=10.0.5.0/25", "--ifname=eth7", "--mtu=1500", "--ipv6",
			       "--disable-host-loopback", "--debug", "--pasta-binary=/opt/pasta",
			       "x"),
			 0);
	assert_int_equal(pasta_args(&c, true, 7, "/proc/7/root/sd/netns", &a), 0);
	assert_string_equal(joined(&a, buf, sizeof(buf)),
			    "/opt/pasta --stderr --ns-ifname=eth7 --mtu=1500 --config-net "
			    "--address=10.0.5.100 --netmask=25 --gateway=10.0.5.2 "
			    "--dns-forward=10.0.5.3 --no-map-gw --tcp-ports=auto --udp-ports=auto "
			    "--host-lo-to-ns-lo --foreground --userns=/proc/7/ns/user "
			    "--netns=/proc/7/root/sd/netns");
	conf_free(&c);
}

/* a binary path too long for the buffer: -E2BIG, not a cut command line */
static void test_args_too_long(void **state)
{
	static char path[PASTA_ARGBUF + 2];
	struct conf c;
	struct cli_result res;
	struct pasta_argv a;
	char flag[sizeof(path) + 32];

	(void)state;
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	snprintf(flag, sizeof(flag), "--pasta-binary=%s", path);
	assert_int_equal(PARSE(&c, &res, "--net=pasta", flag, "x"), 0);
	assert_int_equal(pasta_args(&c, false, 1, NULL, &a), -E2BIG);
	conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_args_defaults),
		cmocka_unit_test(test_args_flags),
		cmocka_unit_test(test_args_too_long),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

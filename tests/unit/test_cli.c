/* test_cli.c - unit tests for the rootlesskit-compatible command line */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "cli.h"
#include "conf.h"

/* parse a NULL-terminated list of arguments (without argv[0]) */
#define PARSE(c, res, ...)                                                                         \
	({                                                                                         \
		char *args_[] = {"rootlessnet", __VA_ARGS__, NULL};                                \
		conf_parse((int)(sizeof(args_) / sizeof(args_[0])) - 1, args_, (c), (res));        \
	})

static void expect_error(const char *want, int ret, struct conf *c, struct cli_result *res)
{
	char msg[ERROR_MSGLEN];

	assert_int_equal(ret, -EINVAL);
	assert_int_equal(res->err.errnum, EINVAL);
	if (!strstr(error_str(&res->err, msg, sizeof(msg)), want))
		fail_msg("error \"%s\" does not contain \"%s\"", msg, want);
	conf_free(c);
}

static void test_defaults(void **state)
{
	struct conf c;
	struct cli_result res;
	char a[INET_ADDRSTRLEN];

	(void)state;
	assert_int_equal(PARSE(&c, &res, "true"), 0);
	assert_int_equal(res.action, CLI_RUN);
	assert_int_equal(c.net, CONF_NET_HOST);
	assert_int_equal(c.port_driver, CONF_PORT_NONE);
	assert_string_equal(c.propagation, "rprivate");
	assert_int_equal(c.reaper, CONF_AUTO);
	assert_false(c.reaper_on);
	assert_int_equal(c.subid_source, CONF_SUBID_AUTO);
	assert_string_equal(c.ifname, "tap0");
	assert_false(c.ifname_given);
	assert_false(c.cidr_given);
	assert_string_equal(inet_ntop(AF_INET, &c.cidr, a, sizeof(a)), "10.0.2.0");
	assert_int_equal(c.cidr_prefix, 24);
	assert_int_equal(c.mtu, 0);
	assert_true(c.source_ip_transparent); /* rootlesskit 3's default */
	assert_null(c.state_dir);
	assert_int_equal(c.argc, 1);
	assert_string_equal(c.argv[0], "true");
	assert_null(c.argv[1]);
	conf_free(&c);
}

static void test_value_syntax(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	/* --flag=value, --flag value, -flag value, booleans with and without =BOOL */
	assert_int_equal(PARSE(&c, &res, "--net=none", "--state-dir", "/tmp/x", "-propagation",
			       "rslave", "--pidns", "--utsns=true", "--ipcns=false", "-cgroupns=1",
			       "sh", "-c", "exit 0"),
			 0);
	assert_int_equal(c.net, CONF_NET_NONE);
	assert_string_equal(c.state_dir, "/tmp/x");
	assert_true(c.state_dir_given);
	assert_string_equal(c.propagation, "rslave");
	assert_true(c.pidns);
	assert_true(c.utsns);
	assert_false(c.ipcns);
	assert_true(c.cgroupns);
	assert_true(c.reaper_on); /* auto follows --pidns */
	assert_int_equal(c.argc, 3);
	assert_string_equal(c.argv[2], "exit 0");
	conf_free(&c);
}

/* --source-ip-transparent defaults to true; =false turns it off, as in rootlesskit 3 */
static void test_source_ip_transparent(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	assert_int_equal(PARSE(&c, &res, "--net=none", "--port-driver=builtin", "true"), 0);
	assert_true(c.source_ip_transparent);
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "--net=none", "--port-driver=builtin",
			       "--source-ip-transparent=false", "true"),
			 0);
	assert_false(c.source_ip_transparent);
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "--source-ip-transparent", "--net=none", "true"), 0);
	assert_true(c.source_ip_transparent);
	conf_free(&c);
	expect_error("invalid boolean value \"maybe\" for flag --source-ip-transparent",
		     PARSE(&c, &res, "--source-ip-transparent=maybe", "true"), &c, &res);
}

static void test_bool_takes_no_argument(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	/* a boolean never eats the next argument: "false" is the command */
	assert_int_equal(PARSE(&c, &res, "--pidns", "false"), 0);
	assert_true(c.pidns);
	assert_string_equal(c.argv[0], "false");
	conf_free(&c);
}

static void test_flags_end(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	/* flags end at the first positional argument */
	assert_int_equal(PARSE(&c, &res, "--debug", "echo", "--pidns", "-p", "1:2"), 0);
	assert_true(c.debug);
	assert_false(c.pidns);
	assert_int_equal(c.n_publish, 0);
	assert_int_equal(c.argc, 4);
	assert_string_equal(c.argv[1], "--pidns");
	conf_free(&c);

	/* and at "--", which is not part of the command */
	assert_int_equal(PARSE(&c, &res, "--utsns", "--", "--pidns"), 0);
	assert_true(c.utsns);
	assert_false(c.pidns);
	assert_int_equal(c.argc, 1);
	assert_string_equal(c.argv[0], "--pidns");
	conf_free(&c);

	/* a lone "-" is an argument */
	assert_int_equal(PARSE(&c, &res, "-", "x"), 0);
	assert_string_equal(c.argv[0], "-");
	conf_free(&c);
}

static void test_slices(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	assert_int_equal(PARSE(&c, &res, "--copy-up=/etc", "--copy-up", "/run",
			       "--copy-up=/var/lib,/opt", "--net=none", "--port-driver=builtin",
			       "-p", "127.0.0.1:8080:80/tcp", "--publish=8443:443", "true"),
			 0);
	assert_int_equal(c.n_copy_up, 4);
	assert_string_equal(c.copy_up[0], "/etc");
	assert_string_equal(c.copy_up[1], "/run");
	assert_string_equal(c.copy_up[2], "/var/lib");
	assert_string_equal(c.copy_up[3], "/opt");
	assert_null(c.copy_up[4]);
	assert_int_equal(c.port_driver, CONF_PORT_BUILTIN);
	assert_int_equal(c.n_publish, 2);
	assert_string_equal(c.publish[0], "127.0.0.1:8080:80/tcp");
	assert_string_equal(c.publish[1], "8443:443");
	conf_free(&c);
}

static void test_slirp4netns(void **state)
{
	struct conf c;
	struct cli_result res;
	char a[INET_ADDRSTRLEN];

	(void)state;
	assert_int_equal(PARSE(&c, &res, "--net=slirp4netns", "--port-driver=slirp4netns",
			       "--cidr=10.8.0.0/16", "--ifname=eth7", "--disable-host-loopback",
			       "--slirp4netns-sandbox=auto", "--slirp4netns-seccomp=true", "--ipv6",
			       "true"),
			 0);
	assert_int_equal(c.net, CONF_NET_SLIRP4NETNS);
	assert_int_equal(c.port_driver, CONF_PORT_SLIRP4NETNS);
	assert_int_equal(c.mtu, 65520);
	assert_true(c.cidr_given);
	assert_string_equal(inet_ntop(AF_INET, &c.cidr, a, sizeof(a)), "10.8.0.0");
	assert_int_equal(c.cidr_prefix, 16);
	assert_string_equal(c.ifname, "eth7");
	assert_true(c.disable_host_loopback);
	assert_true(c.ipv6);
	assert_int_equal(c.sandbox, CONF_AUTO);
	assert_int_equal(c.seccomp, CONF_TRUE);
	conf_free(&c);

	assert_int_equal(PARSE(&c, &res, "--net=slirp4netns", "--mtu=1500", "true"), 0);
	assert_int_equal(c.mtu, 1500);
	assert_int_equal(c.sandbox, CONF_FALSE);
	conf_free(&c);
}

static void test_actions(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	assert_int_equal(PARSE(&c, &res, "--help"), 0);
	assert_int_equal(res.action, CLI_HELP);
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "-h"), 0);
	assert_int_equal(res.action, CLI_HELP);
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "--version"), 0);
	assert_int_equal(res.action, CLI_VERSION);
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "-v"), 0);
	assert_int_equal(res.action, CLI_VERSION);
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "--print-semver=major"), 0);
	assert_int_equal(res.action, CLI_SEMVER);
	assert_int_equal(res.semver, 3);
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "--print-semver", "minor"), 0);
	assert_int_equal(res.semver, 1);
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "--print-semver=patch"), 0);
	assert_int_equal(res.semver, 0);
	conf_free(&c);
	expect_error("--print-semver=(major|minor|patch)", PARSE(&c, &res, "--print-semver=micro"),
		     &c, &res);
}

static void test_syntax_errors(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	expect_error("no command specified", PARSE(&c, &res, "--pidns"), &c, &res);
	expect_error("the command is an empty string", PARSE(&c, &res, ""), &c, &res);
	expect_error("the command is an empty string", PARSE(&c, &res, "--pidns", "--", "", "x"),
		     &c, &res);
	expect_error("flag provided but not defined: -nosuch", PARSE(&c, &res, "--nosuch", "x"), &c,
		     &res);
	expect_error("flag needs an argument: --net", PARSE(&c, &res, "--net"), &c, &res);
	expect_error("invalid boolean value \"yes\" for flag --pidns",
		     PARSE(&c, &res, "--pidns=yes", "x"), &c, &res);
	expect_error("bad flag syntax", PARSE(&c, &res, "---net=host", "x"), &c, &res);
	expect_error("--mtu", PARSE(&c, &res, "--mtu=abc", "x"), &c, &res);
	/* Go's ParseInt takes no blanks; an overflow is a number out of range */
	expect_error("for flag --mtu: not a number", PARSE(&c, &res, "--mtu= 1500", "x"), &c, &res);
	expect_error("for flag --mtu: not a number", PARSE(&c, &res, "--mtu=\t1500", "x"), &c,
		     &res);
	expect_error("for flag --mtu: not a number", PARSE(&c, &res, "--mtu=1500 ", "x"), &c, &res);
	expect_error("for flag --mtu: out of range",
		     PARSE(&c, &res, "--mtu=99999999999999999999", "x"), &c, &res);
	assert_int_equal(PARSE(&c, &res, "--net=slirp4netns", "--mtu=0x5dc", "x"), 0);
	assert_int_equal(c.mtu, 1500);
	conf_free(&c);
}

/* argc 0 (an empty argv from execve() before Linux 5.18): no command, not a command count of -1 */
static void test_empty_argv(void **state)
{
	char *argv[] = {NULL};
	struct cli_result res;
	struct conf c;

	(void)state;
	expect_error("no command specified", conf_parse(0, argv, &c, &res), &c, &res);
}

static void test_validation(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	expect_error("--evacuate-cgroup2 needs --cgroupns",
		     PARSE(&c, &res, "--evacuate-cgroup2=ev", "--pidns", "x"), &c, &res);
	expect_error("--evacuate-cgroup2 needs --pidns",
		     PARSE(&c, &res, "--evacuate-cgroup2=ev", "--cgroupns", "x"), &c, &res);
	expect_error("without \"/\"",
		     PARSE(&c, &res, "--evacuate-cgroup2=a/b", "--cgroupns", "--pidns", "x"), &c,
		     &res);
	expect_error("--mtu must be between 0 and 65521",
		     PARSE(&c, &res, "--net=slirp4netns", "--mtu=65522", "x"), &c, &res);
	expect_error("--mtu must be between 0 and 65521", PARSE(&c, &res, "--mtu=-1", "x"), &c,
		     &res);
	expect_error("not a host address",
		     PARSE(&c, &res, "--net=slirp4netns", "--cidr=10.0.2.100/24", "x"), &c, &res);
	expect_error("--cidr=224.0.0.0/24: a multicast network",
		     PARSE(&c, &res, "--net=slirp4netns", "--cidr=224.0.0.0/24", "x"), &c, &res);
	expect_error("--cidr=239.255.0.0/16: a multicast network",
		     PARSE(&c, &res, "--net=slirp4netns", "--cidr=239.255.0.0/16", "x"), &c, &res);
	expect_error("--cidr=224.0.0.0/3: a multicast network",
		     PARSE(&c, &res, "--net=slirp4netns", "--cidr=224.0.0.0/3", "x"), &c, &res);
	assert_int_equal(PARSE(&c, &res, "--net=slirp4netns", "--cidr=223.255.255.0/24", "x"), 0);
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "--net=slirp4netns", "--cidr=240.0.0.0/24", "x"), 0);
	conf_free(&c);
	expect_error("--cidr cannot be used with --net=host",
		     PARSE(&c, &res, "--cidr=10.0.3.0/24", "x"), &c, &res);
	expect_error("--ifname cannot be used with --net=none",
		     PARSE(&c, &res, "--net=none", "--ifname=eth0", "x"), &c, &res);
	expect_error("--ifname must not contain \"/\"",
		     PARSE(&c, &res, "--net=slirp4netns", "--ifname=a/b", "x"), &c, &res);
	/* what the kernel's dev_valid_name() refuses, and the namespace's lo */
	expect_error("--ifname=a b: not a valid interface name",
		     PARSE(&c, &res, "--net=slirp4netns", "--ifname=a b", "x"), &c, &res);
	expect_error("--ifname=a\tb: not a valid interface name",
		     PARSE(&c, &res, "--net=slirp4netns", "--ifname=a\tb", "x"), &c, &res);
	expect_error("--ifname=eth0:1: not a valid interface name",
		     PARSE(&c, &res, "--net=slirp4netns", "--ifname=eth0:1", "x"), &c, &res);
	expect_error("--ifname=.: not a valid interface name",
		     PARSE(&c, &res, "--net=slirp4netns", "--ifname=.", "x"), &c, &res);
	expect_error("--ifname=..: not a valid interface name",
		     PARSE(&c, &res, "--net=slirp4netns", "--ifname=..", "x"), &c, &res);
	expect_error("--ifname=lo: the namespace's loopback",
		     PARSE(&c, &res, "--net=slirp4netns", "--ifname=lo", "x"), &c, &res);
	assert_int_equal(PARSE(&c, &res, "--net=slirp4netns", "--ifname=...", "x"), 0);
	assert_string_equal(c.ifname, "...");
	conf_free(&c);
	assert_int_equal(PARSE(&c, &res, "--net=slirp4netns", "--ifname=eth-0.1_x", "x"), 0);
	conf_free(&c);
	expect_error("--net=none needs --port-driver=none or --port-driver=builtin",
		     PARSE(&c, &res, "--net=none", "--port-driver=slirp4netns", "x"), &c, &res);
	expect_error("--port-driver=slirp4netns needs --net=slirp4netns",
		     PARSE(&c, &res, "--port-driver=slirp4netns", "x"), &c, &res);
	expect_error("--port-driver=builtin needs a network namespace",
		     PARSE(&c, &res, "--port-driver=builtin", "x"), &c, &res);
	expect_error("--publish needs a port driver",
		     PARSE(&c, &res, "--net=none", "-p", "8080:80", "x"), &c, &res);
	expect_error("--publish: ",
		     PARSE(&c, &res, "--net=none", "--port-driver=builtin", "-p",
			   "127.0.0.1:99999:80/tcp", "x"),
		     &c, &res);
	expect_error(
		"--publish: ",
		PARSE(&c, &res, "--net=none", "--port-driver=builtin", "-p", "8080:80/sctp", "x"),
		&c, &res);
	expect_error("unknown port driver", PARSE(&c, &res, "--port-driver=magic", "x"), &c, &res);
	expect_error("unknown network driver", PARSE(&c, &res, "--net=magic", "x"), &c, &res);
	expect_error("--slirp4netns-sandbox=maybe",
		     PARSE(&c, &res, "--net=slirp4netns", "--slirp4netns-sandbox=maybe", "x"), &c,
		     &res);
	expect_error("conflicts with --detach-netns",
		     PARSE(&c, &res, "--net=slirp4netns", "--slirp4netns-sandbox=true",
			   "--detach-netns", "x"),
		     &c, &res);
	expect_error("--reaper=true needs --pidns", PARSE(&c, &res, "--reaper=true", "x"), &c,
		     &res);
	expect_error("--reaper=sometimes", PARSE(&c, &res, "--reaper=sometimes", "x"), &c, &res);
	expect_error("--propagation=rshared cannot be used with --copy-up",
		     PARSE(&c, &res, "--propagation=rshared", "--copy-up=/etc", "x"), &c, &res);
	expect_error("--propagation=bogus", PARSE(&c, &res, "--propagation=bogus", "x"), &c, &res);
	expect_error("tmpfs+symlink", PARSE(&c, &res, "--copy-up-mode=overlayfs", "x"), &c, &res);
	expect_error("give an absolute path", PARSE(&c, &res, "--copy-up=etc", "x"), &c, &res);
	expect_error("--subid-source=ldap", PARSE(&c, &res, "--subid-source=ldap", "x"), &c, &res);
}

/* a value of N bytes of character C, then SUFFIX (static storage, one at a time) */
static char *long_value(const char *prefix, char ch, size_t n, const char *suffix)
{
	static char buf[110000];
	size_t lp = strlen(prefix);

	assert_true(lp + n + strlen(suffix) < sizeof(buf));
	memcpy(buf, prefix, lp);
	memset(buf + lp, ch, n);
	strcpy(buf + lp + n, suffix);
	return buf;
}

static void test_long_values(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	/* the reason follows the quoted value: it must survive a value longer than the message */
	expect_error("want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT[/PROTO]",
		     PARSE(&c, &res, "--net=none", "--port-driver=builtin", "-p",
			   long_value("", '1', 100000, ""), "x"),
		     &c, &res);
	expect_error("is outside 1..65535",
		     PARSE(&c, &res, "--net=none", "--port-driver=builtin", "-p",
			   long_value("127.0.0.1:", '1', 100000, ":80/tcp"), "x"),
		     &c, &res);
	expect_error("is not an IP address",
		     PARSE(&c, &res, "--net=none", "--port-driver=builtin", "-p",
			   long_value("", 'a', 5000, ":8080:80/tcp"), "x"),
		     &c, &res);
	expect_error("want one of tcp, tcp4, tcp6, udp, udp4, udp6",
		     PARSE(&c, &res, "--net=none", "--port-driver=builtin", "-p",
			   long_value("127.0.0.1:8080:80/", 'x', 100000, ""), "x"),
		     &c, &res);
	expect_error("unknown network driver",
		     PARSE(&c, &res, long_value("--net=", 'n', 10000, ""), "x"), &c, &res);
	expect_error("for flag --mtu: out of range",
		     PARSE(&c, &res, long_value("--mtu=", '1', 100000, ""), "x"), &c, &res);
	expect_error("not an IPv4 network",
		     PARSE(&c, &res, "--net=slirp4netns",
			   long_value("--cidr=10.0.2.0/", '1', 100000, ""), "x"),
		     &c, &res);
	/* paths and names longer than the kernel takes: refused before anything starts */
	expect_error("too long: a path has at most 4095 bytes",
		     PARSE(&c, &res, long_value("--copy-up=/", 'c', 4095, ""), "x"), &c, &res);
	assert_int_equal(PARSE(&c, &res, long_value("--copy-up=/", 'c', 4094, ""), "x"), 0);
	conf_free(&c);
	expect_error("too long: a cgroup's name has at most 255 bytes",
		     PARSE(&c, &res, long_value("--evacuate-cgroup2=", 'e', 256, ""), "--pidns",
			   "--cgroupns", "x"),
		     &c, &res);
	assert_int_equal(PARSE(&c, &res, long_value("--evacuate-cgroup2=", 'e', 255, ""), "--pidns",
			       "--cgroupns", "x"),
			 0);
	conf_free(&c);
	/* the head stays too: the message still starts with what was given */
	expect_error("--publish: \"1111",
		     PARSE(&c, &res, "--net=none", "--port-driver=builtin", "-p",
			   long_value("", '1', 100000, ""), "x"),
		     &c, &res);
}

static void test_not_provided(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	expect_error("--net=vpnkit", PARSE(&c, &res, "--net", "vpnkit", "x"), &c, &res);
	expect_error("--net=lxc-user-nic", PARSE(&c, &res, "--net=lxc-user-nic", "x"), &c, &res);
	expect_error("--net=gvisor-tap-vsock", PARSE(&c, &res, "--net=gvisor-tap-vsock", "x"), &c,
		     &res);
	expect_error("--vpnkit-binary: the vpnkit network is not provided",
		     PARSE(&c, &res, "--vpnkit-binary=/bin/vpnkit", "x"), &c, &res);
	expect_error("--lxc-user-nic-binary", PARSE(&c, &res, "--lxc-user-nic-binary=/x", "x"), &c,
		     &res);
	expect_error("--lxc-user-nic-bridge", PARSE(&c, &res, "--lxc-user-nic-bridge=br0", "x"), &c,
		     &res);
	/* rootlesskit 3's drivers: refused with what to use, the launchers' variables too */
	expect_error(
		"--net=gvisor-tap-vsock: this network driver is not provided by rootlessnet: "
		"rootlesskit 3's embedded gVisor network",
		PARSE(&c, &res, "--net=gvisor-tap-vsock", "--port-driver=gvisor-tap-vsock", "x"),
		&c, &res);
	expect_error("DOCKERD_ROOTLESS_ROOTLESSKIT_NET=slirp4netns",
		     PARSE(&c, &res, "--net=gvisor-tap-vsock", "x"), &c, &res);
	expect_error("CONTAINERD_ROOTLESS_ROOTLESSKIT_NET=slirp4netns",
		     PARSE(&c, &res, "--net=vpnkit", "x"), &c, &res);
	expect_error("pesto) needs passt 2026_05_07 or later; use --port-driver=implicit",
		     PARSE(&c, &res, "--net=pasta", "--port-driver=pesto", "x"), &c, &res);
	expect_error("--port-driver=pesto: this port driver is not provided",
		     PARSE(&c, &res, "--net=slirp4netns", "--port-driver=pesto", "x"), &c, &res);
	expect_error("DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=builtin",
		     PARSE(&c, &res, "--net=slirp4netns", "--port-driver=pesto", "x"), &c, &res);
	expect_error("--port-driver=gvisor-tap-vsock: this port driver is not provided",
		     PARSE(&c, &res, "--net=slirp4netns", "--port-driver=gvisor-tap-vsock", "x"),
		     &c, &res);
	/* the built-in network makes the binary flag harmless: a warning, not an error */
	assert_int_equal(PARSE(&c, &res, "--net=slirp4netns", "--slirp4netns-binary=/x", "x"), 0);
	conf_free(&c);
}

/* --net=pasta: port drivers none and implicit only, --pasta-binary, pasta's MTU bound */
static void test_pasta(void **state)
{
	struct conf c;
	struct cli_result res;

	(void)state;
	assert_int_equal(PARSE(&c, &res, "--net=pasta", "x"), 0);
	assert_int_equal(c.net, CONF_NET_PASTA);
	assert_int_equal(c.port_driver, CONF_PORT_NONE);
	assert_string_equal(c.pasta_binary, "pasta");
	assert_int_equal(c.mtu, 65520);
	assert_string_equal(conf_net_name(c.net), "pasta");
	conf_free(&c);

	assert_int_equal(PARSE(&c, &res, "--net=pasta", "--port-driver=implicit",
			       "--pasta-binary=/opt/passt/pasta", "--mtu=1500", "--ipv6",
			       "--detach-netns", "x"),
			 0);
	assert_int_equal(c.port_driver, CONF_PORT_IMPLICIT);
	assert_string_equal(conf_port_driver_name(c.port_driver), "implicit");
	assert_string_equal(c.pasta_binary, "/opt/passt/pasta");
	assert_int_equal(c.mtu, 1500);
	assert_true(c.ipv6);
	assert_true(c.detach_netns);
	conf_free(&c);

	/* rootlesskit takes -p with implicit and publishes nothing: a warning says so */
	assert_int_equal(
		PARSE(&c, &res, "--net=pasta", "--port-driver=implicit", "-p", "8080:80/tcp", "x"),
		0);
	conf_free(&c);

	expect_error("--net=pasta needs --port-driver=none or --port-driver=implicit",
		     PARSE(&c, &res, "--net=pasta", "--port-driver=builtin", "x"), &c, &res);
	expect_error("--net=pasta needs --port-driver=none or --port-driver=implicit",
		     PARSE(&c, &res, "--net=pasta", "--port-driver=slirp4netns", "x"), &c, &res);
	expect_error("--port-driver=implicit needs --net=pasta",
		     PARSE(&c, &res, "--net=slirp4netns", "--port-driver=implicit", "x"), &c, &res);
	expect_error("--port-driver=implicit needs --net=pasta",
		     PARSE(&c, &res, "--port-driver=implicit", "x"), &c, &res);
	expect_error("--net=none needs --port-driver=none or --port-driver=builtin",
		     PARSE(&c, &res, "--net=none", "--port-driver=implicit", "x"), &c, &res);
	expect_error("--mtu=65521 is out of range for --net=pasta: use 68 to 65520",
		     PARSE(&c, &res, "--net=pasta", "--mtu=65521", "x"), &c, &res);
	expect_error("--mtu=1000 is too small for --ipv6",
		     PARSE(&c, &res, "--net=pasta", "--mtu=1000", "--ipv6", "x"), &c, &res);
}

/* --- conf_derive: the network's defaults and bounds --- */

static void test_resolve_defaults(void **state)
{
	struct conf c = {.net = CONF_NET_SLIRP4NETNS};
	struct cli_result res;
	char buf[INET6_ADDRSTRLEN];

	(void)state;
	assert_int_equal(conf_derive(&c, &res), 0);
	assert_int_equal(c.mtu, 65520);
	assert_string_equal(c.ifname, "tap0");
	assert_string_equal(inet_ntop(AF_INET, &c.topo.guest, buf, sizeof(buf)), "10.0.2.100");
	assert_string_equal(inet_ntop(AF_INET, &c.topo.gw, buf, sizeof(buf)), "10.0.2.2");
	assert_int_equal(c.topo.prefix, 24);
	assert_false(c.ipv6);
	conf_free(&c);
}

static void test_resolve_flags(void **state)
{
	struct conf c = {.net = CONF_NET_SLIRP4NETNS, .mtu = 1500, .ipv6 = true};
	struct cli_result res;
	char buf[INET_ADDRSTRLEN];

	(void)state;
	inet_pton(AF_INET, "192.168.7.0", &c.cidr);
	c.cidr_prefix = 25;
	snprintf(c.ifname, sizeof(c.ifname), "eth1");
	assert_int_equal(conf_derive(&c, &res), 0);
	assert_int_equal(c.mtu, 1500);
	assert_string_equal(c.ifname, "eth1");
	assert_true(c.ipv6);
	assert_string_equal(inet_ntop(AF_INET, &c.topo.guest, buf, sizeof(buf)), "192.168.7.100");
	assert_string_equal(inet_ntop(AF_INET, &c.topo.dns, buf, sizeof(buf)), "192.168.7.3");
	conf_free(&c);
}

static void test_resolve_mtu_bounds(void **state)
{
	struct conf c = {.net = CONF_NET_SLIRP4NETNS};
	struct cli_result res;

	(void)state;
	c.mtu = 65521;
	assert_int_equal(conf_derive(&c, &res), 0);
	assert_int_equal(c.mtu, 65521);
	c.mtu = 65522;
	assert_int_equal(conf_derive(&c, &res), -EINVAL);
	c.mtu = 67;
	assert_int_equal(conf_derive(&c, &res), -EINVAL);
	c.mtu = 68;
	assert_int_equal(conf_derive(&c, &res), 0);
	c.ipv6 = true;
	assert_int_equal(conf_derive(&c, &res), -EINVAL);
	c.mtu = 1280;
	assert_int_equal(conf_derive(&c, &res), 0);
	conf_free(&c);
}

static void test_resolve_small_cidr(void **state)
{
	struct conf c = {.net = CONF_NET_SLIRP4NETNS};
	struct cli_result res;

	(void)state;
	inet_pton(AF_INET, "10.9.0.0", &c.cidr);
	c.cidr_prefix = 26;
	assert_int_equal(conf_derive(&c, &res), -EINVAL);
	conf_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resolve_defaults),
		cmocka_unit_test(test_resolve_flags),
		cmocka_unit_test(test_resolve_mtu_bounds),
		cmocka_unit_test(test_resolve_small_cidr),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_value_syntax),
		cmocka_unit_test(test_source_ip_transparent),
		cmocka_unit_test(test_bool_takes_no_argument),
		cmocka_unit_test(test_flags_end),
		cmocka_unit_test(test_slices),
		cmocka_unit_test(test_slirp4netns),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_empty_argv),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_long_values),
		cmocka_unit_test(test_not_provided),
		cmocka_unit_test(test_pasta),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

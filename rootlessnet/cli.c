/* cli.c - rootlesskit-compatible command line: parsing into struct conf, validation, --help */
/**
 * DOC: Theory of operation
 *
 * rootlesskit v2 parses its flags with urfave/cli v2 on top of Go's flag package, and its
 * callers depend on that syntax: "--flag=value", "--flag value", "-flag" with one dash,
 * booleans as "--flag" or "--flag=true|false" (never taking the next argument), repeatable
 * slice flags whose values may also be comma-separated, "-p" for --publish, "--" ending the
 * flags, and flags ending at the first positional argument (the command). cli_parse()
 * follows the same rules from one table of flags, which also produces --help.
 *
 * Validation follows rootlesskit's createParentOpt()/createChildOpt() in the same order, so
 * the first error a user sees is the one rootlesskit would report. Networks, port drivers and
 * binaries of networks that rootlessnet does not provide are refused with a message naming
 * the flag and what to use instead; --slirp4netns-binary is accepted with a warning because
 * the slirp4netns network is built in (libslirp).
 *
 * cli_parse() never exits and prints only warnings: errors come back in &struct cli_result,
 * which keeps it testable.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "error.h"
#include "log.h"
#include "portspec.h"
#include "topo.h"
#include "util.h"

enum cli_type {
	CLI_BOOL,
	CLI_STRING,
	CLI_INT,
	CLI_SLICE
};

enum cli_id {
	F_DEBUG,
	F_PRINT_SEMVER,
	F_STATE_DIR,
	F_NET,
	F_PASTA_BINARY,
	F_SLIRP4NETNS_BINARY,
	F_SLIRP4NETNS_SANDBOX,
	F_SLIRP4NETNS_SECCOMP,
	F_VPNKIT_BINARY,
	F_LXC_USER_NIC_BINARY,
	F_LXC_USER_NIC_BRIDGE,
	F_MTU,
	F_CIDR,
	F_IFNAME,
	F_DISABLE_HOST_LOOPBACK,
	F_IPV6,
	F_COPY_UP,
	F_COPY_UP_MODE,
	F_PORT_DRIVER,
	F_PUBLISH,
	F_PIDNS,
	F_CGROUPNS,
	F_UTSNS,
	F_IPCNS,
	F_DETACH_NETNS,
	F_PROPAGATION,
	F_REAPER,
	F_EVACUATE_CGROUP2,
	F_SUBID_SOURCE,
	F_HELP,
	F_VERSION,
	F_COUNT,
};

/**
 * struct cli_flag - one flag of the table
 * @id:		what it sets
 * @type:	value type
 * @name:	long name
 * @alias:	one-letter alias, or NULL
 * @category:	--help section (rootlesskit's categories)
 * @usage:	--help text
 * @def:	default shown in --help, or NULL
 */
struct cli_flag {
	enum cli_id id;
	enum cli_type type;
	const char *name;
	const char *alias;
	const char *category;
	const char *usage;
	const char *def;
};

static const struct cli_flag cli_flags[] = {
	{F_DEBUG, CLI_BOOL, "debug", NULL, "Misc", "print debug messages", "false"},
	{F_PRINT_SEMVER, CLI_STRING, "print-semver", NULL, "Misc",
	 "print one component of the rootlesskit version we implement: major, minor or patch",
	 NULL},
	{F_STATE_DIR, CLI_STRING, "state-dir", NULL, "State",
	 "state directory (lock, child_pid, api.sock, netns); removed on exit", "a new temp dir"},
	{F_NET, CLI_STRING, "net", NULL, "Network",
	 "network: host, none or slirp4netns (built in, libslirp); pasta, vpnkit and "
	 "lxc-user-nic are not provided",
	 "host"},
	{F_PASTA_BINARY, CLI_STRING, "pasta-binary", NULL, "Network [pasta]",
	 "refused: the pasta network is not provided, use --net=slirp4netns", NULL},
	{F_SLIRP4NETNS_BINARY, CLI_STRING, "slirp4netns-binary", NULL, "Network [slirp4netns]",
	 "accepted and ignored with a warning: slirp4netns is built in (libslirp)", NULL},
	{F_SLIRP4NETNS_SANDBOX, CLI_STRING, "slirp4netns-sandbox", NULL, "Network [slirp4netns]",
	 "sandbox the user-mode network [auto, true, false]", "false"},
	{F_SLIRP4NETNS_SECCOMP, CLI_STRING, "slirp4netns-seccomp", NULL, "Network [slirp4netns]",
	 "seccomp filter for the user-mode network [auto, true, false]", "false"},
	{F_VPNKIT_BINARY, CLI_STRING, "vpnkit-binary", NULL, "Network [vpnkit]",
	 "refused: the vpnkit network is not provided, use --net=slirp4netns", NULL},
	{F_LXC_USER_NIC_BINARY, CLI_STRING, "lxc-user-nic-binary", NULL, "Network [lxc-user-nic]",
	 "refused: the lxc-user-nic network is not provided, use --net=slirp4netns", NULL},
	{F_LXC_USER_NIC_BRIDGE, CLI_STRING, "lxc-user-nic-bridge", NULL, "Network [lxc-user-nic]",
	 "refused: the lxc-user-nic network is not provided, use --net=slirp4netns", NULL},
	{F_MTU, CLI_INT, "mtu", NULL, "Network",
	 "MTU of the namespace's interface, at most 65521 (0: 65520 for slirp4netns)", "0"},
	{F_CIDR, CLI_STRING, "cidr", NULL, "Network",
	 "network of --net=slirp4netns (the namespace gets .100, DNS is .3)", "10.0.2.0/24"},
	{F_IFNAME, CLI_STRING, "ifname", NULL, "Network", "interface name in the namespace",
	 "tap0"},
	{F_DISABLE_HOST_LOOPBACK, CLI_BOOL, "disable-host-loopback", NULL, "Network",
	 "forbid connections from the namespace to the host's 127.0.0.1", "false"},
	{F_IPV6, CLI_BOOL, "ipv6", NULL, "Network",
	 "enable IPv6 in the user-mode network: static fd00::100/64 via fd00::2, router "
	 "advertisements ignored (experimental)",
	 "false"},
	{F_COPY_UP, CLI_SLICE, "copy-up", NULL, "Mount",
	 "make DIR writable: a tmpfs with symlinks to the original entries", NULL},
	{F_COPY_UP_MODE, CLI_STRING, "copy-up-mode", NULL, "Mount", "copy-up mode [tmpfs+symlink]",
	 "tmpfs+symlink"},
	{F_PORT_DRIVER, CLI_STRING, "port-driver", NULL, "Port",
	 "port driver: none, builtin or slirp4netns (implicit is pasta's, not provided)", "none"},
	{F_PUBLISH, CLI_SLICE, "publish", "p", "Port",
	 "publish a port, [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT[/PROTO], e.g. "
	 "127.0.0.1:8080:80/tcp",
	 NULL},
	{F_PIDNS, CLI_BOOL, "pidns", NULL, "Process", "create a PID namespace (new /proc)",
	 "false"},
	{F_CGROUPNS, CLI_BOOL, "cgroupns", NULL, "Process", "create a cgroup namespace", "false"},
	{F_UTSNS, CLI_BOOL, "utsns", NULL, "Process", "create a UTS namespace", "false"},
	{F_IPCNS, CLI_BOOL, "ipcns", NULL, "Process", "create an IPC namespace", "false"},
	{F_DETACH_NETNS, CLI_BOOL, "detach-netns", NULL, "Network",
	 "keep the network namespace at $STATE_DIR/netns and run the command in the host "
	 "network",
	 "false"},
	{F_PROPAGATION, CLI_STRING, "propagation", NULL, "Mount",
	 "mount propagation of / [rprivate, rslave, rshared, private, slave, shared]", "rprivate"},
	{F_REAPER, CLI_STRING, "reaper", NULL, "Process",
	 "reaper as the PID namespace's init; needs --pidns [auto, true, false]. "
	 "rootlessnet reaps and ends the session's orphans in every mode",
	 "auto"},
	{F_EVACUATE_CGROUP2, CLI_STRING, "evacuate-cgroup2", NULL, "Process",
	 "move the processes of our cgroup2 group into this subgroup; needs --pidns and "
	 "--cgroupns",
	 NULL},
	{F_SUBID_SOURCE, CLI_STRING, "subid-source", NULL, "SubID",
	 "where subordinate ids come from: dynamic (libsubid, NSS), static (/etc/subuid, "
	 "/etc/subgid) [auto, dynamic, static]",
	 "auto"},
	{F_HELP, CLI_BOOL, "help", "h", "Misc", "show help", "false"},
	{F_VERSION, CLI_BOOL, "version", "v", "Misc", "print the version", "false"},
};

/**
 * struct cli_raw - flag values as given, before validation
 * @str:	string values, NULL when not given
 * @given:	the flag appeared
 * @boolv:	boolean values
 */
struct cli_raw {
	const char *str[F_COUNT];
	bool given[F_COUNT];
	bool boolv[F_COUNT];
};

/**
 * cli_fail() - Record an error message
 * @res:	result holding the message
 * @fmt:	printf format
 *
 * A message too long for @res->err loses its middle, not the reason at its end.
 *
 * Return: -EINVAL
 */
__attribute__((format(printf, 2, 3))) static int cli_fail(struct cli_result *res, const char *fmt,
							  ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vformat(res->err, sizeof(res->err), fmt, ap);
	va_end(ap);
	return -EINVAL;
}

/**
 * cli_parse_bool() - Parse a boolean as Go's strconv.ParseBool does
 * @s:		text
 * @out:	value
 *
 * Return: 0, or -EINVAL
 */
static int cli_parse_bool(const char *s, bool *out)
{
	static const char *const t[] = {"1", "t", "T", "true", "TRUE", "True"};
	static const char *const f[] = {"0", "f", "F", "false", "FALSE", "False"};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (!strcmp(s, t[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(s, f[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * cli_find() - Look a flag up by name or alias
 * @name:	name without dashes, not NUL-terminated
 * @len:	length of @name
 *
 * Return: the flag, or NULL
 */
static const struct cli_flag *cli_find(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_SIZE(cli_flags); i++) {
		const struct cli_flag *f = &cli_flags[i];

		if (strlen(f->name) == len && !strncmp(f->name, name, len))
			return f;
		if (f->alias && strlen(f->alias) == len && !strncmp(f->alias, name, len))
			return f;
	}
	return NULL;
}

/**
 * cli_append() - Append comma-separated values to a string list
 * @list:	list, reallocated
 * @n:		entries in @list
 * @value:	one value, or several separated by commas (urfave/cli splits them)
 *
 * Return: 0 or -ENOMEM
 */
static int cli_append(char ***list, size_t *n, const char *value)
{
	const char *p = value;

	do {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char **nl = realloc(*list, (*n + 2) * sizeof(**list));

		if (!nl)
			return -ENOMEM;
		*list = nl;
		nl[*n] = strndup(p, len);
		if (!nl[*n])
			return -ENOMEM;
		nl[++*n] = NULL;
		p = comma ? comma + 1 : NULL;
	} while (p);
	return 0;
}

/**
 * cli_scan() - Split the arguments into flags and the command
 * @argc:	argument count
 * @argv:	arguments
 * @c:		configuration: slices and the command are stored here
 * @raw:	other flag values
 * @res:	error message
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int cli_scan(int argc, char **argv, struct conf *c, struct cli_raw *raw,
		    struct cli_result *res)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *name, *eq, *value = NULL;
		const struct cli_flag *f;
		size_t len;
		int ret = 0;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] != '-' || !a[1])
			break;
		name = a + 1 + (a[1] == '-');
		if (!*name || *name == '-' || *name == '=')
			return cli_fail(res, "bad flag syntax: %s", a);
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		f = cli_find(name, len);
		if (!f)
			return cli_fail(res, "flag provided but not defined: -%.*s (see --help)",
					(int)len, name);
		if (eq)
			value = eq + 1;
		if (f->type == CLI_BOOL) {
			bool v = true;

			if (value && cli_parse_bool(value, &v))
				return cli_fail(res,
						"invalid boolean value \"%s\" for flag --%s: use "
						"true or false",
						value, f->name);
			raw->boolv[f->id] = v;
			raw->given[f->id] = true;
			continue;
		}
		if (!value) {
			if (i + 1 >= argc)
				return cli_fail(res, "flag needs an argument: --%s", f->name);
			value = argv[++i];
		}
		raw->given[f->id] = true;
		if (f->id == F_COPY_UP)
			ret = cli_append(&c->copy_up, &c->n_copy_up, value);
		else if (f->id == F_PUBLISH)
			ret = cli_append(&c->publish, &c->n_publish, value);
		else
			raw->str[f->id] = value;
		if (ret)
			return cli_fail(res, "out of memory");
	}
	/* an empty argv (argc 0, which execve() allows before Linux 5.18) has no command */
	c->argc = argc > i ? argc - i : 0;
	c->argv = calloc(c->argc + 1, sizeof(*c->argv));
	if (!c->argv)
		return cli_fail(res, "out of memory");
	for (int j = 0; j < c->argc; j++)
		c->argv[j] = argv[i + j];
	return 0;
}

/**
 * cli_tristate() - Parse auto|true|false
 * @s:		text, NULL for @def
 * @def:	value when not given
 * @out:	value
 *
 * Return: 0, or -EINVAL
 */
static int cli_tristate(const char *s, enum conf_tristate def, enum conf_tristate *out)
{
	if (!s || !*s)
		*out = def;
	else if (!strcmp(s, "auto"))
		*out = CONF_AUTO;
	else if (!strcmp(s, "true"))
		*out = CONF_TRUE;
	else if (!strcmp(s, "false"))
		*out = CONF_FALSE;
	else
		return -EINVAL;
	return 0;
}

/**
 * cli_refuse_unprovided() - Refuse flags and values for things rootlessnet does not provide
 * @raw:	flag values
 * @res:	error message
 *
 * Return: 0, or -EINVAL
 */
static int cli_refuse_unprovided(const struct cli_raw *raw, struct cli_result *res)
{
	static const struct {
		enum cli_id id;
		const char *what;
	} bins[] = {
		{F_PASTA_BINARY, "the pasta network"},
		{F_VPNKIT_BINARY, "the vpnkit network"},
		{F_LXC_USER_NIC_BINARY, "the lxc-user-nic network"},
		{F_LXC_USER_NIC_BRIDGE, "the lxc-user-nic network"},
	};
	const char *net = raw->str[F_NET];

	for (size_t i = 0; i < ARRAY_SIZE(bins); i++)
		if (raw->given[bins[i].id])
			return cli_fail(res,
					"--%s: %s is not provided by rootlessnet; use "
					"--net=slirp4netns (user-mode networking built in) instead",
					cli_flags[bins[i].id].name, bins[i].what);
	if (net && (!strcmp(net, "pasta") || !strcmp(net, "vpnkit") ||
		    !strcmp(net, "lxc-user-nic") || !strcmp(net, "gvisor-tap-vsock")))
		return cli_fail(res,
				"--net=%s: this network driver is not provided by rootlessnet; use "
				"--net=slirp4netns (user-mode networking built in), --net=none or "
				"--net=host",
				net);
	if (raw->str[F_PORT_DRIVER] && !strcmp(raw->str[F_PORT_DRIVER], "implicit"))
		return cli_fail(res, "--port-driver=implicit: this is pasta's port driver, which "
				     "rootlessnet does not provide; use --port-driver=builtin or "
				     "--port-driver=slirp4netns");
	if (raw->given[F_SLIRP4NETNS_BINARY])
		warn("--slirp4netns-binary=%s is ignored: rootlessnet links libslirp and runs no "
		     "slirp4netns binary",
		     raw->str[F_SLIRP4NETNS_BINARY]);
	return 0;
}

/**
 * cli_ifname_ok() - Tell whether the kernel takes a name for a new interface
 * @s:		name, shorter than IFNAMSIZ, without "/"
 *
 * The kernel's dev_valid_name() refuses "." and "..", and names with ":" or white space;
 * a tap of such a name fails in the namespace with a bare EINVAL.
 *
 * Return: true if the name is valid
 */
static bool cli_ifname_ok(const char *s)
{
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

/**
 * cli_validate_net() - Validate the network flags (rootlesskit's rules and order)
 * @raw:	flag values
 * @c:		configuration being filled
 * @res:	error message
 *
 * Return: 0, or -EINVAL
 */
static int cli_validate_net(const struct cli_raw *raw, struct conf *c, struct cli_result *res)
{
	const char *net = raw->str[F_NET] ? raw->str[F_NET] : "host";
	const char *s;
	long mtu = 0;

	if ((s = raw->str[F_MTU])) {
		char *end;

		/* strtol() skips leading blanks, Go's ParseInt does not */
		errno = 0;
		mtu = strtol(s, &end, 0);
		if (errno == ERANGE)
			return cli_fail(res,
					"invalid value \"%s\" for flag --mtu: out of range (0 to "
					"65521)",
					s);
		if (errno || end == s || *end || isspace((unsigned char)*s))
			return cli_fail(res, "invalid value \"%s\" for flag --mtu: not a number",
					s);
	}
	if (mtu < 0 || mtu > 65521)
		return cli_fail(res, "--mtu must be between 0 and 65521 (0: the default), got %ld",
				mtu);
	c->mtu = (unsigned int)mtu;

	if ((s = raw->str[F_CIDR]) && *s) {
		unsigned int prefix;
		struct in_addr a;
		char *copy;
		char *slash;
		int ret;

		ret = topo_parse_cidr(s, &c->cidr, &c->cidr_prefix);
		if (ret)
			return cli_fail(res,
					"--cidr=%s: not an IPv4 network such as 10.0.2.0/24 "
					"(prefix length 1 to 25)",
					s);
		copy = strdup(s);
		if (!copy)
			return cli_fail(res, "out of memory");
		slash = strchr(copy, '/');
		*slash = '\0';
		ret = inet_pton(AF_INET, copy, &a);
		free(copy);
		if (ret != 1 || a.s_addr != c->cidr.s_addr)
			return cli_fail(res,
					"--cidr=%s: give the network address, like 10.0.2.0/24, "
					"not a host address like 10.0.2.100/24",
					s);
		prefix = c->cidr_prefix;
		if (prefix > 25)
			return cli_fail(res,
					"--cidr=%s: the network must hold .100 (prefix 25 or "
					"shorter)",
					s);
		/* .2, .3 and .100 share the network's first 4 bits: all multicast, or none */
		if (IN_MULTICAST(ntohl(c->cidr.s_addr)))
			return cli_fail(res,
					"--cidr=%s: a multicast network (224.0.0.0/4) cannot hold "
					"the namespace's addresses; use a private network such as "
					"10.0.2.0/24",
					s);
		c->cidr_given = true;
	}

	if ((s = raw->str[F_IFNAME]) && *s) {
		if (strchr(s, '/'))
			return cli_fail(res, "--ifname must not contain \"/\"");
		if (strlen(s) >= IFNAMSIZ)
			return cli_fail(res, "--ifname=%s: longer than %d characters", s,
					IFNAMSIZ - 1);
		if (!cli_ifname_ok(s))
			return cli_fail(res,
					"--ifname=%s: not a valid interface name (no blanks or "
					"\":\", and not \".\" or \"..\")",
					s);
		if (!strcmp(s, "lo"))
			return cli_fail(res, "--ifname=lo: the namespace's loopback interface has "
					     "that name; use another one (the default is tap0)");
		snprintf(c->ifname, sizeof(c->ifname), "%s", s);
		c->ifname_given = true;
	}

	c->ipv6 = raw->boolv[F_IPV6];
	if (c->ipv6) {
		warn("--ipv6 is experimental");
		if (strcmp(net, "slirp4netns") != 0)
			warn("--ipv6 is ignored with --net=%s", net);
	}
	c->disable_host_loopback = raw->boolv[F_DISABLE_HOST_LOOPBACK];
	if (!c->disable_host_loopback && strcmp(net, "host") != 0 && strcmp(net, "none") != 0)
		warn("--disable-host-loopback is highly recommended: without it the namespace "
		     "can connect to the host's 127.0.0.1");

	if (!strcmp(net, "host") || !strcmp(net, "none")) {
		c->net = !strcmp(net, "host") ? CONF_NET_HOST : CONF_NET_NONE;
		if (c->mtu)
			warn("--mtu=%u is ignored with --net=%s", c->mtu, net);
		if (c->cidr_given)
			return cli_fail(res, "--cidr cannot be used with --net=%s", net);
		if (c->ifname_given)
			return cli_fail(res, "--ifname cannot be used with --net=%s", net);
		if (c->net == CONF_NET_NONE && raw->str[F_PORT_DRIVER] &&
		    strcmp(raw->str[F_PORT_DRIVER], "none") != 0 &&
		    strcmp(raw->str[F_PORT_DRIVER], "builtin") != 0)
			return cli_fail(res, "--net=none needs --port-driver=none or "
					     "--port-driver=builtin");
	} else if (!strcmp(net, "slirp4netns")) {
		c->net = CONF_NET_SLIRP4NETNS;
		if (!c->mtu)
			c->mtu = 65520;
		if (cli_tristate(raw->str[F_SLIRP4NETNS_SANDBOX], CONF_FALSE, &c->sandbox))
			return cli_fail(res, "--slirp4netns-sandbox=%s: use auto, true or false",
					raw->str[F_SLIRP4NETNS_SANDBOX]);
		if (c->sandbox == CONF_TRUE && raw->boolv[F_DETACH_NETNS])
			return cli_fail(res, "--slirp4netns-sandbox=true conflicts with "
					     "--detach-netns");
		if (cli_tristate(raw->str[F_SLIRP4NETNS_SECCOMP], CONF_FALSE, &c->seccomp))
			return cli_fail(res, "--slirp4netns-seccomp=%s: use auto, true or false",
					raw->str[F_SLIRP4NETNS_SECCOMP]);
	} else {
		return cli_fail(res,
				"--net=%s: unknown network driver; use host, none or slirp4netns",
				net);
	}
	return 0;
}

/**
 * cli_validate_port() - Validate --port-driver and --publish
 * @raw:	flag values
 * @c:		configuration being filled (network already set)
 * @res:	error message
 *
 * Return: 0, or -EINVAL
 */
static int cli_validate_port(const struct cli_raw *raw, struct conf *c, struct cli_result *res)
{
	const char *s = raw->str[F_PORT_DRIVER] ? raw->str[F_PORT_DRIVER] : "none";

	if (!strcmp(s, "none")) {
		c->port_driver = CONF_PORT_NONE;
		if (c->n_publish)
			return cli_fail(res, "--publish needs a port driver: --port-driver=none "
					     "does not publish ports (use builtin or slirp4netns)");
	} else if (!strcmp(s, "slirp4netns")) {
		if (c->net != CONF_NET_SLIRP4NETNS)
			return cli_fail(res, "--port-driver=slirp4netns needs --net=slirp4netns");
		c->port_driver = CONF_PORT_SLIRP4NETNS;
	} else if (!strcmp(s, "builtin")) {
		if (c->net == CONF_NET_HOST)
			return cli_fail(res, "--port-driver=builtin needs a network namespace: use "
					     "--net=slirp4netns or --net=none, not --net=host");
		c->port_driver = CONF_PORT_BUILTIN;
	} else {
		return cli_fail(res,
				"--port-driver=%s: unknown port driver; use none, builtin or "
				"slirp4netns",
				s);
	}
	/* rootlesskit checks every -p before starting anything: so do we */
	for (size_t i = 0; i < c->n_publish; i++) {
		struct error e = {0};
		struct portspec spec;

		if (portspec_parse_publish(c->publish[i], &spec, &e)) {
			char why[ERROR_MSGLEN];

			return cli_fail(res, "--publish: %s", error_str(&e, why, sizeof(why)));
		}
	}
	return 0;
}

/**
 * cli_validate_child() - Validate the process and mount flags
 * @raw:	flag values
 * @c:		configuration being filled
 * @res:	error message
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int cli_validate_child(const struct cli_raw *raw, struct conf *c, struct cli_result *res)
{
	static const char *const props[] = {"rprivate", "private", "rslave",
					    "slave",	"rshared", "shared"};
	const char *s;
	bool ok = false;

	c->pidns = raw->boolv[F_PIDNS];
	c->cgroupns = raw->boolv[F_CGROUPNS];
	c->utsns = raw->boolv[F_UTSNS];
	c->ipcns = raw->boolv[F_IPCNS];
	c->detach_netns = raw->boolv[F_DETACH_NETNS];

	if ((s = raw->str[F_EVACUATE_CGROUP2]) && *s) {
		if (strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
			return cli_fail(
				res, "--evacuate-cgroup2=%s: give a subgroup name, without \"/\"",
				s);
		if (strlen(s) > NAME_MAX)
			return cli_fail(
				res,
				"--evacuate-cgroup2=%s: too long: a cgroup's name has at most "
				"%d bytes",
				s, NAME_MAX);
		c->evacuate_cgroup2 = strdup(s);
		if (!c->evacuate_cgroup2)
			return cli_fail(res, "out of memory");
	}

	s = raw->str[F_REAPER] ? raw->str[F_REAPER] : "auto";
	if (cli_tristate(s, CONF_AUTO, &c->reaper))
		return cli_fail(res, "--reaper=%s: use auto, true or false", s);
	if (c->reaper == CONF_TRUE && !c->pidns)
		return cli_fail(res, "--reaper=true needs --pidns");
	c->reaper_on = c->reaper == CONF_TRUE || (c->reaper == CONF_AUTO && c->pidns);

	s = raw->str[F_PROPAGATION] ? raw->str[F_PROPAGATION] : "rprivate";
	for (size_t i = 0; i < ARRAY_SIZE(props); i++)
		ok = ok || !strcmp(s, props[i]);
	if (!ok)
		return cli_fail(
			res,
			"--propagation=%s: use rprivate, rslave, rshared, private, slave or "
			"shared",
			s);
	c->propagation = strdup(s);
	if (!c->propagation)
		return cli_fail(res, "out of memory");

	s = raw->str[F_COPY_UP_MODE] ? raw->str[F_COPY_UP_MODE] : "tmpfs+symlink";
	if (strcmp(s, "tmpfs+symlink") != 0)
		return cli_fail(res, "--copy-up-mode=%s: the only mode is tmpfs+symlink", s);
	if (c->n_copy_up &&
	    (!strcmp(c->propagation, "rshared") || !strcmp(c->propagation, "shared")))
		return cli_fail(res,
				"--propagation=%s cannot be used with --copy-up (copied-up mounts "
				"would propagate to the host); use rslave or rprivate",
				c->propagation);
	for (size_t i = 0; i < c->n_copy_up; i++) {
		if (c->copy_up[i][0] != '/')
			return cli_fail(res, "--copy-up=%s: give an absolute path", c->copy_up[i]);
		if (strlen(c->copy_up[i]) >= PATH_MAX)
			return cli_fail(res, "--copy-up=%s: too long: a path has at most %d bytes",
					c->copy_up[i], PATH_MAX - 1);
	}

	s = raw->str[F_SUBID_SOURCE] ? raw->str[F_SUBID_SOURCE] : "auto";
	if (!strcmp(s, "auto"))
		c->subid_source = CONF_SUBID_AUTO;
	else if (!strcmp(s, "dynamic"))
		c->subid_source = CONF_SUBID_DYNAMIC;
	else if (!strcmp(s, "static"))
		c->subid_source = CONF_SUBID_STATIC;
	else
		return cli_fail(res, "--subid-source=%s: use auto, dynamic or static", s);
	return 0;
}

/**
 * cli_semver() - Pick one component of CLI_COMPAT_VERSION
 * @which:	major, minor or patch
 * @out:	the number
 *
 * Return: 0, or -EINVAL for another word
 */
static int cli_semver(const char *which, unsigned int *out)
{
	static const char *const names[] = {"major", "minor", "patch"};
	unsigned int v[3] = {0};

	if (sscanf(CLI_COMPAT_VERSION, "%u.%u.%u", &v[0], &v[1], &v[2]) != 3)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (!strcmp(which, names[i])) {
			*out = v[i];
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * cli_parse() - Parse and validate a rootlesskit command line
 * @argc:	argument count
 * @argv:	arguments; the command in c->argv points into it
 * @c:		configuration, zeroed and filled; free with cli_conf_free() in every case
 * @res:	action, and the error message on failure
 *
 * Return: 0, -EINVAL (message in @res->err) or -ENOMEM
 */
int cli_parse(int argc, char **argv, struct conf *c, struct cli_result *res)
{
	struct cli_raw raw = {0};
	const char *s;
	int ret;

	memset(c, 0, sizeof(*c));
	memset(res, 0, sizeof(*res));
	snprintf(c->ifname, sizeof(c->ifname), "tap0");
	topo_parse_cidr("10.0.2.0/24", &c->cidr, &c->cidr_prefix);
	c->sandbox = CONF_FALSE;
	c->seccomp = CONF_FALSE;

	ret = cli_scan(argc, argv, c, &raw, res);
	if (ret)
		return ret;
	c->debug = raw.boolv[F_DEBUG];
	if (raw.boolv[F_HELP]) {
		res->action = CLI_HELP;
		return 0;
	}
	if (raw.boolv[F_VERSION]) {
		res->action = CLI_VERSION;
		return 0;
	}
	if ((s = raw.str[F_PRINT_SEMVER]) && *s) {
		if (cli_semver(s, &res->semver))
			return cli_fail(
				res, "expected --print-semver=(major|minor|patch), got \"%s\"", s);
		res->action = CLI_SEMVER;
		return 0;
	}
	if (!c->argc)
		return cli_fail(res, "no command specified (usage: rootlessnet [flags] COMMAND "
				     "[ARGS...], see --help)");
	if (!c->argv[0] || !*c->argv[0])
		return cli_fail(res, "the command is an empty string: give the program to run "
				     "(usage: rootlessnet [flags] COMMAND [ARGS...])");

	ret = cli_refuse_unprovided(&raw, res);
	if (!ret && (s = raw.str[F_EVACUATE_CGROUP2]) && *s) {
		if (!raw.boolv[F_CGROUPNS])
			return cli_fail(res, "--evacuate-cgroup2 needs --cgroupns");
		if (!raw.boolv[F_PIDNS])
			return cli_fail(res, "--evacuate-cgroup2 needs --pidns");
	}
	if (!ret && (s = raw.str[F_STATE_DIR]) && *s) {
		c->state_dir = strdup(s);
		if (!c->state_dir)
			return cli_fail(res, "out of memory");
		c->state_dir_given = true;
	}
	if (!ret)
		ret = cli_validate_net(&raw, c, res);
	if (!ret)
		ret = cli_validate_port(&raw, c, res);
	if (!ret)
		ret = cli_validate_child(&raw, c, res);
	return ret;
}

/**
 * cli_conf_free() - Release what cli_parse() allocated
 * @c:		configuration
 *
 * Return: nothing
 */
void cli_conf_free(struct conf *c)
{
	for (size_t i = 0; i < c->n_copy_up; i++)
		free(c->copy_up[i]);
	for (size_t i = 0; i < c->n_publish; i++)
		free(c->publish[i]);
	free(c->copy_up);
	free(c->publish);
	free(c->argv);
	free(c->state_dir);
	free(c->propagation);
	free(c->evacuate_cgroup2);
	memset(c, 0, sizeof(*c));
}

/**
 * cli_net_name() - Name of a network driver
 * @net:	enum conf_net value
 *
 * Return: static string
 */
const char *cli_net_name(int net)
{
	switch (net) {
	case CONF_NET_HOST:
		return "host";
	case CONF_NET_NONE:
		return "none";
	case CONF_NET_SLIRP4NETNS:
		return "slirp4netns";
	default:
		return "unknown";
	}
}

/**
 * cli_print_version() - Print --version
 * @f:		stream
 *
 * Return: nothing
 */
void cli_print_version(FILE *f)
{
	fprintf(f, "rootlessnet version %s (rootlesskit %s compatible)\n", PACKAGE_VERSION,
		CLI_COMPAT_VERSION);
}

/**
 * cli_print_help() - Print --help: usage, exit status rule, flags by category
 * @f:		stream
 *
 * Return: nothing
 */
void cli_print_help(FILE *f)
{
	static const char *const cats[] = {
		"Misc",
		"Mount",
		"Network",
		"Network [lxc-user-nic]",
		"Network [pasta]",
		"Network [slirp4netns]",
		"Network [vpnkit]",
		"Port",
		"Process",
		"State",
		"SubID",
	};

	fprintf(f,
		"NAME:\n"
		"   rootlessnet - run a command as fake root in new namespaces, a drop-in for "
		"rootlesskit\n\n"
		"USAGE:\n"
		"   rootlessnet [global options] COMMAND [ARGS...]\n\n"
		"VERSION:\n"
		"   %s (rootlesskit %s command line and API)\n\n"
		"DESCRIPTION:\n"
		"   The command runs as uid 0 in a new user and mount namespace (and a network\n"
		"   namespace unless --net=host), with the caller's uid mapped to 0 and its\n"
		"   subordinate ids (/etc/subuid, /etc/subgid) mapped from 1 upward. It gets\n"
		"   ROOTLESSKIT_STATE_DIR, ROOTLESSKIT_PARENT_EUID and ROOTLESSKIT_PARENT_EGID.\n"
		"   Flags end at the first argument that is not a flag, or at \"--\".\n\n"
		"   Every signal sent to rootlessnet is passed on to the command. When the\n"
		"   command exits, whatever it left running in the session is killed; when\n"
		"   rootlessnet is killed, the command and everything it started die too.\n\n"
		"EXIT STATUS:\n"
		"   The command's exit status; 128+N when the command was killed by signal N\n"
		"   (e.g. 143 for SIGTERM); 127 when the command is not found, 126 when it\n"
		"   cannot be run; 1 when rootlessnet fails to set up the namespaces.\n\n"
		"OPTIONS:\n",
		PACKAGE_VERSION, CLI_COMPAT_VERSION);
	for (size_t ci = 0; ci < ARRAY_SIZE(cats); ci++) {
		fprintf(f, "  %s:\n", cats[ci]);
		for (size_t i = 0; i < ARRAY_SIZE(cli_flags); i++) {
			const struct cli_flag *fl = &cli_flags[i];
			char names[64];

			if (strcmp(fl->category, cats[ci]) != 0)
				continue;
			if (fl->alias)
				snprintf(names, sizeof(names), "--%s%s, -%s%s", fl->name,
					 fl->type == CLI_BOOL ? "" : " value", fl->alias,
					 fl->type == CLI_BOOL ? "" : " value");
			else
				snprintf(names, sizeof(names), "--%s%s", fl->name,
					 fl->type == CLI_BOOL ? "" : " value");
			fprintf(f, "    %-34s %s", names, fl->usage);
			if (fl->type == CLI_SLICE)
				fprintf(f, " (repeatable)");
			else if (fl->def)
				fprintf(f, " (default: %s)", fl->def);
			fprintf(f, "\n");
		}
		fprintf(f, "\n");
	}
}

/* conf.c - the run configuration: rootlesskit's flags checked, defaulted and resolved, once */
/**
 * DOC: Theory of operation
 *
 * conf_parse() turns a command line into a &struct conf that the rest of rootlessnet trusts:
 * cli.c gives the flag values as given, and here they are checked in the order of
 * rootlesskit's createParentOpt()/createChildOpt(), so that the first error a user sees is
 * the one rootlesskit would report. Networks, port drivers and binaries of networks that
 * rootlessnet does not provide are refused with a message naming the flag and what to use
 * instead; --slirp4netns-binary is accepted with a warning because the slirp4netns network
 * is built in (libslirp).
 *
 * Then conf_derive() applies every default and derives what follows from the flags: the
 * user-mode network's addresses from --cidr (topo.h), the MTU (65520 for slirp4netns, and
 * its bounds), the tap's name, each -p parsed into a &struct portspec, --propagation's mount
 * flags. It is the one place defaults are made; a configuration built by hand (the test
 * harnesses) goes through it too. Nothing after it checks a flag again.
 *
 * Nothing here exits, and only warnings are printed: errors come back in &struct cli_result.
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
#include <sys/mount.h>

#include "cli.h"
#include "conf.h"
#include "error.h"
#include "log.h"
#include "portspec.h"
#include "topo.h"
#include "util.h"

/* the lowest MTU that carries IPv4 (RFC 791) and IPv6 (RFC 8200) */
#define CONF_MTU_MIN	  68
#define CONF_MTU_MIN_IPV6 1280

static int conf_from_raw(const struct cli_raw *raw, struct conf *c, struct cli_result *res);

/**
 * conf_defaults() - The values of --ifname and --cidr when nobody gave them
 * @c:		configuration; only fields still unset are set
 *
 * Return: nothing
 */
static void conf_defaults(struct conf *c)
{
	if (!c->ifname[0])
		snprintf(c->ifname, sizeof(c->ifname), "tap0");
	if (!c->cidr_prefix)
		topo_parse_cidr("10.0.2.0/24", &c->cidr, &c->cidr_prefix);
}

/**
 * conf_propagation_flags() - The mount flags of a --propagation value
 * @name:	rprivate, private, rslave, slave, rshared or shared
 * @flags:	MS_REC and one of MS_PRIVATE, MS_SLAVE, MS_SHARED
 *
 * Return: 0, or -EINVAL for another name
 */
int conf_propagation_flags(const char *name, unsigned long *flags)
{
	static const struct {
		const char *name;
		unsigned long flags;
	} props[] = {
		{"rprivate", MS_REC | MS_PRIVATE}, {"private", MS_PRIVATE},
		{"rslave", MS_REC | MS_SLAVE},	   {"slave", MS_SLAVE},
		{"rshared", MS_REC | MS_SHARED},   {"shared", MS_SHARED},
	};

	for (size_t i = 0; i < ARRAY_SIZE(props); i++) {
		if (!strcmp(name, props[i].name)) {
			*flags = props[i].flags;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * conf_specs() - Parse every -p into c->specs
 * @c:		configuration with @publish
 * @res:	error message
 *
 * Return: 0, -EINVAL (the first bad -p) or -ENOMEM
 */
static int conf_specs(struct conf *c, struct cli_result *res)
{
	free(c->specs);
	c->specs = calloc(c->n_publish ? c->n_publish : 1, sizeof(*c->specs));
	if (!c->specs)
		return error_plain(&res->err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < c->n_publish; i++)
		if (portspec_parse_publish(c->publish[i], &c->specs[i], &res->err))
			return error_wrap(&res->err, "--publish");
	return 0;
}

/**
 * conf_derive() - Apply the defaults and derive what follows from the flags
 * @c:		configuration from conf_parse(), or built by hand (test harnesses)
 * @res:	error message
 *
 * The MTU: 0 means 65520 for slirp4netns and pasta; it must carry the protocols in use (68,
 * 1280 with --ipv6) and fit libslirp (65521) or pasta (65520). The user-mode network's addresses come from --cidr
 * (.2 gateway, .3 DNS, .100 the namespace; fd00::/64 likewise). Each -p becomes a parsed
 * request, --propagation its mount flags.
 *
 * Return: 0, -EINVAL (message in @res->err) or -ENOMEM
 */
int conf_derive(struct conf *c, struct cli_result *res)
{
	int ret;

	conf_defaults(c);
	if (c->net == CONF_NET_SLIRP4NETNS) {
		if (!c->mtu)
			c->mtu = CONF_MTU_DEFAULT;
		if (c->mtu > CONF_MTU_MAX || c->mtu < CONF_MTU_MIN)
			return error_plain(&res->err, -EINVAL,
					   "--mtu=%u is out of range: use %d to %d (0 means %d)",
					   c->mtu, CONF_MTU_MIN, CONF_MTU_MAX, CONF_MTU_DEFAULT);
		if (c->ipv6 && c->mtu < CONF_MTU_MIN_IPV6)
			return error_plain(&res->err, -EINVAL,
					   "--mtu=%u is too small for --ipv6, which needs at "
					   "least %d",
					   c->mtu, CONF_MTU_MIN_IPV6);
	}
	if (c->net == CONF_NET_PASTA) {
		if (!c->mtu)
			c->mtu = CONF_MTU_DEFAULT;
		if (c->mtu > CONF_MTU_MAX_PASTA || c->mtu < CONF_MTU_MIN)
			return error_plain(&res->err, -EINVAL,
					   "--mtu=%u is out of range for --net=pasta: use %d to %d "
					   "(0 means %d)",
					   c->mtu, CONF_MTU_MIN, CONF_MTU_MAX_PASTA,
					   CONF_MTU_DEFAULT);
		if (c->ipv6 && c->mtu < CONF_MTU_MIN_IPV6)
			return error_plain(&res->err, -EINVAL,
					   "--mtu=%u is too small for --ipv6, which needs at "
					   "least %d",
					   c->mtu, CONF_MTU_MIN_IPV6);
	}
	if (topo_from_cidr(c->cidr, c->cidr_prefix, &c->topo) < 0) {
		char buf[INET_ADDRSTRLEN] = "?";

		inet_ntop(AF_INET, &c->cidr, buf, sizeof(buf));
		return error_plain(&res->err, -EINVAL,
				   "--cidr=%s/%u is too small: the namespace's address is the "
				   "network's .100, so the prefix must be 25 or shorter",
				   buf, c->cidr_prefix);
	}
	if (!c->propagation) {
		c->propagation = strdup("rprivate");
		if (!c->propagation)
			return error_plain(&res->err, -ENOMEM, "out of memory");
	}
	if (conf_propagation_flags(c->propagation, &c->propagation_flags))
		return error_plain(&res->err, -EINVAL, "--propagation=%s: unknown", c->propagation);
	ret = c->specs ? 0 : conf_specs(c, res);
	return ret;
}

/**
 * conf_tristate() - Parse auto|true|false
 * @s:		text, NULL for @def
 * @def:	value when not given
 * @out:	value
 *
 * Return: 0, or -EINVAL
 */
static int conf_tristate(const char *s, enum conf_tristate def, enum conf_tristate *out)
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

/* what the launchers read to pick the drivers: the way out for their users */
#define CONF_LAUNCHER_NET                                                                          \
	"dockerd-rootless.sh: DOCKERD_ROOTLESS_ROOTLESSKIT_NET=slirp4netns; "                      \
	"containerd-rootless.sh: CONTAINERD_ROOTLESS_ROOTLESSKIT_NET=slirp4netns"
#define CONF_LAUNCHER_PORT                                                                         \
	"dockerd-rootless.sh: DOCKERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=builtin; "                  \
	"containerd-rootless.sh: CONTAINERD_ROOTLESS_ROOTLESSKIT_PORT_DRIVER=builtin"

/**
 * conf_refuse_unprovided() - Refuse flags and values for things rootlessnet does not provide
 * @raw:	flag values
 * @res:	error message
 *
 * rootlesskit 3's network drivers vpnkit, lxc-user-nic and gvisor-tap-vsock (an embedded
 * Go netstack) and its port drivers pesto (pasta's, which needs a passt newer than
 * Debian's) and gvisor-tap-vsock are refused, each with what to use instead, the
 * launchers' variables included (they pick gvisor-tap-vsock on their own when no
 * slirp4netns binary is found, which rootlessnet does not need).
 *
 * Return: 0, or -EINVAL
 */
static int conf_refuse_unprovided(const struct cli_raw *raw, struct cli_result *res)
{
	static const struct {
		enum cli_id id;
		const char *what;
	} bins[] = {
		{F_VPNKIT_BINARY, "the vpnkit network"},
		{F_LXC_USER_NIC_BINARY, "the lxc-user-nic network"},
		{F_LXC_USER_NIC_BRIDGE, "the lxc-user-nic network"},
	};
	static const struct {
		const char *name, *what;
	} nets[] =
		{
			{"vpnkit", "VPNKit"},
			{"lxc-user-nic", "lxc-user-nic (a setuid veth helper)"},
			{"gvisor-tap-vsock",
			 "rootlesskit 3's embedded gVisor network (a Go netstack)"},
		},
	  ports[] = {
		  {"pesto", "pasta's port driver (pesto)"},
		  {"gvisor-tap-vsock", "the gVisor network's port driver"},
	  };
	const char *net = raw->str[F_NET], *pd = raw->str[F_PORT_DRIVER];

	if (pd && !strcmp(pd, "pesto"))
		return error_plain(
			&res->err, -EINVAL,
			"--port-driver=pesto: this port driver is not provided by "
			"rootlessnet: pasta's port driver (pesto) needs passt 2026_05_07 "
			"or later; use --port-driver=implicit with --net=pasta (pasta "
			"forwards every port), or --port-driver=builtin with "
			"--net=slirp4netns (" CONF_LAUNCHER_PORT ")");

	for (size_t i = 0; i < ARRAY_SIZE(bins); i++)
		if (raw->given[bins[i].id])
			return error_plain(
				&res->err, -EINVAL,
				"--%s: %s is not provided by rootlessnet; use "
				"--net=slirp4netns (user-mode networking built in) instead",
				cli_flag_name(bins[i].id), bins[i].what);
	for (size_t i = 0; net && i < ARRAY_SIZE(nets); i++)
		if (!strcmp(net, nets[i].name))
			return error_plain(
				&res->err, -EINVAL,
				"--net=%s: this network driver is not provided by rootlessnet: %s; "
				"use --net=slirp4netns (user-mode networking built in, libslirp), "
				"--net=none or --net=host (" CONF_LAUNCHER_NET ")",
				net, nets[i].what);
	for (size_t i = 0; pd && i < ARRAY_SIZE(ports); i++)
		if (!strcmp(pd, ports[i].name))
			return error_plain(
				&res->err, -EINVAL,
				"--port-driver=%s: this port driver is not provided by "
				"rootlessnet: %s; use --port-driver=builtin (the client's "
				"address is kept with --source-ip-transparent) or "
				"--port-driver=slirp4netns (" CONF_LAUNCHER_PORT ")",
				pd, ports[i].what);
	if (raw->given[F_PASTA_BINARY] && (!net || strcmp(net, "pasta") != 0))
		warn("--pasta-binary=%s is ignored without --net=pasta", raw->str[F_PASTA_BINARY]);
	if (raw->given[F_SLIRP4NETNS_BINARY])
		warn("--slirp4netns-binary=%s is ignored: rootlessnet links libslirp and runs no "
		     "slirp4netns binary",
		     raw->str[F_SLIRP4NETNS_BINARY]);
	return 0;
}

/**
 * conf_ifname_ok() - Tell whether the kernel takes a name for a new interface
 * @s:		name, shorter than IFNAMSIZ, without "/"
 *
 * The kernel's dev_valid_name() refuses "." and "..", and names with ":" or white space;
 * a tap of such a name fails in the namespace with a bare EINVAL.
 *
 * Return: true if the name is valid
 */
static bool conf_ifname_ok(const char *s)
{
	if (!strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == ':' || isspace((unsigned char)*s))
			return false;
	return true;
}

/**
 * conf_check_net() - Validate the network flags (rootlesskit's rules and order)
 * @raw:	flag values
 * @c:		configuration being filled
 * @res:	error message
 *
 * Return: 0, or -EINVAL
 */
static int conf_check_net(const struct cli_raw *raw, struct conf *c, struct cli_result *res)
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
			return error_plain(
				&res->err, -EINVAL,
				"invalid value \"%s\" for flag --mtu: out of range (0 to "
				"65521)",
				s);
		if (errno || end == s || *end || isspace((unsigned char)*s))
			return error_plain(&res->err, -EINVAL,
					   "invalid value \"%s\" for flag --mtu: not a number", s);
	}
	if (mtu < 0 || mtu > 65521)
		return error_plain(&res->err, -EINVAL,
				   "--mtu must be between 0 and 65521 (0: the default), got %ld",
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
			return error_plain(&res->err, -EINVAL,
					   "--cidr=%s: not an IPv4 network such as 10.0.2.0/24 "
					   "(prefix length 1 to 25)",
					   s);
		copy = strdup(s);
		if (!copy)
			return error_plain(&res->err, -ENOMEM, "out of memory");
		slash = strchr(copy, '/');
		*slash = '\0';
		ret = inet_pton(AF_INET, copy, &a);
		free(copy);
		if (ret != 1 || a.s_addr != c->cidr.s_addr)
			return error_plain(&res->err, -EINVAL,
					   "--cidr=%s: give the network address, like 10.0.2.0/24, "
					   "not a host address like 10.0.2.100/24",
					   s);
		prefix = c->cidr_prefix;
		if (prefix > 25)
			return error_plain(&res->err, -EINVAL,
					   "--cidr=%s: the network must hold .100 (prefix 25 or "
					   "shorter)",
					   s);
		/* .2, .3 and .100 share the network's first 4 bits: all multicast, or none */
		if (IN_MULTICAST(ntohl(c->cidr.s_addr)))
			return error_plain(
				&res->err, -EINVAL,
				"--cidr=%s: a multicast network (224.0.0.0/4) cannot hold "
				"the namespace's addresses; use a private network such as "
				"10.0.2.0/24",
				s);
		c->cidr_given = true;
	}

	if ((s = raw->str[F_IFNAME]) && *s) {
		if (strchr(s, '/'))
			return error_plain(&res->err, -EINVAL, "--ifname must not contain \"/\"");
		if (strlen(s) >= IFNAMSIZ)
			return error_plain(&res->err, -EINVAL,
					   "--ifname=%s: longer than %d characters", s,
					   IFNAMSIZ - 1);
		if (!conf_ifname_ok(s))
			return error_plain(&res->err, -EINVAL,
					   "--ifname=%s: not a valid interface name (no blanks or "
					   "\":\", and not \".\" or \"..\")",
					   s);
		if (!strcmp(s, "lo"))
			return error_plain(&res->err, -EINVAL,
					   "--ifname=lo: the namespace's loopback interface has "
					   "that name; use another one (the default is tap0)");
		snprintf(c->ifname, sizeof(c->ifname), "%s", s);
		c->ifname_given = true;
	}

	c->ipv6 = raw->boolv[F_IPV6];
	if (c->ipv6) {
		warn("--ipv6 is experimental");
		if (strcmp(net, "slirp4netns") != 0 && strcmp(net, "pasta") != 0)
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
			return error_plain(&res->err, -EINVAL,
					   "--cidr cannot be used with --net=%s", net);
		if (c->ifname_given)
			return error_plain(&res->err, -EINVAL,
					   "--ifname cannot be used with --net=%s", net);
		if (c->net == CONF_NET_NONE && raw->str[F_PORT_DRIVER] &&
		    strcmp(raw->str[F_PORT_DRIVER], "none") != 0 &&
		    strcmp(raw->str[F_PORT_DRIVER], "builtin") != 0)
			return error_plain(&res->err, -EINVAL,
					   "--net=none needs --port-driver=none or "
					   "--port-driver=builtin");
	} else if (!strcmp(net, "slirp4netns")) {
		c->net = CONF_NET_SLIRP4NETNS;
		if (conf_tristate(raw->str[F_SLIRP4NETNS_SANDBOX], CONF_FALSE, &c->sandbox))
			return error_plain(&res->err, -EINVAL,
					   "--slirp4netns-sandbox=%s: use auto, true or false",
					   raw->str[F_SLIRP4NETNS_SANDBOX]);
		if (c->sandbox == CONF_TRUE && raw->boolv[F_DETACH_NETNS])
			return error_plain(&res->err, -EINVAL,
					   "--slirp4netns-sandbox=true conflicts with "
					   "--detach-netns");
		if (conf_tristate(raw->str[F_SLIRP4NETNS_SECCOMP], CONF_FALSE, &c->seccomp))
			return error_plain(&res->err, -EINVAL,
					   "--slirp4netns-seccomp=%s: use auto, true or false",
					   raw->str[F_SLIRP4NETNS_SECCOMP]);
	} else if (!strcmp(net, "pasta")) {
		c->net = CONF_NET_PASTA;
		warn("--net=pasta is experimental");
		s = raw->str[F_PASTA_BINARY] && *raw->str[F_PASTA_BINARY] ? raw->str[F_PASTA_BINARY]
									  : "pasta";
		c->pasta_binary = strdup(s);
		if (!c->pasta_binary)
			return error_plain(&res->err, -ENOMEM, "out of memory");
		if (raw->str[F_PORT_DRIVER] && strcmp(raw->str[F_PORT_DRIVER], "none") != 0 &&
		    strcmp(raw->str[F_PORT_DRIVER], "implicit") != 0)
			return error_plain(
				&res->err, -EINVAL,
				"--net=pasta needs --port-driver=none or "
				"--port-driver=implicit (pasta forwards the ports itself)");
	} else {
		return error_plain(
			&res->err, -EINVAL,
			"--net=%s: unknown network driver; use host, none, slirp4netns or pasta",
			net);
	}
	return 0;
}

/**
 * conf_check_port() - Validate --port-driver and --publish
 * @raw:	flag values
 * @c:		configuration being filled (network already set)
 * @res:	error message
 *
 * Return: 0, or -EINVAL
 */
static int conf_check_port(const struct cli_raw *raw, struct conf *c, struct cli_result *res)
{
	const char *s = raw->str[F_PORT_DRIVER] ? raw->str[F_PORT_DRIVER] : "none";

	if (!strcmp(s, "none")) {
		c->port_driver = CONF_PORT_NONE;
		if (c->n_publish)
			return error_plain(&res->err, -EINVAL,
					   "--publish needs a port driver: --port-driver=none "
					   "does not publish ports (use builtin or slirp4netns)");
	} else if (!strcmp(s, "slirp4netns")) {
		if (c->net != CONF_NET_SLIRP4NETNS)
			return error_plain(&res->err, -EINVAL,
					   "--port-driver=slirp4netns needs --net=slirp4netns");
		c->port_driver = CONF_PORT_SLIRP4NETNS;
	} else if (!strcmp(s, "implicit")) {
		if (c->net != CONF_NET_PASTA)
			return error_plain(&res->err, -EINVAL,
					   "--port-driver=implicit needs --net=pasta");
		c->port_driver = CONF_PORT_IMPLICIT;
		/* rootlesskit has no port driver then, and publishes nothing */
		if (c->n_publish)
			warn("--publish is ignored with --port-driver=implicit: pasta forwards "
			     "every port the namespace listens on, on the same port of the host");
	} else if (!strcmp(s, "builtin")) {
		if (c->net == CONF_NET_HOST)
			return error_plain(&res->err, -EINVAL,
					   "--port-driver=builtin needs a network namespace: use "
					   "--net=slirp4netns or --net=none, not --net=host");
		c->port_driver = CONF_PORT_BUILTIN;
	} else {
		return error_plain(&res->err, -EINVAL,
				   "--port-driver=%s: unknown port driver; use none, builtin, "
				   "slirp4netns or implicit",
				   s);
	}
	/* rootlesskit 3's default; it matters to the builtin driver only */
	c->source_ip_transparent =
		raw->given[F_SOURCE_IP_TRANSPARENT] ? raw->boolv[F_SOURCE_IP_TRANSPARENT] : true;
	/* rootlesskit checks every -p before starting anything: so do we, once */
	return conf_specs(c, res);
}

/**
 * conf_check_child() - Validate the process and mount flags
 * @raw:	flag values
 * @c:		configuration being filled
 * @res:	error message
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
static int conf_check_child(const struct cli_raw *raw, struct conf *c, struct cli_result *res)
{
	const char *s;

	c->pidns = raw->boolv[F_PIDNS];
	c->cgroupns = raw->boolv[F_CGROUPNS];
	c->utsns = raw->boolv[F_UTSNS];
	c->ipcns = raw->boolv[F_IPCNS];
	c->detach_netns = raw->boolv[F_DETACH_NETNS];

	if ((s = raw->str[F_EVACUATE_CGROUP2]) && *s) {
		if (strchr(s, '/') || !strcmp(s, ".") || !strcmp(s, ".."))
			return error_plain(
				&res->err, -EINVAL,
				"--evacuate-cgroup2=%s: give a subgroup name, without \"/\"", s);
		if (strlen(s) > NAME_MAX)
			return error_plain(
				&res->err, -EINVAL,
				"--evacuate-cgroup2=%s: too long: a cgroup's name has at most "
				"%d bytes",
				s, NAME_MAX);
		c->evacuate_cgroup2 = strdup(s);
		if (!c->evacuate_cgroup2)
			return error_plain(&res->err, -ENOMEM, "out of memory");
	}

	s = raw->str[F_REAPER] ? raw->str[F_REAPER] : "auto";
	if (conf_tristate(s, CONF_AUTO, &c->reaper))
		return error_plain(&res->err, -EINVAL, "--reaper=%s: use auto, true or false", s);
	if (c->reaper == CONF_TRUE && !c->pidns)
		return error_plain(&res->err, -EINVAL, "--reaper=true needs --pidns");
	c->reaper_on = c->reaper == CONF_TRUE || (c->reaper == CONF_AUTO && c->pidns);

	s = raw->str[F_PROPAGATION] ? raw->str[F_PROPAGATION] : "rprivate";
	if (conf_propagation_flags(s, &c->propagation_flags))
		return error_plain(
			&res->err, -EINVAL,
			"--propagation=%s: use rprivate, rslave, rshared, private, slave or "
			"shared",
			s);
	c->propagation = strdup(s);
	if (!c->propagation)
		return error_plain(&res->err, -ENOMEM, "out of memory");

	s = raw->str[F_COPY_UP_MODE] ? raw->str[F_COPY_UP_MODE] : "tmpfs+symlink";
	if (strcmp(s, "tmpfs+symlink") != 0)
		return error_plain(&res->err, -EINVAL,
				   "--copy-up-mode=%s: the only mode is tmpfs+symlink", s);
	if (c->n_copy_up &&
	    (!strcmp(c->propagation, "rshared") || !strcmp(c->propagation, "shared")))
		return error_plain(
			&res->err, -EINVAL,
			"--propagation=%s cannot be used with --copy-up (copied-up mounts "
			"would propagate to the host); use rslave or rprivate",
			c->propagation);
	for (size_t i = 0; i < c->n_copy_up; i++) {
		if (c->copy_up[i][0] != '/')
			return error_plain(&res->err, -EINVAL,
					   "--copy-up=%s: give an absolute path", c->copy_up[i]);
		if (strlen(c->copy_up[i]) >= PATH_MAX)
			return error_plain(&res->err, -EINVAL,
					   "--copy-up=%s: too long: a path has at most %d bytes",
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
		return error_plain(&res->err, -EINVAL,
				   "--subid-source=%s: use auto, dynamic or static", s);
	return 0;
}

/**
 * conf_parse() - Parse, check and resolve a rootlesskit command line
 * @argc:	argument count
 * @argv:	arguments; the command in c->argv points into it
 * @c:		configuration, zeroed and filled: every default applied and what follows from
 *		the flags derived; free with conf_free() in every case
 * @res:	action, and the error message on failure
 *
 * Return: 0, -EINVAL (message in @res->err) or -ENOMEM
 */
int conf_parse(int argc, char **argv, struct conf *c, struct cli_result *res)
{
	struct cli_raw raw = {0};
	int ret;

	memset(c, 0, sizeof(*c));
	memset(res, 0, sizeof(*res));
	ret = cli_scan(argc, argv, &raw, res);
	/* the lists and the command are the configuration's from here on */
	c->copy_up = steal_ptr(&raw.copy_up);
	c->n_copy_up = raw.n_copy_up;
	c->publish = steal_ptr(&raw.publish);
	c->n_publish = raw.n_publish;
	c->argv = steal_ptr(&raw.argv);
	c->argc = raw.argc;
	raw.n_copy_up = raw.n_publish = 0;
	if (!ret)
		ret = conf_from_raw(&raw, c, res);
	cli_raw_free(&raw);
	return ret;
}

/**
 * conf_from_raw() - Check the flag values in rootlesskit's order, and resolve them
 * @raw:	the values as given (its lists already moved into @c)
 * @c:		configuration, with the lists and the command
 * @res:	action, and the error message on failure
 *
 * Return: 0, -EINVAL (message in @res->err) or -ENOMEM
 */
static int conf_from_raw(const struct cli_raw *raw, struct conf *c, struct cli_result *res)
{
	const char *s;
	int ret;

	c->sandbox = CONF_FALSE;
	c->seccomp = CONF_FALSE;
	c->debug = raw->boolv[F_DEBUG];
	if (raw->boolv[F_HELP]) {
		res->action = CLI_HELP;
		return 0;
	}
	if (raw->boolv[F_VERSION]) {
		res->action = CLI_VERSION;
		return 0;
	}
	if ((s = raw->str[F_PRINT_SEMVER]) && *s) {
		if (cli_semver(s, &res->semver))
			return error_plain(
				&res->err, -EINVAL,
				"expected --print-semver=(major|minor|patch), got \"%s\"", s);
		res->action = CLI_SEMVER;
		return 0;
	}
	if (!c->argc)
		return error_plain(&res->err, -EINVAL,
				   "no command specified (usage: rootlessnet [flags] COMMAND "
				   "[ARGS...], see --help)");
	if (!c->argv[0] || !*c->argv[0])
		return error_plain(&res->err, -EINVAL,
				   "the command is an empty string: give the program to run "
				   "(usage: rootlessnet [flags] COMMAND [ARGS...])");

	ret = conf_refuse_unprovided(raw, res);
	if (!ret && (s = raw->str[F_EVACUATE_CGROUP2]) && *s) {
		if (!raw->boolv[F_CGROUPNS])
			return error_plain(&res->err, -EINVAL,
					   "--evacuate-cgroup2 needs --cgroupns");
		if (!raw->boolv[F_PIDNS])
			return error_plain(&res->err, -EINVAL, "--evacuate-cgroup2 needs --pidns");
	}
	if (!ret && (s = raw->str[F_STATE_DIR]) && *s) {
		c->state_dir = strdup(s);
		if (!c->state_dir)
			return error_plain(&res->err, -ENOMEM, "out of memory");
		c->state_dir_given = true;
	}
	if (!ret)
		ret = conf_check_net(raw, c, res);
	if (!ret)
		ret = conf_check_port(raw, c, res);
	if (!ret)
		ret = conf_check_child(raw, c, res);
	if (!ret)
		ret = conf_derive(c, res);
	return ret;
}

/**
 * conf_derived_free() - Release what conf_derive() made: the parsed -p specs, the default
 *			 --propagation
 * @c:		configuration; for one built by hand (test harnesses, whose other strings are
 *		their own), the only release needed
 *
 * Return: nothing
 */
void conf_derived_free(struct conf *c)
{
	free(c->specs);
	c->specs = NULL;
	free(c->propagation);
	c->propagation = NULL;
}

/**
 * conf_free() - Release what conf_parse() or conf_derive() allocated
 * @c:		configuration
 *
 * Return: nothing
 */
void conf_free(struct conf *c)
{
	for (size_t i = 0; i < c->n_copy_up; i++)
		free(c->copy_up[i]);
	for (size_t i = 0; i < c->n_publish; i++)
		free(c->publish[i]);
	free(c->copy_up);
	free(c->publish);
	free(c->argv);
	conf_derived_free(c);
	free(c->state_dir);
	free(c->evacuate_cgroup2);
	free(c->pasta_binary);
	memset(c, 0, sizeof(*c));
}

/**
 * conf_net_name() - Name of a network driver
 * @net:	enum conf_net value
 *
 * Return: static string
 */
const char *conf_net_name(int net)
{
	switch (net) {
	case CONF_NET_HOST:
		return "host";
	case CONF_NET_NONE:
		return "none";
	case CONF_NET_SLIRP4NETNS:
		return "slirp4netns";
	case CONF_NET_PASTA:
		return "pasta";
	default:
		return "unknown";
	}
}

/**
 * conf_port_driver_name() - Name of a port driver
 * @driver:	enum conf_port_driver value
 *
 * Return: static string
 */
const char *conf_port_driver_name(int driver)
{
	switch (driver) {
	case CONF_PORT_NONE:
		return "none";
	case CONF_PORT_BUILTIN:
		return "builtin";
	case CONF_PORT_SLIRP4NETNS:
		return "slirp4netns";
	case CONF_PORT_IMPLICIT:
		return "implicit";
	default:
		return "unknown";
	}
}

/* cli.c - rootlesskit-compatible command line: its syntax, the flag table, --help, --version */
/**
 * DOC: Theory of operation
 *
 * rootlesskit v2 parses its flags with urfave/cli v2 on top of Go's flag package, and its
 * callers depend on that syntax: "--flag=value", "--flag value", "-flag" with one dash,
 * booleans as "--flag" or "--flag=true|false" (never taking the next argument), repeatable
 * slice flags whose values may also be comma-separated, "-p" for --publish, "--" ending the
 * flags, and flags ending at the first positional argument (the command). conf_parse()
 * follows the same rules from one table of flags, which also produces --help.
 *
 cli_scan() gives the values as given (&struct cli_raw); conf.c checks them, applies the
 * defaults and derives what follows from them, once. It never exits: errors come back in
 * &struct cli_result, which keeps it testable.
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
#include "error.h"
#include "log.h"
#include "util.h"

enum cli_type {
	CLI_BOOL,
	CLI_STRING,
	CLI_INT,
	CLI_SLICE
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
	 "network: host, none, slirp4netns (built in, libslirp) or pasta (experimental, runs "
	 "passt's pasta); vpnkit, lxc-user-nic and gvisor-tap-vsock are refused",
	 "host"},
	{F_PASTA_BINARY, CLI_STRING, "pasta-binary", NULL, "Network [pasta]",
	 "path of pasta binary for --net=pasta", "pasta"},
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
	 "MTU of the namespace's interface, at most 65521 (65520 for pasta; 0: 65520 for "
	 "slirp4netns and pasta)",
	 "0"},
	{F_CIDR, CLI_STRING, "cidr", NULL, "Network",
	 "network of --net=slirp4netns and pasta (the namespace gets .100, DNS is .3)",
	 "10.0.2.0/24"},
	{F_IFNAME, CLI_STRING, "ifname", NULL, "Network", "interface name in the namespace",
	 "tap0"},
	{F_DISABLE_HOST_LOOPBACK, CLI_BOOL, "disable-host-loopback", NULL, "Network",
	 "forbid connections from the namespace to the host's 127.0.0.1", "false"},
	{F_IPV6, CLI_BOOL, "ipv6", NULL, "Network",
	 "enable IPv6 in the user-mode network: static fd00::100/64 via fd00::2, router "
	 "advertisements ignored; with pasta, the host's IPv6 addresses (experimental)",
	 "false"},
	{F_COPY_UP, CLI_SLICE, "copy-up", NULL, "Mount",
	 "make DIR writable: a tmpfs with symlinks to the original entries", NULL},
	{F_COPY_UP_MODE, CLI_STRING, "copy-up-mode", NULL, "Mount", "copy-up mode [tmpfs+symlink]",
	 "tmpfs+symlink"},
	{F_PORT_DRIVER, CLI_STRING, "port-driver", NULL, "Port",
	 "port driver: none, builtin, slirp4netns or implicit (for pasta: pasta forwards every "
	 "port); pesto and gvisor-tap-vsock are refused",
	 "none"},
	{F_PUBLISH, CLI_SLICE, "publish", "p", "Port",
	 "publish a port, [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT[/PROTO], e.g. "
	 "127.0.0.1:8080:80/tcp",
	 NULL},
	{F_SOURCE_IP_TRANSPARENT, CLI_BOOL, "source-ip-transparent", NULL, "Port",
	 "builtin port driver: the service sees each client's own address and port (TCP and "
	 "UDP, IPv4 and IPv6; not loopback clients, nor the other family of a dual-stack port)",
	 "true"},
	{F_PIDNS, CLI_BOOL, "pidns", NULL, "Process", "create a PID namespace (new /proc)",
	 "false"},
	{F_CGROUPNS, CLI_BOOL, "cgroupns", NULL, "Process", "create a cgroup namespace", "false"},
	{F_UTSNS, CLI_BOOL, "utsns", NULL, "Process", "create a UTS namespace", "false"},
	{F_IPCNS, CLI_BOOL, "ipcns", NULL, "Process", "create an IPC namespace", "false"},
	{F_DETACH_NETNS, CLI_BOOL, "detach-netns", NULL, "Network",
	 "keep the network namespace at $STATE_DIR/netns and run the command in the host "
	 "network; $STATE_DIR/resolv.conf and hosts are written for it, not mounted on /etc",
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
 * cli_scan() - Split the arguments into flag values and the command, as given
 * @argc:	argument count
 * @argv:	arguments; the command in @raw->argv points into it
 * @raw:	filled in (zero it first); free with cli_raw_free() in every case
 * @res:	error message
 *
 * Return: 0, -EINVAL or -ENOMEM
 */
int cli_scan(int argc, char **argv, struct cli_raw *raw, struct cli_result *res)
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
			return error_plain(&res->err, -EINVAL, "bad flag syntax: %s", a);
		eq = strchr(name, '=');
		len = eq ? (size_t)(eq - name) : strlen(name);
		f = cli_find(name, len);
		if (!f)
			return error_plain(&res->err, -EINVAL,
					   "flag provided but not defined: -%.*s (see --help)",
					   (int)len, name);
		if (eq)
			value = eq + 1;
		if (f->type == CLI_BOOL) {
			bool v = true;

			if (value && cli_parse_bool(value, &v))
				return error_plain(
					&res->err, -EINVAL,
					"invalid boolean value \"%s\" for flag --%s: use "
					"true or false",
					value, f->name);
			raw->boolv[f->id] = v;
			raw->given[f->id] = true;
			continue;
		}
		if (!value) {
			if (i + 1 >= argc)
				return error_plain(&res->err, -EINVAL,
						   "flag needs an argument: --%s", f->name);
			value = argv[++i];
		}
		raw->given[f->id] = true;
		if (f->id == F_COPY_UP)
			ret = cli_append(&raw->copy_up, &raw->n_copy_up, value);
		else if (f->id == F_PUBLISH)
			ret = cli_append(&raw->publish, &raw->n_publish, value);
		else
			raw->str[f->id] = value;
		if (ret)
			return error_plain(&res->err, -ENOMEM, "out of memory");
	}
	/* an empty argv (argc 0, which execve() allows before Linux 5.18) has no command */
	raw->argc = argc > i ? argc - i : 0;
	raw->argv = calloc(raw->argc + 1, sizeof(*raw->argv));
	if (!raw->argv)
		return error_plain(&res->err, -ENOMEM, "out of memory");
	for (int j = 0; j < raw->argc; j++)
		raw->argv[j] = argv[i + j];
	return 0;
}

/**
 * cli_raw_free() - Release what cli_scan() allocated and nobody took
 * @raw:	flag values
 *
 * Return: nothing
 */
void cli_raw_free(struct cli_raw *raw)
{
	for (size_t i = 0; i < raw->n_copy_up; i++)
		free(raw->copy_up[i]);
	for (size_t i = 0; i < raw->n_publish; i++)
		free(raw->publish[i]);
	free(raw->copy_up);
	free(raw->publish);
	free(raw->argv);
	memset(raw, 0, sizeof(*raw));
}

/**
 * cli_flag_name() - The long name of a flag
 * @id:		flag
 *
 * Return: its name without dashes ("pasta-binary")
 */
const char *cli_flag_name(enum cli_id id)
{
	for (size_t i = 0; i < ARRAY_SIZE(cli_flags); i++)
		if (cli_flags[i].id == id)
			return cli_flags[i].name;
	return "?";
}

/**
 * cli_semver() - Pick one component of CLI_COMPAT_VERSION
 * @which:	major, minor or patch
 * @out:	the number
 *
 * Return: 0, or -EINVAL for another word
 */
int cli_semver(const char *which, unsigned int *out)
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

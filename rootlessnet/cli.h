/* cli.h - rootlesskit-compatible command line: its syntax, the flag table, --help, --version */
#ifndef RN_CLI_H
#define RN_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/*
 * the rootlesskit release whose command line and API we implement: every flag of its
 * cmd/rootlesskit is parsed (the drivers we do not provide refused, saying what to use), its
 * REST API (1.1.2, pkg/api of v3.1.0) is served byte for byte
 */
#define CLI_COMPAT_VERSION "3.1.0"

/**
 * enum cli_action - what main() does after parsing
 * @CLI_RUN:		run the command in the namespaces
 * @CLI_HELP:		print --help and exit 0
 * @CLI_VERSION:	print --version and exit 0
 * @CLI_SEMVER:		print one --print-semver component and exit 0
 */
enum cli_action {
	CLI_RUN = 0,
	CLI_HELP,
	CLI_VERSION,
	CLI_SEMVER,
};

/**
 * struct cli_result - outcome of parsing besides the configuration (conf_parse())
 * @action:	what to do
 * @semver:	for CLI_SEMVER: the number to print
 * @err:	why parsing failed
 */
struct cli_result {
	enum cli_action action;
	unsigned int semver;
	struct error err;
};

/* the flags, by what they set */
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
	F_SOURCE_IP_TRANSPARENT,
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
 * struct cli_raw - the command line as given, before anything is checked (cli_scan())
 * @str:	string values, NULL when not given
 * @given:	the flag appeared
 * @boolv:	boolean values
 * @copy_up:	--copy-up values, in order, comma-separated ones split (NULL-terminated)
 * @n_copy_up:	number of @copy_up
 * @publish:	--publish/-p values, likewise
 * @n_publish:	number of @publish
 * @argv:	the command and its arguments (NULL-terminated; the strings are argv's)
 * @argc:	number of @argv
 */
struct cli_raw {
	const char *str[F_COUNT];
	bool given[F_COUNT];
	bool boolv[F_COUNT];
	char **copy_up;
	size_t n_copy_up;
	char **publish;
	size_t n_publish;
	char **argv;
	int argc;
};

int cli_scan(int argc, char **argv, struct cli_raw *raw, struct cli_result *res);
void cli_raw_free(struct cli_raw *raw);
const char *cli_flag_name(enum cli_id id);
int cli_semver(const char *which, unsigned int *out);
void cli_print_help(FILE *f);
void cli_print_version(FILE *f);

#endif /* RN_CLI_H */

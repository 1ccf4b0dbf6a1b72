/* cli.h - rootlesskit-compatible command line: parsing into struct conf, validation, --help */
#ifndef RN_CLI_H
#define RN_CLI_H

#include <stddef.h>
#include <stdio.h>

struct conf;

/* the rootlesskit release whose command line and API we implement */
#define CLI_COMPAT_VERSION "2.3.6"

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
 * struct cli_result - outcome of cli_parse() besides the configuration
 * @action:	what to do
 * @semver:	for CLI_SEMVER: the number to print
 * @err:	error message when cli_parse() fails
 */
struct cli_result {
	enum cli_action action;
	unsigned int semver;
	char err[512];
};

int cli_parse(int argc, char **argv, struct conf *c, struct cli_result *res);
void cli_conf_free(struct conf *c);
void cli_print_help(FILE *f);
void cli_print_version(FILE *f);
const char *cli_net_name(int net);

#endif /* RN_CLI_H */

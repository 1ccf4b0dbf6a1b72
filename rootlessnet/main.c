/* main.c - rootlessnet entry point: parse the rootlesskit command line, then run the parent */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "cli.h"
#include "conf.h"
#include "log.h"
#include "parent.h"

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: exit status: the command's, 128+N if signal N killed it, 1 if we failed
 */
int main(int argc, char **argv)
{
	struct cli_result res;
	struct conf c;
	int code;

	log_set_role("rootlessnet:parent");
	if (conf_parse(argc, argv, &c, &res)) {
		err_report(&res.err);
		conf_free(&c);
		return 1;
	}
	if (c.debug)
		log_set_level(LOG_LVL_DEBUG);
	switch (res.action) {
	case CLI_HELP:
		cli_print_help(stdout);
		code = 0;
		break;
	case CLI_VERSION:
		cli_print_version(stdout);
		code = 0;
		break;
	case CLI_SEMVER:
		printf("%u\n", res.semver);
		code = 0;
		break;
	case CLI_RUN:
	default:
		code = parent_run(&c);
		break;
	}
	conf_free(&c);
	return code;
}

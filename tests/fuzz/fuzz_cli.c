/* fuzz_cli.c - fuzz harness: the rootlesskit command line, and the paths and network it gives */
/**
 * DOC: Theory of operation
 *
 * The input is an argument vector, arguments separated by NUL bytes, after a fixed
 * argv[0]; the empty input is the empty vector (argc 0, which execve(2) allows on kernels
 * before 5.18). conf_parse() must never exit or crash; it returns an error with a message, or
 * a configuration that the rest of the program can trust. The harness checks that trust:
 * a command to run, every -p already valid, --copy-up paths absolute, a port driver that fits
 * the network, an interface name that fits, and the state directory and --copy-up paths
 * cleaned as statedir.c and mountns.c clean them (path_clean(), path_clean_plain(), checked
 * for what they promise), the network flags resolved as net.c resolves them in the child.
 */
#include "config.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "conf.h"
#include "error.h"
#include "fuzz.h"
#include "path.h"
#include "portmap.h"
#include "util.h"

/* Arguments taken from one input at most (urfave/cli has no limit; this keeps it fast) */
#define CLI_FUZZ_MAX_ARGS 128

/**
 * LLVMFuzzerInitialize() - Log everything (formatting is part of what is fuzzed)
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_LVL_DEBUG);
	return 0;
}

/**
 * cli_fuzz_check_clean() - Check a cleaned absolute path, and that cleaning it again keeps it
 * @p:		the cleaned path
 *
 * Return: nothing; aborts on a broken promise
 */
static void cli_fuzz_check_clean(const char *p)
{
	size_t n = strlen(p);
	cleanup_free char *again = strdup(p);

	fuzz_assert(again, "out of memory");
	fuzz_assert(p[0] == '/', "not absolute: %s", p);
	fuzz_assert(n == 1 || p[n - 1] != '/', "trailing slash: %s", p);
	fuzz_assert(!strstr(p, "//") && !strstr(p, "/./") && !strstr(p, "/../"), "not clean: %s",
		    p);
	/* a last part of "." or ".." ("/." and "/.." themselves included) */
	fuzz_assert((n < 2 || strcmp(p + n - 2, "/.") != 0) &&
			    (n < 3 || strcmp(p + n - 3, "/..") != 0),
		    "not clean: %s", p);
	fuzz_assert(!strcmp(path_clean(again), p), "cleaning twice changes %s", p);
}

/**
 * cli_fuzz_paths() - Clean the state directory and --copy-up paths as the parent and child do
 * @c:		parsed configuration
 *
 * Return: nothing; aborts on a broken promise
 */
static void cli_fuzz_paths(const struct conf *c)
{
	if (c->state_dir) {
		cleanup_free char *p = NULL;

		/* statedir.c prefixes a relative path with the working directory */
		if (asprintf(&p, "%s%s", c->state_dir[0] == '/' ? "" : "/home/user/",
			     c->state_dir) < 0)
			abort();
		cli_fuzz_check_clean(path_clean(p));
	}
	for (size_t i = 0; i < c->n_copy_up; i++) {
		char dir[PATH_MAX];

		fuzz_assert(c->copy_up[i][0] == '/', "relative --copy-up=%s accepted",
			    c->copy_up[i]);
		if (path_clean_plain(c->copy_up[i], dir, sizeof(dir)))
			continue;
		/* no ".." part is left to climb with: path_clean_plain() refused those */
		cli_fuzz_check_clean(dir);
	}
}

/**
 * cli_fuzz_check_conf() - Check what a successful parse promises the rest of the program
 * @c:		configuration
 *
 * Return: nothing; aborts on a broken promise
 */
static void cli_fuzz_check_conf(const struct conf *c)
{
	struct portspec spec;
	char err[ERROR_MSGLEN];

	fuzz_assert(c->argc >= 1 && c->argv && !c->argv[c->argc], "argc %d", c->argc);
	for (int i = 0; i < c->argc; i++)
		fuzz_assert(c->argv[i], "argv[%d] is NULL", i);
	for (size_t i = 0; i < c->n_publish; i++) {
		struct error e = {0};

		fuzz_assert(!portspec_parse_publish(c->publish[i], &spec, &e),
			    "invalid -p accepted: %s", error_str(&e, err, sizeof(err)));
	}
	fuzz_assert(c->propagation, "no propagation");
	fuzz_assert(memchr(c->ifname, '\0', sizeof(c->ifname)), "ifname not terminated");
	fuzz_assert(c->mtu <= CONF_MTU_MAX, "--mtu=%u", c->mtu);
	/* what conf_derive() promises: a usable MTU, parsed specs, propagation flags */
	fuzz_assert(c->net != CONF_NET_SLIRP4NETNS || c->mtu >= 68, "--mtu=%u", c->mtu);
	fuzz_assert(!c->ipv6 || c->net != CONF_NET_SLIRP4NETNS || c->mtu >= 1280,
		    "--mtu=%u with --ipv6", c->mtu);
	fuzz_assert(c->specs && c->propagation_flags, "nothing derived");
	for (size_t i = 0; i < c->n_publish; i++)
		fuzz_assert(c->specs[i].parent_port >= 1 && c->specs[i].child_port >= 1,
			    "-p %s not parsed", c->publish[i]);
	fuzz_assert(c->port_driver != CONF_PORT_SLIRP4NETNS || c->net == CONF_NET_SLIRP4NETNS,
		    "slirp4netns port driver without its network");
	fuzz_assert(c->port_driver != CONF_PORT_BUILTIN || c->net != CONF_NET_HOST,
		    "builtin port driver with --net=host");
	fuzz_assert(!c->cidr_given || (c->cidr_prefix >= 1 && c->cidr_prefix <= 25), "/%u",
		    c->cidr_prefix);
	fuzz_assert(!c->reaper_on || c->pidns, "reaper without --pidns");
	cli_fuzz_paths(c);
}

/**
 * LLVMFuzzerTestOneInput() - An argument vector, NUL-separated
 * @data:	input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cleanup_free char *buf = fuzz_strndup(data, size);
	char *argv[CLI_FUZZ_MAX_ARGS + 2] = {"rootlessnet"};
	struct cli_result res;
	struct conf c;
	int argc = 0, ret;

	if (size) {
		argc = 1 + (int)fuzz_split(buf, size, '\0', argv + 1, CLI_FUZZ_MAX_ARGS);
		argv[argc] = NULL;
	} else {
		argv[0] = NULL;
	}
	ret = conf_parse(argc, argv, &c, &res);
	if (ret) {
		fuzz_assert(ret == -EINVAL || ret == -ENOMEM, "cli_parse: %d", ret);
		fuzz_assert(res.err.msg[0], "refused without a message");
		fuzz_assert(res.err.errnum == -ret, "error %d for return %d", res.err.errnum, ret);
	} else if (res.action == CLI_RUN) {
		cli_fuzz_check_conf(&c);
	}
	conf_free(&c);
	return 0;
}

/* ctl-main.c - rootlessnetctl: rootlessctl's commands, flags and output over ctl.c */
/**
 * DOC: Theory of operation
 *
 * A drop-in for rootlesskit's rootlessctl (packaging may install it under that name):
 *
 *   rootlessnetctl [--debug] [--socket PATH] COMMAND [--json] [ARGS...]
 *
 * with the commands info, list-ports, add-ports and remove-ports, the socket defaulting to
 * $ROOTLESSKIT_STATE_DIR/api.sock, flags parsed as Go's flag package does (one or two
 * dashes, "--flag=value", flags before arguments), output and messages as rootlessctl's.
 * Failures print "error: MESSAGE" on stderr and exit 1 (unknown command: 3). Those lines
 * and the help text are this program's output, not diagnostics, so they are written
 * directly rather than through log.h.
 */
#include "config.h"

#include <errno.h>
#include <libgen.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apijson.h"
#include "ctl.h"
#include "ctlfmt.h"
#include "error.h"
#include "gojson.h"
#include "log.h"
#include "util.h"

/* what the last request said went wrong (a message quoting a long answer loses its middle) */
static struct error ctlmain_e;
static const char *ctlmain_name = "rootlessctl";

/**
 * struct ctlmain_opts - parsed flags
 * @socket:	--socket, or NULL
 * @json:	the command's --json
 */
struct ctlmain_opts {
	const char *socket;
	bool json;
};

/**
 * ctlmain_usage() - Print the help text
 * @f:		output
 *
 * Return: nothing
 */
static void ctlmain_usage(FILE *f)
{
	fprintf(f,
		"NAME:\n"
		"   %s - RootlessKit API client\n\n"
		"USAGE:\n"
		"   %s [global options] command [command options] [arguments...]\n\n"
		"VERSION:\n"
		"   %s\n\n"
		"COMMANDS:\n"
		"   list-ports    List ports\n"
		"   add-ports     Add ports\n"
		"   remove-ports  Remove ports\n"
		"   info          Show info\n"
		"   help, h       Shows a list of commands or help for one command\n\n"
		"GLOBAL OPTIONS:\n"
		"   --debug         debug mode (default: false)\n"
		"   --socket value  Path to api.sock (under the \"rootlesskit --state-dir\" "
		"directory), defaults to $ROOTLESSKIT_STATE_DIR/api.sock\n"
		"   --help, -h      show help (default: false)\n"
		"   --version, -v   print the version (default: false)\n",
		ctlmain_name, ctlmain_name, PACKAGE_VERSION);
}

/**
 * ctlmain_command_usage() - Print a command's help text
 * @f:		output
 * @cmd:	command
 *
 * Return: nothing
 */
static void ctlmain_command_usage(FILE *f, const char *cmd)
{
	const char *usage = "", *args = "[flags]";
	bool json = true;

	if (!strcmp(cmd, "info")) {
		usage = "Show info";
	} else if (!strcmp(cmd, "list-ports")) {
		usage = "List ports";
	} else if (!strcmp(cmd, "add-ports")) {
		usage = "Add ports";
		args = "[flags] PARENTIP:PARENTPORT:CHILDPORT/PROTO "
		       "[PARENTIP:PARENTPORT:CHILDPORT/PROTO...]";
	} else {
		usage = "Remove ports";
		args = "[flags] ID [ID...]";
		json = false;
	}
	fprintf(f, "NAME:\n   %s %s - %s\n\nUSAGE:\n   %s %s [command options] %s\n\n",
		ctlmain_name, cmd, usage, ctlmain_name, cmd, args);
	if (!strcmp(cmd, "add-ports"))
		fprintf(f,
			"DESCRIPTION:\n   Add exposed ports. The port spec is similar to `docker "
			"run -p`. e.g. \"127.0.0.1:8080:80/tcp\".\n\n");
	fprintf(f, "OPTIONS:\n");
	if (json)
		fprintf(f, "   --json      Prints as JSON (default: false)\n");
	fprintf(f, "   --help, -h  show help (default: false)\n");
}

/**
 * ctlmain_fail() - Print "error: MESSAGE" as rootlessctl does
 * @msg:	message
 *
 * Return: 1, the exit status
 */
static int ctlmain_fail(const char *msg)
{
	fprintf(stderr, "error: %s\n", msg);
	return 1;
}

/**
 * ctlmain_fail_report() - ctlmain_fail() for an error
 * @e:		what failed
 *
 * Return: 1, the exit status
 */
static int ctlmain_fail_report(const struct error *e)
{
	char msg[ERROR_MSGLEN + 64];

	return ctlmain_fail(error_str(e, msg, sizeof(msg)));
}

/**
 * ctlmain_bool() - Value of a boolean flag as Go's flag package reads it
 * @val:	text after '=', or NULL for none
 * @out:	the value
 *
 * Return: 0, or -EINVAL for text strconv.ParseBool refuses
 */
static int ctlmain_bool(const char *val, bool *out)
{
	static const char *const t[] = {"1", "t", "T", "TRUE", "true", "True"};
	static const char *const f[] = {"0", "f", "F", "FALSE", "false", "False"};

	if (!val) {
		*out = true;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		if (!strcmp(val, t[i])) {
			*out = true;
			return 0;
		}
		if (!strcmp(val, f[i])) {
			*out = false;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * ctlmain_flag() - Split a flag argument into name and value
 * @arg:	"-name", "--name" or "--name=value"
 * @name:	output, the name without dashes
 * @len:	size of @name
 *
 * Return: the value after '=', or NULL
 */
static const char *ctlmain_flag(const char *arg, char *name, size_t len)
{
	const char *p = arg + 1, *eq;

	if (*p == '-')
		p++;
	eq = strchr(p, '=');
	snprintf(name, len, "%.*s", (int)(eq ? (size_t)(eq - p) : strlen(p)), p);
	return eq ? eq + 1 : NULL;
}

/**
 * ctlmain_next_flag() - The flag at @argv[*@i], as Go's flag package finds them: up to the
 *			 first argument that is not a flag, or past "--"
 * @argc:	argument count
 * @argv:	arguments
 * @i:		index of the next argument; moved past "--"
 * @name:	the flag's name, without dashes
 * @len:	size of @name
 * @val:	its "=value", or NULL
 *
 * Return: true for a flag, false where the flags end
 */
static bool ctlmain_next_flag(int argc, char **argv, int *i, char *name, size_t len,
			      const char **val)
{
	if (*i >= argc || argv[*i][0] != '-' || !argv[*i][1])
		return false;
	if (!strcmp(argv[*i], "--")) {
		(*i)++;
		return false;
	}
	*val = ctlmain_flag(argv[*i], name, len);
	return true;
}

/**
 * ctlmain_incorrect() - Refuse the command line as urfave/cli does
 * @msg:	what is wrong
 * @cmd:	command whose help to show, or NULL for the global help
 *
 * Return: 1, the exit status
 */
static int ctlmain_incorrect(const char *msg, const char *cmd)
{
	printf("Incorrect Usage: %s\n\n", msg);
	if (cmd)
		ctlmain_command_usage(stdout, cmd);
	else
		ctlmain_usage(stdout);
	return ctlmain_fail(msg);
}

/**
 * ctlmain_connect() - Make the client for the chosen socket
 * @o:		flags
 * @out:	client
 *
 * Return: 0, or 1 after printing the error
 */
static int ctlmain_connect(const struct ctlmain_opts *o, struct ctl **out)
{
	cleanup_free char *path = NULL;

	if (o->socket && *o->socket) {
		path = strdup(o->socket);
	} else {
		const char *dir = getenv("ROOTLESSKIT_STATE_DIR");
		if (!dir || !*dir)
			return ctlmain_fail(
				"please specify --socket or set $ROOTLESSKIT_STATE_DIR");
		if (asprintf(&path, "%s/api.sock", dir) < 0)
			path = NULL;
	}
	if (!path)
		return ctlmain_fail("out of memory");
	if (ctl_open(path, out, &ctlmain_e))
		return ctlmain_fail_report(&ctlmain_e);
	/* cleanup_free releases it */ // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
	return 0;
}

/**
 * ctlmain_info() - The info command
 * @o:		flags
 *
 * Return: exit status
 */
static int ctlmain_info(const struct ctlmain_opts *o)
{
	struct apijson_info in;
	struct ctl *c = NULL;
	json_t *root = NULL;
	int ret = ctlmain_connect(o, &c);

	if (ret)
		return ret;
	if (ctl_info(c, &root, &in, &ctlmain_e)) {
		ret = ctlmain_fail_report(&ctlmain_e);
	} else if (o->json) {
		cleanup_free char *s = apijson_info_dump(&in, true);

		ret = s ? (puts(s) < 0) : ctlmain_fail("out of memory");
	} else {
		ret = ctlfmt_info_text(stdout, &in) ? 1 : 0;
	}
	json_decref(root);
	ctl_close(c);
	return ret;
}

/**
 * ctlmain_list() - The list-ports command
 * @o:		flags
 *
 * Return: exit status
 */
static int ctlmain_list(const struct ctlmain_opts *o)
{
	cleanup_free struct apijson_status *st = NULL;
	struct ctl *c = NULL;
	json_t *root = NULL;
	size_t n = 0;
	int ret = ctlmain_connect(o, &c);

	if (ret)
		return ret;
	if (ctl_list_ports(c, &root, &st, &n, &ctlmain_e)) {
		ret = ctlmain_fail_report(&ctlmain_e);
	} else if (o->json) {
		for (size_t i = 0; i < n && !ret; i++) {
			cleanup_free char *s = apijson_status_dump(&st[i]);

			ret = s ? (puts(s) < 0) : ctlmain_fail("out of memory");
		}
	} else {
		ret = ctlfmt_ports_table(stdout, st, n) ? 1 : 0;
	}
	json_decref(root);
	ctl_close(c);
	return ret;
}

/**
 * struct ctlmain_batch - A command that takes a list: each argument parsed, then sent in order
 * @none:	message when no argument is given
 * @size:	size of one parsed argument
 * @parse:	parse one argument into @item; -errno with the reason in @e
 * @run:	send one parsed argument and print its result; 0, or a non-zero exit status
 */
struct ctlmain_batch {
	const char *none;
	size_t size;
	int (*parse)(const char *arg, void *item, struct error *e);
	int (*run)(const struct ctlmain_opts *o, struct ctl *c, const void *item);
};

/**
 * ctlmain_each() - Run a list command: parse every argument first (nothing is sent if one is
 *		    bad), then connect and send each in order, stopping at the first failure
 * @o:		flags
 * @b:		the command
 * @argc:	its arguments
 * @argv:	their text
 *
 * Return: exit status
 */
static int ctlmain_each(const struct ctlmain_opts *o, const struct ctlmain_batch *b, int argc,
			char **argv)
{
	cleanup_free char *items = NULL;
	struct ctl *c = NULL;
	int ret;

	if (argc < 1)
		return ctlmain_fail(b->none);
	items = calloc((size_t)argc, b->size);
	if (!items)
		return ctlmain_fail("out of memory");
	for (int i = 0; i < argc; i++)
		if (b->parse(argv[i], items + (size_t)i * b->size, &ctlmain_e))
			return ctlmain_fail_report(&ctlmain_e);
	ret = ctlmain_connect(o, &c);
	for (int i = 0; i < argc && !ret; i++)
		ret = b->run(o, c, items + (size_t)i * b->size);
	ctl_close(c);
	return ret;
}

/**
 * ctlmain_add_parse() - add-ports: parse one port spec
 * @arg:	its text
 * @item:	struct ctlfmt_spec
 * @e:		why it is refused
 *
 * Return: 0 or -errno
 */
static int ctlmain_add_parse(const char *arg, void *item, struct error *e)
{
	return ctlfmt_parse_spec(arg, item, e);
}

/**
 * ctlmain_add_run() - add-ports: add one port and print its ID (or its status with --json)
 * @o:		flags
 * @c:		connection
 * @item:	struct ctlfmt_spec
 *
 * Return: exit status
 */
static int ctlmain_add_run(const struct ctlmain_opts *o, struct ctl *c, const void *item)
{
	struct apijson_spec fields;
	struct apijson_status st;
	json_t *root = NULL;
	int ret;

	ctlfmt_spec_fields(item, &fields);
	if (ctl_add_port(c, &fields, &root, &st, &ctlmain_e)) {
		ret = ctlmain_fail_report(&ctlmain_e);
	} else if (o->json) {
		cleanup_free char *s = apijson_status_dump(&st);

		ret = s ? (puts(s) < 0) : ctlmain_fail("out of memory");
	} else {
		ret = printf("%lld\n", st.id) < 0;
	}
	json_decref(root);
	return ret;
}

/**
 * ctlmain_remove_parse() - remove-ports: parse one ID as Go's strconv.Atoi does
 * @arg:	its text
 * @item:	long long
 * @e:		why it is refused
 *
 * Return: 0 or -errno
 */
static int ctlmain_remove_parse(const char *arg, void *item, struct error *e)
{
	return gojson_atoi(arg, item, e);
}

/**
 * ctlmain_remove_run() - remove-ports: remove one port and print its ID
 * @o:		flags (unused)
 * @c:		connection
 * @item:	long long
 *
 * Return: exit status
 */
static int ctlmain_remove_run(const struct ctlmain_opts *o, struct ctl *c, const void *item)
{
	long long id = *(const long long *)item;

	(void)o;
	if (ctl_remove_port(c, id, &ctlmain_e))
		return ctlmain_fail_report(&ctlmain_e);
	return printf("%lld\n", id) < 0;
}

static const struct ctlmain_batch ctlmain_add = {"no port specified", sizeof(struct ctlfmt_spec),
						 ctlmain_add_parse, ctlmain_add_run};
static const struct ctlmain_batch ctlmain_remove = {"no ID specified", sizeof(long long),
						    ctlmain_remove_parse, ctlmain_remove_run};

/**
 * ctlmain_command() - Parse a command's flags and run it
 * @o:		global flags; --json is set here
 * @cmd:	command name
 * @argc:	arguments after the command
 * @argv:	their text
 *
 * Return: exit status
 */
static int ctlmain_command(struct ctlmain_opts *o, const char *cmd, int argc, char **argv)
{
	bool has_json = strcmp(cmd, "remove-ports") != 0;
	char name[64], msg[160];
	const char *val;
	int i;

	for (i = 0; ctlmain_next_flag(argc, argv, &i, name, sizeof(name), &val); i++) {
		if (!strcmp(name, "help") || !strcmp(name, "h")) {
			ctlmain_command_usage(stdout, cmd);
			return 0;
		}
		if (has_json && !strcmp(name, "json")) {
			if (ctlmain_bool(val, &o->json)) {
				snprintf(msg, sizeof(msg),
					 "invalid boolean value \"%s\" for -json: parse error",
					 val);
				return ctlmain_incorrect(msg, cmd);
			}
			continue;
		}
		snprintf(msg, sizeof(msg), "flag provided but not defined: -%s", name);
		return ctlmain_incorrect(msg, cmd);
	}
	argc -= i;
	argv += i;
	if (!strcmp(cmd, "info"))
		return ctlmain_info(o);
	if (!strcmp(cmd, "list-ports"))
		return ctlmain_list(o);
	if (!strcmp(cmd, "add-ports"))
		return ctlmain_each(o, &ctlmain_add, argc, argv);
	return ctlmain_each(o, &ctlmain_remove, argc, argv);
}

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: exit status (0, 1 on failure, 3 for an unknown command)
 */
int main(int argc, char **argv)
{
	static const char *const cmds[] = {"info", "list-ports", "add-ports", "remove-ports"};
	struct ctlmain_opts o = {0};
	char name[64], msg[160];
	bool debug = false;
	const char *val;
	int i;

	if (argc > 0 && argv[0] && *argv[0]) {
		cleanup_free char *a0 = strdup(argv[0]);

		if (a0)
			/* cleanup_free releases it */ // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
			ctlmain_name = strdup(basename(a0));
		if (!ctlmain_name)
			ctlmain_name = "rootlessctl";
	}
	log_set_role(ctlmain_name);
	/* keep stdout and "error:" lines in order when both go to one file, as Go's are */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; ctlmain_next_flag(argc, argv, &i, name, sizeof(name), &val); i++) {
		if (!strcmp(name, "help") || !strcmp(name, "h")) {
			ctlmain_usage(stdout);
			return 0;
		}
		if (!strcmp(name, "version") || !strcmp(name, "v")) {
			printf("%s version %s\n", ctlmain_name, PACKAGE_VERSION);
			return 0;
		}
		if (!strcmp(name, "debug")) {
			if (ctlmain_bool(val, &debug)) {
				snprintf(msg, sizeof(msg),
					 "invalid boolean value \"%s\" for -debug: parse error",
					 val);
				return ctlmain_incorrect(msg, NULL);
			}
			continue;
		}
		if (!strcmp(name, "socket")) {
			if (!val) {
				if (i + 1 >= argc)
					return ctlmain_incorrect("flag needs an argument: -socket",
								 NULL);
				val = argv[++i];
			}
			o.socket = val;
			continue;
		}
		snprintf(msg, sizeof(msg), "flag provided but not defined: -%s", name);
		return ctlmain_incorrect(msg, NULL);
	}
	if (debug)
		log_set_level(LOG_LVL_DEBUG);
	if (i >= argc) {
		ctlmain_usage(stdout);
		return 0;
	}
	if (!strcmp(argv[i], "help") || !strcmp(argv[i], "h")) {
		if (i + 1 < argc) {
			for (size_t k = 0; k < ARRAY_SIZE(cmds); k++) {
				if (!strcmp(argv[i + 1], cmds[k])) {
					ctlmain_command_usage(stdout, cmds[k]);
					return 0;
				}
			}
			printf("No help topic for '%s'\n", argv[i + 1]);
			return 3;
		}
		ctlmain_usage(stdout);
		return 0;
	}
	for (size_t k = 0; k < ARRAY_SIZE(cmds); k++) {
		if (!strcmp(argv[i], cmds[k]))
			return ctlmain_command(&o, cmds[k], argc - i - 1, argv + i + 1);
	}
	printf("No help topic for '%s'\n", argv[i]);
	return 3;
}

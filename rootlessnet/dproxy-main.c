/* dproxy-main.c - rootlessnet-docker-proxy entry point */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "dproxy.h"

/**
 * dproxy_print_help() - Print --help (the help text is this program's output, not a diagnostic)
 *
 * Return: nothing
 */
static void dproxy_print_help(void)
{
	printf("Usage: rootlessnet-docker-proxy [-proto PROTO] -host-ip IP -host-port PORT "
	       "-container-ip IP -container-port PORT\n"
	       "\n"
	       "dockerd's userland proxy in rootless mode, a drop-in for\n"
	       "rootlesskit-docker-proxy (the rootlessnet-rootlesskit package installs it\n"
	       "under that name). dockerd, running inside the namespaces of rootlessnet (or\n"
	       "rootlesskit), starts it for each published port and address family. It\n"
	       "publishes the host port through the RootlessKit API on\n"
	       "$ROOTLESSKIT_STATE_DIR/api.sock (tcp or udp becomes tcp4/tcp6 or udp4/udp6\n"
	       "by the family of the host IP; a family the port driver lacks is skipped with\n"
	       "a warning), runs docker-proxy inside the namespace to forward to the\n"
	       "container, reports \"0\" or \"1\" and a message on fd 3 as dockerd expects, and\n"
	       "removes the port again on SIGINT or SIGTERM, or when docker-proxy exits.\n"
	       "\n"
	       "The flags are docker-proxy's, written with one dash or two, their values as the\n"
	       "next argument or after \"=\". Exit status: 0 after SIGINT or SIGTERM;\n"
	       "docker-proxy's when it exits by itself (1 when a signal killed it); 2 for a\n"
	       "bad command line; 1 when the port cannot be published or docker-proxy cannot\n"
	       "be started.\n"
	       "\n"
	       "Options:\n"
	       "  -container-ip IP\n"
	       "        container IP\n"
	       "  -container-port PORT\n"
	       "        container port (default -1)\n"
	       "  -host-ip IP\n"
	       "        host IP\n"
	       "  -host-port PORT\n"
	       "        host port (default -1)\n"
	       "  -proto PROTO\n"
	       "        proxy protocol: tcp, udp or sctp (default \"tcp\")\n"
	       "  --help, -h\n"
	       "        show this help (as the only argument)\n"
	       "  --version\n"
	       "        print the version (as the only argument)\n"
	       "\n"
	       "Environment:\n"
	       "  ROOTLESSKIT_STATE_DIR  the state directory holding api.sock (required)\n");
}

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	docker-proxy's flags, or --help or --version alone
 *
 * Return: exit status
 */
int main(int argc, char **argv)
{
	if (argc == 2) {
		const char *a = argv[1];

		if (!strcmp(a, "--help") || !strcmp(a, "-help") || !strcmp(a, "-h")) {
			dproxy_print_help();
			return 0;
		}
		if (!strcmp(a, "--version") || !strcmp(a, "-version")) {
			printf("rootlessnet-docker-proxy version %s\n", PACKAGE_VERSION);
			return 0;
		}
	}
	return dproxy_main(argc, argv);
}

/* dproxy.c - rootlessnet-docker-proxy: dockerd's userland proxy for rootless mode */
/**
 * DOC: Theory of operation
 *
 * In rootless mode dockerd runs inside the namespaces and starts, for each published port
 * and address family, "rootlesskit-docker-proxy" in place of docker-proxy, with docker-proxy's
 * flags and a pipe as fd 3 on which success ("0\n") or failure ("1\n" and a message) is
 * reported. This program is a drop-in for it, for distributions that install rootlessnet in
 * place of the rootlesskit package:
 *
 * 1. The port is published on the host through the API on $ROOTLESSKIT_STATE_DIR/api.sock:
 *    proto "tcp" becomes "tcp4" or "tcp6" by the host IP's family (dockerd asks once per
 *    family), parentIP/parentPort are the host's, childPort is the host port too. A proto
 *    missing from the port driver's "protos" is skipped with a warning, nothing is published,
 *    success is reported and no docker-proxy runs (rootlesskit v1.1.1 and later do the same;
 *    the mapping's other family is a separate proxy and still works).
 * 2. The real docker-proxy is run inside the namespace, listening on the host port at the
 *    loopback address of that family, or at networkDriver.childIP when the port driver
 *    disallows loopback child IPs (slirp4netns forwards there; childIP is sent in the spec
 *    too), forwarding to the container. It inherits fd 3 and reports on it; it is killed if
 *    this process dies (PDEATHSIG).
 *    Without a port driver (none, or pasta's implicit one, whose ports pasta forwards by
 *    itself) this program becomes docker-proxy, with the same arguments, as
 *    rootlesskit-docker-proxy does since v2: nothing is published through the API.
 * 3. On SIGINT or SIGTERM (dockerd stops proxies with SIGINT) docker-proxy is killed and the
 *    port removed. If docker-proxy exits by itself, the port is removed and this process
 *    exits with its status.
 *
 * Errors before docker-proxy runs are written to fd 3 as "1\n<message>", as dockerd expects.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apijson.h"
#include "ctl.h"
#include "dproxy.h"
#include "error.h"
#include "helper.h"
#include "log.h"
#include "util.h"

/* fd dockerd passes for the start-up report */
#define DPROXY_REPORT_FD 3
/* dproxy_publish(): no port driver, become the real proxy */
#define DPROXY_NO_DRIVER 1
/* the real proxy, run inside the namespace */
#define DPROXY_REAL "docker-proxy"

/**
 * dproxy_parse_int() - Parse a decimal flag value
 * @s:		text
 * @out:	value
 *
 * Return: 0, or -EINVAL
 */
static int dproxy_parse_int(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return -EINVAL;
	return 0;
}

/**
 * dproxy_parse_args() - Parse docker-proxy's flags, as Go's flag package does
 * @argc:	argument count
 * @argv:	arguments (argv[0] is the program)
 * @a:		parsed flags (defaults: proto tcp, ports -1)
 * @e:		message on failure
 *
 * Return: 0, or -EINVAL
 */
int dproxy_parse_args(int argc, char **argv, struct dproxy_args *a, struct error *e)
{
	*a = (struct dproxy_args){
		.container_ip = "",
		.container_port = -1,
		.host_ip = "",
		.host_port = -1,
		.proto = "tcp",
	};
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *name, *val, *eq;
		char key[32];
		size_t klen;

		if (arg[0] != '-' || !arg[1]) {
			return error_plain(e, EINVAL, "unexpected argument \"%s\"", arg);
		}
		name = arg + 1 + (arg[1] == '-');
		eq = strchr(name, '=');
		klen = eq ? (size_t)(eq - name) : strlen(name);
		if (klen >= sizeof(key)) {
			return error_plain(e, EINVAL, "flag provided but not defined: -%s", name);
		}
		memcpy(key, name, klen);
		key[klen] = '\0';
		if (eq) {
			val = eq + 1;
		} else if (i + 1 < argc) {
			val = argv[++i];
		} else {
			return error_plain(e, EINVAL, "flag needs an argument: -%s", key);
		}
		if (!strcmp(key, "container-ip")) {
			a->container_ip = val;
		} else if (!strcmp(key, "host-ip")) {
			a->host_ip = val;
		} else if (!strcmp(key, "proto")) {
			a->proto = val;
		} else if (!strcmp(key, "container-port") || !strcmp(key, "host-port")) {
			long long *p = key[0] == 'c' ? &a->container_port : &a->host_port;

			if (dproxy_parse_int(val, p)) {
				return error_plain(e, EINVAL, "invalid value \"%s\" for flag -%s",
						   val, key);
			}
		} else {
			return error_plain(e, EINVAL, "flag provided but not defined: -%s", key);
		}
	}
	return 0;
}

/**
 * dproxy_is_ipv6() - Tell whether a text is an IPv6 address (not IPv4-mapped), as Go's
 *		      ip.To4() == nil
 * @ip:		text
 *
 * Return: true for an IPv6 address
 */
static bool dproxy_is_ipv6(const char *ip)
{
	struct in6_addr a6;
	struct in_addr a4;

	if (inet_pton(AF_INET, ip, &a4) == 1)
		return false;
	if (inet_pton(AF_INET6, ip, &a6) != 1)
		return false;
	return !IN6_IS_ADDR_V4MAPPED(&a6);
}

/**
 * dproxy_api_proto() - The API proto for a docker-proxy proto and host IP
 * @proto:	docker-proxy's -proto (tcp, udp, tcp4, ...)
 * @host_ip:	-host-ip
 * @out:	"tcp4", "tcp6", ...
 * @len:	size of @out
 *
 * Return: 0, or -ENAMETOOLONG
 */
int dproxy_api_proto(const char *proto, const char *host_ip, char *out, size_t len)
{
	size_t n = strlen(proto);
	bool family = n && (proto[n - 1] == '4' || proto[n - 1] == '6');
	int w;

	if (family)
		w = snprintf(out, len, "%s", proto);
	else
		w = snprintf(out, len, "%s%c", proto, dproxy_is_ipv6(host_ip) ? '6' : '4');
	return (w < 0 || (size_t)w >= len) ? -ENAMETOOLONG : 0;
}

/**
 * dproxy_report_error() - Tell dockerd that start-up failed, and log it
 * @msg:	message
 *
 * Return: nothing
 */
static void dproxy_report_error(const char *msg)
{
	dprintf(DPROXY_REPORT_FD, "1\n%s", msg);
	err("%s", msg);
}

/**
 * dproxy_report() - dproxy_report_error() for an error
 * @e:		what failed
 *
 * Return: nothing
 */
static void dproxy_report(const struct error *e)
{
	char msg[ERROR_MSGLEN + 64];

	dproxy_report_error(error_str(e, msg, sizeof(msg)));
}

/**
 * dproxy_publish() - Publish the host port through the API, unless the driver lacks the proto
 * @c:		API client
 * @a:		flags
 * @id:		the new port's id, or -1 when skipped
 * @child:	the address docker-proxy listens on inside: the loopback address of the host IP's
 *		family, or networkDriver.childIP when the driver disallows loopback child IPs (the
 *		slirp4netns driver forwards to it), as rootlesskit-docker-proxy does
 * @childlen:	size of @child
 * @e:		message on failure
 *
 * Return: 0; DPROXY_NO_DRIVER when there is no port driver to publish with (none, implicit);
 * or -errno
 */
static int dproxy_publish(struct ctl *c, const struct dproxy_args *a, long long *id, char *child,
			  size_t childlen, struct error *e)
{
	struct apijson_info info;
	struct apijson_status st;
	struct apijson_spec spec;
	json_t *root = NULL;
	char proto[16];
	bool found = false;
	int ret;

	*id = -1;
	if (dproxy_api_proto(a->proto, a->host_ip, proto, sizeof(proto))) {
		return error_plain(e, EINVAL, "invalid proto \"%s\"", a->proto);
	}
	ret = ctl_info(c, &root, &info, e);
	if (ret) {
		json_decref(root);
		return ret;
	}
	if (!info.has_port || !strcmp(info.port_driver, "none") ||
	    !strcmp(info.port_driver, "implicit")) {
		json_decref(root);
		return DPROXY_NO_DRIVER;
	}
	snprintf(child, childlen, "%s", dproxy_is_ipv6(a->host_ip) ? "::1" : "127.0.0.1");
	if (info.disallow_loopback_child_ip) {
		if (!info.child_ip) {
			json_decref(root);
			return error_plain(e, EINVAL,
					   "port driver (\"%s\") does not allow loopback child IP, "
					   "but the network driver has no non-loopback IP",
					   info.port_driver);
		}
		snprintf(child, childlen, "%s", info.child_ip);
	}
	for (size_t i = 0; i < info.n_protos; i++)
		found |= !strcmp(info.protos[i], proto);
	if (!found) {
		warn("protocol \"%s\" is not supported by the RootlessKit port driver \"%s\", "
		     "ignoring request for \"%s%s%s:%lld\"",
		     proto, info.port_driver, dproxy_is_ipv6(a->host_ip) ? "[" : "", a->host_ip,
		     dproxy_is_ipv6(a->host_ip) ? "]" : "", a->host_port);
		json_decref(root);
		return 0;
	}
	json_decref(root);
	root = NULL;
	spec = (struct apijson_spec){
		.proto = proto,
		.parent_ip = a->host_ip,
		.parent_port = a->host_port,
		.child_port = a->host_port,
		.child_ip = child,
	};
	ret = ctl_add_port(c, &spec, &root, &st, e);
	if (!ret)
		*id = st.id;
	json_decref(root);
	if (ret)
		error_wrap(e, "error while calling PortManager.AddPort()");
	return ret;
}

/**
 * struct dproxy_exec - what the helper that becomes docker-proxy runs
 * @a:		flags
 * @lo:		the address to listen on
 * @cport:	container port, as text
 * @hport:	host port, as text
 */
struct dproxy_exec {
	const struct dproxy_args *a;
	const char *lo;
	char cport[24];
	char hport[24];
};

/**
 * dproxy_exec_fn() - In the helper: become docker-proxy
 * @sock:	unused (no socket)
 * @arg:	struct dproxy_exec
 *
 * Return: 127 if it cannot be run (reported on fd 3 first)
 */
static int dproxy_exec_fn(int sock, void *arg)
{
	const struct dproxy_exec *x = arg;

	(void)sock;
	execlp(DPROXY_REAL, DPROXY_REAL, "-container-ip", x->a->container_ip, "-container-port",
	       x->cport, "-host-ip", x->lo, "-host-port", x->hport, "-proto", x->a->proto,
	       (char *)NULL);
	dprintf(DPROXY_REPORT_FD, "1\nerror while starting %s: %s", DPROXY_REAL,
		error_errstr(errno));
	return 127;
}

/**
 * dproxy_spawn() - Run the real docker-proxy on the child address inside the namespace
 * @a:		flags
 * @lo:		the address to listen on (see dproxy_publish())
 * @mask:	signal mask to restore in the child
 * @h:		the process (it dies with us)
 *
 * Return: 0, or -errno
 */
static int dproxy_spawn(const struct dproxy_args *a, const char *lo, const sigset_t *mask,
			struct helper *h)
{
	static const int report = DPROXY_REPORT_FD;
	struct dproxy_exec x = {.a = a, .lo = lo};
	struct helper_spec s = {
		.keep = &report,
		.n_keep = 1,
		.no_socket = true,
		.mask = mask,
		.keep_tty_signals = true,
		.fn = dproxy_exec_fn,
		.arg = &x,
	};

	snprintf(x.cport, sizeof(x.cport), "%lld", a->container_port);
	snprintf(x.hport, sizeof(x.hport), "%lld", a->host_port);
	return helper_spawn(&s, h);
}

/**
 * dproxy_main() - The program: publish, run docker-proxy, clean up on SIGINT
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: exit status
 */
int dproxy_main(int argc, char **argv)
{
	char path[4096], child_ip[INET6_ADDRSTRLEN];
	struct error e = {0};
	const char *state = getenv("ROOTLESSKIT_STATE_DIR");
	struct dproxy_args a;
	struct helper child = HELPER_INIT;
	struct ctl *c = NULL;
	sigset_t set, old;
	long long id = -1;
	int status = 0, ret;

	log_set_role("rootlessnet-docker-proxy");
	if (dproxy_parse_args(argc, argv, &a, &e)) {
		dproxy_report(&e);
		return 2;
	}
	if (!state || !*state) {
		dproxy_report_error("$ROOTLESSKIT_STATE_DIR needs to be set");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/api.sock", state);
	if (ctl_open(path, &c, &e)) {
		dproxy_report(&e);
		return 1;
	}
	/* block before the child exists, so no signal is lost between fork and sigwait */
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGCHLD);
	sigprocmask(SIG_BLOCK, &set, &old);

	ret = dproxy_publish(c, &a, &id, child_ip, sizeof(child_ip), &e);
	if (ret == DPROXY_NO_DRIVER) {
		ctl_close(c);
		sigprocmask(SIG_SETMASK, &old, NULL);
		argv[0] = (char *)DPROXY_REAL;
		execvp(DPROXY_REAL, argv);
		error_errno(&e, -errno, "no port driver, and %s cannot be run", DPROXY_REAL);
		dproxy_report(&e);
		return 1;
	}
	if (ret) {
		dproxy_report(&e);
		ctl_close(c);
		return 1;
	}
	if (id < 0) {
		/*
		 * The driver lacks this family: report success without running docker-proxy, as
		 * rootlesskit-docker-proxy does (its issue #250). With a driver that disallows
		 * loopback child IPs both families' docker-proxy would listen on the same child IP,
		 * and the second one would fail the whole mapping.
		 */
		dprintf(DPROXY_REPORT_FD, "0\n");
		ctl_close(c);
		return 0;
	}
	ret = dproxy_spawn(&a, child_ip, &old, &child);
	if (ret) {
		error_errno(&e, ret, "error while starting %s", DPROXY_REAL);
		dproxy_report(&e);
	} else {
		int sig = 0;

		/* fd 3 is docker-proxy's to report on from now on */
		close(DPROXY_REPORT_FD);
		while (!sig) {
			int s;

			if (sigwait(&set, &s))
				continue;
			if (s == SIGCHLD) {
				if (!helper_wait_readable(child.pidfd, 0) &&
				    helper_reap(&child, 0, &status) == 0)
					sig = SIGCHLD;
				continue;
			}
			sig = s;
		}
		if (sig != SIGCHLD) {
			helper_reap(&child, 0, &status);
			status = 0;
		} else {
			warn("%s exited (status %d)", DPROXY_REAL,
			     WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
			status = WIFEXITED(status) ? WEXITSTATUS(status) : 1;
		}
	}
	if (ctl_remove_port(c, id, &e)) {
		error_wrap(&e, "error while calling PortManager.RemovePort()");
		warn_report(&e);
	}
	ctl_close(c);
	return ret ? 1 : status;
}

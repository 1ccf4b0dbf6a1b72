/* pasta.c - --net=pasta: passt's pasta run by the parent on the child's network namespace */
/**
 * DOC: Theory of operation
 *
 * rootlesskit 3 runs pasta once the child's namespaces exist, with --config-net, so that
 * pasta itself makes the tap, gives it the MTU, the namespace's address (.100 of --cidr),
 * the gateway (.2) and the default route, and answers DNS on .3 (--dns-forward); port
 * driver implicit adds --tcp-ports=auto --udp-ports=auto (pasta forwards every port the
 * namespace listens on from the same port of the host), none adds =none.
 * --disable-host-loopback is --no-map-gw (without it the gateway reaches the host's
 * loopback), no --ipv6 is --ipv4-only, and --host-lo-to-ns-lo is added when the binary
 * takes it (passt 2024_10_30 and later; the probe is rootlesskit's: "--host-lo-to-ns-lo
 * --version" succeeds). The target is the child's pid, or with --detach-netns
 * --userns=/proc/PID/ns/user --netns=the detached namespace (through /proc/PID/root, the
 * file is bind-mounted in the child's mount namespace).
 *
 * Unlike rootlesskit, pasta runs with --foreground: it stays our child (helper.c: the
 * parent-death signal, every other fd closed), so it is supervised and ended like the
 * libslirp network process. Debian 12's pasta (0.0~git20230309) does not exit when its
 * target namespace ends, so pasta_free() ends it (SIGTERM, then the bounded reap kills it)
 * on every exit path, and a killed parent takes it along through the parent-death signal.
 *
 * Start-up: the child brings lo up and says so on the channel (pasta_child_wait()); the
 * parent (pasta_start()) then probes the binary, starts pasta, and the child polls, bounded
 * by PASTA_CONFIG_TIMEOUT_MS, until the interface is up with its address and the default
 * route, and says so; the parent waits for that word or pasta's death, whichever comes
 * first (a pasta that fails is reported at once, with its status; its own message is on
 * stderr). The IPv4 default route is not the end of it: with --ipv6 pasta adds the IPv6
 * address and route after it, and only pasta knows whether it will (it takes IPv6 only
 * where the host has a usable IPv6 interface). rootlesskit learns that pasta is done when
 * pasta forks to the background; in the foreground pasta writes its pid file at that
 * point, so the first pasta gets --pid=/dev/fd/N, the write end of a pipe, and the parent
 * also waits for that line (pasta_wait_pid()). Only then is READY sent, so the command
 * starts with its network in place.
 *
 * A pasta that dies is replaced (revive.c, the same budget as the network process: 5 a
 * minute): its tap went away with it, and a new pasta on the same namespace makes and
 * configures a new one and scans the listening ports again. Connections through the old
 * one are lost.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "conf.h"
#include "error.h"
#include "helper.h"
#include "log.h"
#include "loop.h"
#include "pasta.h"
#include "revive.h"
#include "util.h"

#define PASTA_MAGIC "rn-pst1"
/* the child does its mounts before it says the namespace is ready: a generous bound */
#define PASTA_NS_TIMEOUT_MS 30000
/* the parent waits this much longer than the child for the interface */
#define PASTA_NS_MARGIN_MS 5000
/* "pasta --version" and the feature probe */
#define PASTA_PROBE_TIMEOUT_MS 5000
/* how long pasta may take to configure the interface */
#define PASTA_CONFIG_TIMEOUT_MS 20000
#define PASTA_CONFIG_POLL_MS	10
/* how long pasta may take to exit on SIGTERM, then it is killed */
#define PASTA_EXIT_TIMEOUT_MS 2000
/* a dead pasta may take this long to be reapable */
#define PASTA_REAP_MS 500
/* after a restart that failed, the next try */
#define PASTA_RETRY_MS 1000
/* comm of the helper before it execs pasta, and of the probes */
#define PASTA_NAME	 "rootlessnet-pst"
#define PASTA_PROBE_NAME "rn-pasta-probe"

/**
 * struct pasta_msg - the child's word: the namespace is ready for pasta, then pasta has
 * configured it
 * @magic:	PASTA_MAGIC
 * @err:	0, or -errno when that step failed
 */
struct pasta_msg {
	char magic[8];
	int32_t err;
};

/**
 * struct pasta - the parent's handle on pasta
 * @rv:		the pasta process, kept running
 * @a:		its command line
 */
struct pasta {
	struct revive rv;
	struct pasta_argv a;
};

/**
 * pasta_add() - Append one argument to pasta's command line
 * @a:		command line
 * @fmt:	printf format of the argument
 *
 * Return: 0, or -E2BIG when it does not fit
 */
static int __attribute__((format(printf, 2, 3)))
pasta_add(struct pasta_argv *a, const char *fmt, ...)
{
	size_t n = 0, room = sizeof(a->buf) - a->used;
	va_list ap;
	int len;

	while (n < PASTA_ARGV_MAX && a->argv[n])
		n++;
	if (n + 1 >= PASTA_ARGV_MAX)
		return -E2BIG;
	va_start(ap, fmt);
	len = vsnprintf(a->buf + a->used, room, fmt, ap);
	va_end(ap);
	if (len < 0 || (size_t)len >= room)
		return -E2BIG;
	a->argv[n] = a->buf + a->used;
	a->argv[n + 1] = NULL;
	a->used += (size_t)len + 1;
	return 0;
}

/**
 * pasta_args() - Build pasta's command line as rootlesskit 3 does, plus --foreground
 * @c:		configuration (--net=pasta, conf_derive() applied)
 * @host_lo_to_ns_lo: the binary takes --host-lo-to-ns-lo
 * @child:	the child's pid (the target, or the owner of the user namespace)
 * @netns_path:	with --detach-netns, the namespace's file as the parent sees it, else NULL
 * @a:		filled in
 *
 * Return: 0, or -E2BIG
 */
int pasta_args(const struct conf *c, bool host_lo_to_ns_lo, pid_t child, const char *netns_path,
	       struct pasta_argv *a)
{
	char addr[INET_ADDRSTRLEN], gw[INET_ADDRSTRLEN], dns[INET_ADDRSTRLEN];
	int ret = 0;

	memset(a, 0, sizeof(*a));
	inet_ntop(AF_INET, &c->topo.guest, addr, sizeof(addr));
	inet_ntop(AF_INET, &c->topo.gw, gw, sizeof(gw));
	inet_ntop(AF_INET, &c->topo.dns, dns, sizeof(dns));
	ret |= pasta_add(a, "%s", c->pasta_binary);
	ret |= pasta_add(a, "--stderr");
	ret |= pasta_add(a, "--ns-ifname=%s", c->ifname);
	ret |= pasta_add(a, "--mtu=%u", c->mtu);
	ret |= pasta_add(a, "--config-net");
	ret |= pasta_add(a, "--address=%s", addr);
	ret |= pasta_add(a, "--netmask=%u", c->topo.prefix);
	ret |= pasta_add(a, "--gateway=%s", gw);
	ret |= pasta_add(a, "--dns-forward=%s", dns);
	if (c->disable_host_loopback)
		ret |= pasta_add(a, "--no-map-gw");
	if (!c->ipv6)
		ret |= pasta_add(a, "--ipv4-only");
	if (c->port_driver == CONF_PORT_IMPLICIT) {
		ret |= pasta_add(a, "--tcp-ports=auto");
		ret |= pasta_add(a, "--udp-ports=auto");
	} else {
		ret |= pasta_add(a, "--tcp-ports=none");
		ret |= pasta_add(a, "--udp-ports=none");
	}
	if (host_lo_to_ns_lo)
		ret |= pasta_add(a, "--host-lo-to-ns-lo");
	/* ours: pasta stays our child; its informational messages only with --debug */
	ret |= pasta_add(a, "--foreground");
	if (!c->debug)
		ret |= pasta_add(a, "--quiet");
	if (netns_path) {
		ret |= pasta_add(a, "--userns=/proc/%d/ns/user", (int)child);
		ret |= pasta_add(a, "--netns=%s", netns_path);
	} else {
		ret |= pasta_add(a, "%d", (int)child);
	}
	return ret ? -E2BIG : 0;
}

/**
 * struct pasta_run - what a helper execs
 * @argv:	command line, NULL-terminated; its first word is looked up in PATH
 * @quiet:	stderr on /dev/null too (the probes)
 * @pid_fd:	-1, or where pasta writes its pid once it has configured the namespace:
 *		--pid=/dev/fd/@pid_fd goes after the binary's name
 */
struct pasta_run {
	char *const *argv;
	bool quiet;
	int pid_fd;
};

/**
 * pasta_exec() - A helper's body: exec pasta (or a probe) with stdin and stdout on /dev/null
 * @sock:	unused (-1)
 * @arg:	struct pasta_run
 *
 * Return: 127 when it cannot be run (it does not return otherwise)
 */
static int pasta_exec(int sock, void *arg)
{
	const struct pasta_run *r = arg;
	int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	char *argv[PASTA_ARGV_MAX + 1], pid_arg[32];
	size_t n = 0;

	(void)sock;
	argv[n++] = r->argv[0];
	if (r->pid_fd >= 0) {
		/* the descriptor (kept by helper.c) must outlive the exec */
		if (fcntl(r->pid_fd, F_SETFD, 0) < 0) {
			err_errno(errno, "cannot pass pasta its pid pipe");
			return 127;
		}
		snprintf(pid_arg, sizeof(pid_arg), "--pid=/dev/fd/%d", r->pid_fd);
		argv[n++] = pid_arg;
	}
	for (size_t i = 1; r->argv[i] && n < PASTA_ARGV_MAX; i++)
		argv[n++] = r->argv[i];
	argv[n] = NULL;
	/* its own process group: the terminal's ^C is for the command, not for pasta */
	setpgid(0, 0);
	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		if (r->quiet)
			dup2(fd, STDERR_FILENO);
	}
	execvp(argv[0], argv);
	err_errno(errno, "cannot run %s", argv[0]);
	return 127;
}

/**
 * pasta_spawn() - Start a process that execs @argv, in the host's namespaces
 * @name:	its comm until the exec
 * @argv:	command line
 * @quiet:	its stderr on /dev/null as well (the probes)
 * @pid_fd:	-1, or the write end of a pipe for pasta's pid file (struct pasta_run)
 * @h:		filled in
 *
 * Return: 0 or -errno
 */
static int pasta_spawn(const char *name, char *const *argv, bool quiet, int pid_fd,
		       struct helper *h)
{
	struct pasta_run r = {.argv = argv, .quiet = quiet, .pid_fd = pid_fd};
	struct helper_spec s = {
		.name = name,
		.keep = &r.pid_fd,
		.n_keep = pid_fd >= 0 ? 1 : 0,
		.no_socket = true,
		/* pasta fails "Couldn't install signal handlers" with SIGPIPE and the like ignored */
		.keep_tty_signals = true,
		.fn = pasta_exec,
		.arg = &r,
	};

	return helper_spawn(&s, h);
}

/**
 * pasta_probe() - Run the binary with some arguments and tell whether it succeeded
 * @binary:	pasta
 * @opt:	an option before --version, or NULL
 * @status:	its wait status
 *
 * Return: 0 once it ran (see @status), or -errno
 */
static int pasta_probe(const char *binary, const char *opt, int *status)
{
	char *argv[4] = {(char *)binary, NULL, NULL, NULL};
	struct helper h = HELPER_INIT;
	int ret;

	argv[opt ? 2 : 1] = (char *)"--version";
	if (opt)
		argv[1] = (char *)opt;
	ret = pasta_spawn(PASTA_PROBE_NAME, argv, true, -1, &h);
	if (ret)
		return ret;
	helper_reap(&h, PASTA_PROBE_TIMEOUT_MS, status);
	return 0;
}

/**
 * pasta_features() - Check that the binary runs, and whether it takes --host-lo-to-ns-lo
 * @binary:	pasta
 * @host_lo:	set when it does
 * @e:		what failed
 *
 * Return: 0 or -errno
 */
static int pasta_features(const char *binary, bool *host_lo, struct error *e)
{
	int ret, st;

	ret = pasta_probe(binary, NULL, &st);
	if (ret)
		return error_errno(e, ret, "cannot run \"%s --version\"", binary);
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		char how[128];

		return error_plain(e, -ENOENT,
				   "\"%s --version\" %s: make sure pasta is installed (the passt "
				   "package) or give its path with --pasta-binary",
				   binary, helper_status_str(st, how, sizeof(how)));
	}
	ret = pasta_probe(binary, "--host-lo-to-ns-lo", &st);
	if (ret)
		return error_errno(e, ret, "cannot run \"%s --host-lo-to-ns-lo --version\"",
				   binary);
	*host_lo = WIFEXITED(st) && !WEXITSTATUS(st);
	debug("pasta %s --host-lo-to-ns-lo (passt 2024_10_30 and later)",
	      *host_lo ? "takes" : "lacks");
	return 0;
}

/**
 * pasta_restart() - revive.c's start: a new pasta on the same namespace
 * @data:	struct pasta
 * @proc:	filled in
 * @e:		what failed
 *
 * Return: 0 or -errno
 */
static int pasta_restart(void *data, struct helper *proc, struct error *e)
{
	struct pasta *p = data;
	int ret = pasta_spawn(PASTA_NAME, p->a.argv, false, -1, proc);

	return ret ? error_errno(e, ret, "cannot start %s", p->a.argv[0]) : 0;
}

static const struct revive_ops pasta_revive_ops = {
	.what = "pasta",
	.without = "the namespace has no network",
	.after = "the namespace has its network back; connections open through the old one "
		 "are lost",
	.reap_ms = PASTA_REAP_MS,
	.retry_ms = PASTA_RETRY_MS,
	.start = pasta_restart,
};

/**
 * pasta_recv() - Wait for the child's word (the namespace is ready, or configured)
 * @chan:	channel to the child
 * @timeout_ms:	bound
 *
 * Return: 0, the child's -errno, -ETIMEDOUT, -EPIPE if it is gone, -EPROTO
 */
static int pasta_recv(int chan, int timeout_ms)
{
	struct pasta_msg m;
	size_t n_fds = 0;
	int fd = -1;
	ssize_t n;

	n = helper_recv(chan, &m, sizeof(m), &fd, 1, &n_fds, timeout_ms);
	if (n_fds)
		close(fd);
	if (n == 0)
		return -EPIPE;
	if (n < 0)
		return n == -EMSGSIZE ? -EPROTO : (int)n;
	if ((size_t)n != sizeof(m) || memcmp(m.magic, PASTA_MAGIC, sizeof(m.magic)) != 0)
		return -EPROTO;
	return m.err < 0 ? m.err : 0;
}

/**
 * pasta_wait_configured() - Wait until the child sees its interface configured, or pasta dies
 * @p:		state, pasta running
 * @chan:	channel to the child
 * @ifname:	the interface, for messages
 * @e:		what failed
 *
 * Return: 0, or -errno (pasta is reaped when it died)
 */
static int pasta_wait_configured(struct pasta *p, int chan, const char *ifname, struct error *e)
{
	struct pollfd fds[2] = {{.fd = chan, .events = POLLIN},
				{.fd = p->rv.proc.pidfd, .events = POLLIN}};
	int ret, st;

	/* the child gives up after PASTA_CONFIG_TIMEOUT_MS and says so: a margin for that */
	do
		ret = poll(fds, fds[1].fd >= 0 ? 2 : 1,
			   PASTA_CONFIG_TIMEOUT_MS + PASTA_NS_MARGIN_MS);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return error_errno(e, -errno, "waiting for pasta");
	if (ret == 0)
		return error_plain(e, -ETIMEDOUT, "pasta did not configure %s within %d s", ifname,
				   (PASTA_CONFIG_TIMEOUT_MS + PASTA_NS_MARGIN_MS) / 1000);
	if (fds[1].fd >= 0 && (fds[1].revents & POLLIN) && !(fds[0].revents & POLLIN)) {
		char how[128];

		helper_reap(&p->rv.proc, PASTA_EXIT_TIMEOUT_MS, &st);
		return error_plain(e, -ECHILD, "pasta %s before it configured %s",
				   helper_status_str(st, how, sizeof(how)), ifname);
	}
	ret = pasta_recv(chan, 1000);
	if (ret)
		return error_errno(e, ret, "%s was not configured by pasta", ifname);
	return 0;
}

/**
 * pasta_wait_pid() - Wait until pasta writes its pid: it has configured the namespace
 * @p:		state, pasta running
 * @fd:		the read end of the pid pipe (pasta holds the only write end)
 * @ifname:	the interface, for messages
 * @e:		what failed
 *
 * pasta writes its pid file once the interface is configured for every family it serves
 * (the IPv6 address and route come after the IPv4 route the child waits for), before its
 * event loop runs.
 *
 * Return: 0, or -errno (pasta is reaped when it closed the pipe without a word)
 */
static int pasta_wait_pid(struct pasta *p, int fd, const char *ifname, struct error *e)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	char buf[32], how[128];
	ssize_t n;
	int ret, st;

	do
		ret = poll(&pfd, 1, PASTA_CONFIG_TIMEOUT_MS);
	while (ret < 0 && errno == EINTR);
	if (ret < 0)
		return error_errno(e, -errno, "waiting for pasta's pid");
	if (ret == 0)
		return error_plain(e, -ETIMEDOUT, "pasta did not finish configuring %s within %d s",
				   ifname, PASTA_CONFIG_TIMEOUT_MS / 1000);
	do
		n = read(fd, buf, sizeof(buf));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return error_errno(e, -errno, "reading pasta's pid");
	if (n > 0)
		return 0;
	/* end of file without a pid: pasta exited (or is about to) */
	helper_reap(&p->rv.proc, PASTA_EXIT_TIMEOUT_MS, &st);
	return error_plain(e, -ECHILD, "pasta %s before it finished configuring %s",
			   helper_status_str(st, how, sizeof(how)), ifname);
}

/**
 * pasta_start() - Start pasta on the child's network namespace
 * @c:		configuration (--net=pasta)
 * @l:		event loop, where a dead pasta is noticed and replaced
 * @chan:	channel to the child
 * @ns:		the child's namespaces
 * @out:	the handle
 * @e:		what failed
 *
 * Return: 0 or -errno
 */
int pasta_start(const struct conf *c, struct loop *l, int chan, const struct helper_ns *ns,
		struct pasta **out, struct error *e)
{
	cleanup_close int pid_r = -1;
	int pid_pipe[2] = {-1, -1};
	struct pasta *p;
	bool host_lo = false;
	int ret, st;

	*out = NULL;
	ret = pasta_recv(chan, PASTA_NS_TIMEOUT_MS);
	if (ret)
		return error_errno(e, ret, "the child's network namespace is not ready");
	ret = pasta_features(c->pasta_binary, &host_lo, e);
	if (ret)
		return ret;
	p = calloc(1, sizeof(*p));
	if (!p)
		return error_errno(e, -ENOMEM, "pasta state");
	revive_init(&p->rv, l, &pasta_revive_ops, p);
	ret = pasta_args(c, host_lo, ns->pid, ns->netns_path, &p->a);
	if (ret) {
		error_errno(e, ret, "pasta's command line");
		goto fail;
	}
	if (pipe2(pid_pipe, O_CLOEXEC) < 0) {
		ret = error_errno(e, -errno, "cannot make a pipe for pasta's pid");
		goto fail;
	}
	pid_r = pid_pipe[0];
	ret = pasta_spawn(PASTA_NAME, p->a.argv, false, pid_pipe[1], &p->rv.proc);
	/* pasta holds the write end alone: its end of file is pasta's */
	close(pid_pipe[1]);
	if (ret) {
		error_errno(e, ret, "cannot start %s", c->pasta_binary);
		goto fail;
	}
	debug("pasta %d started on %s", (int)p->rv.proc.pid,
	      ns->netns_path ? ns->netns_path : "the child's network namespace");
	ret = pasta_wait_configured(p, chan, c->ifname, e);
	if (!ret)
		ret = pasta_wait_pid(p, pid_r, c->ifname, e);
	if (!ret) {
		ret = revive_watch(&p->rv);
		if (ret)
			error_errno(e, ret, "cannot watch pasta");
	}
	if (ret) {
		if (p->rv.proc.pid > 0)
			kill(p->rv.proc.pid, SIGKILL);
		helper_reap(&p->rv.proc, PASTA_EXIT_TIMEOUT_MS, &st);
		goto fail;
	}
	*out = p;
	return 0;
fail:
	free(p);
	return ret;
}

/**
 * pasta_free() - End pasta (it outlives its namespace otherwise) and reap it
 * @p:		from pasta_start(), may be NULL; call before loop_free()
 *
 * Return: nothing
 */
void pasta_free(struct pasta *p)
{
	int st;

	if (!p)
		return;
	if (p->rv.proc.pid > 0)
		kill(p->rv.proc.pid, SIGTERM);
	revive_stop(&p->rv, PASTA_EXIT_TIMEOUT_MS, &st);
	free(p);
}

/**
 * pasta_pid() - The running pasta
 * @p:		state
 *
 * Return: its pid, 0 while there is none
 */
pid_t pasta_pid(const struct pasta *p)
{
	return p ? p->rv.proc.pid : 0;
}

/**
 * pasta_configured() - Tell whether pasta has configured the interface
 * @c:		configuration: the interface's name and address
 *
 * Up, with the address, and a default route through it (pasta adds it last).
 *
 * Return: true once configured
 */
static bool pasta_configured(const struct conf *c)
{
	cleanup_close int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	cleanup_fclose FILE *f = NULL;
	struct ifreq ifr = {0};
	char line[256], dev[IFNAMSIZ + 1];
	unsigned int dst, flags;

	if (s < 0)
		return false;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", c->ifname);
	if (ioctl(s, SIOCGIFFLAGS, &ifr) < 0 || !(ifr.ifr_flags & IFF_UP))
		return false;
	if (ioctl(s, SIOCGIFADDR, &ifr) < 0 ||
	    ((struct sockaddr_in *)(void *)&ifr.ifr_addr)->sin_addr.s_addr != c->topo.guest.s_addr)
		return false;
	/* /proc/net is the reading thread's network namespace */
	f = fopen("/proc/net/route", "re");
	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%16s %x %*x %x", dev, &dst, &flags) == 3 &&
		    !strcmp(dev, c->ifname) && dst == 0 && (flags & 0x2 /* RTF_GATEWAY */))
			return true;
	return false;
}

/**
 * pasta_child_wait() - In the namespace: tell the parent to start pasta, wait until the
 * interface is configured
 * @c:		configuration (--net=pasta)
 * @chan:	channel to the parent
 * @error:	0, or the -errno of the namespace's set-up (lo): the parent is told, nothing
 *		is waited for
 *
 * Return: 0, @error, -ETIMEDOUT (an error was logged), or -errno of the message
 */
int pasta_child_wait(const struct conf *c, int chan, int error)
{
	struct pasta_msg m = {.magic = PASTA_MAGIC, .err = error};
	struct timespec t0, now;
	int ret;

	ret = helper_send(chan, &m, sizeof(m), NULL, 0);
	if (error < 0)
		return error;
	if (ret < 0) {
		err_errno(ret, "cannot tell the parent to start pasta");
		return ret;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		long ms;

		if (pasta_configured(c)) {
			ret = helper_send(chan, &m, sizeof(m), NULL, 0);
			if (ret < 0)
				err_errno(ret, "cannot tell the parent that %s is configured",
					  c->ifname);
			return ret;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		ms = (now.tv_sec - t0.tv_sec) * 1000L + (now.tv_nsec - t0.tv_nsec) / 1000000L;
		if (ms >= PASTA_CONFIG_TIMEOUT_MS)
			break;
		nanosleep(&(struct timespec){.tv_nsec = PASTA_CONFIG_POLL_MS * 1000000L}, NULL);
	}
	err("pasta did not configure %s within %d s (its address, or the default route, is "
	    "missing)",
	    c->ifname, PASTA_CONFIG_TIMEOUT_MS / 1000);
	m.err = -ETIMEDOUT;
	helper_send(chan, &m, sizeof(m), NULL, 0);
	return -ETIMEDOUT;
}

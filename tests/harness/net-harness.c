/* net-harness.c - test driver for the network module: namespaces, child and parent halves */
/**
 * DOC: Theory of operation
 *
 * The network module's own test driver, for what the rootlessnet binary does not expose (the
 * host-forward API the slirp4netns port driver calls) and for testing the module alone: the
 * child unshares a user namespace (mapping only the caller, as `unshare -r` does) and a
 * network namespace, calls netns_child_setup(), waits for "GO" and runs the command; the parent
 * calls
 * net_parent_start(), optionally adds host forwards with net_hostfwd_add(), sends "GO" and
 * runs the event loop until the command exits, then net_free(). Exit status: the
 * command's, 125 when the harness itself failed.
 *
 * Usage: net-harness [--net=slirp4netns|none] [--mtu=N] [--cidr=A/P] [--ifname=N] [--ipv6]
 *        [--disable-host-loopback] [--slirp4netns-sandbox=auto|true|false]
 *        [--slirp4netns-seccomp=auto|true|false] [--debug]
 *        [--hostfwd=tcp|udp:HOSTADDR:HOSTPORT:GUESTADDR:GUESTPORT]... [--hostfwd-check] [--] CMD...
 * --hostfwd-check exercises each forward's API round trip once it is added: adding it again
 * fails with EADDRINUSE, removing it twice gives 0 then ENOENT, adding it back works.
 * The flags are rootlesskit's, so a test can run the same command line against either.
 * IPv6 addresses in --hostfwd go in brackets. Prints "netpid N" on stderr once running.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "conf.h"
#include "error.h"
#include "helper.h"
#include "log.h"
#include "loop.h"
#include "net.h"
#include "netns.h"
#include "topo.h"
#include "util.h"

#define HARNESS_MAX_FWD 16

/**
 * struct harness_fwd - one --hostfwd
 * @udp:	UDP
 * @host:	host side
 * @guest:	namespace side
 * @len:	length of both
 */
struct harness_fwd {
	bool udp;
	struct sockaddr_storage host, guest;
	socklen_t len;
};

/**
 * harness_tristate() - Parse auto|true|false
 * @s:		text
 *
 * Return: the value; dies on anything else
 */
static enum conf_tristate harness_tristate(const char *s)
{
	if (!strcmp(s, "auto"))
		return CONF_AUTO;
	if (!strcmp(s, "true"))
		return CONF_TRUE;
	if (!strcmp(s, "false"))
		return CONF_FALSE;
	die("not auto|true|false: %s", s);
}

/**
 * harness_addr() - Parse ADDR:PORT (IPv6 in brackets) from the front of a string
 * @s:		text, advanced past the port and one ':'
 * @ss:		filled in
 * @len:	set to the address length
 *
 * Return: 0 or -EINVAL
 */
static int harness_addr(char **s, struct sockaddr_storage *ss, socklen_t *len)
{
	char *p = *s, *end, *colon;
	unsigned long port;

	memset(ss, 0, sizeof(*ss));
	if (*p == '[') {
		struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;

		end = strchr(p, ']');
		if (!end || end[1] != ':')
			return -EINVAL;
		*end = '\0';
		if (inet_pton(AF_INET6, p + 1, &a->sin6_addr) != 1)
			return -EINVAL;
		a->sin6_family = AF_INET6;
		colon = end + 1;
		*len = sizeof(*a);
	} else {
		struct sockaddr_in *a = (struct sockaddr_in *)ss;

		colon = strchr(p, ':');
		if (!colon)
			return -EINVAL;
		*colon = '\0';
		if (inet_pton(AF_INET, p, &a->sin_addr) != 1)
			return -EINVAL;
		a->sin_family = AF_INET;
		*len = sizeof(*a);
	}
	port = strtoul(colon + 1, &end, 10);
	if (end == colon + 1 || port > 65535 || (*end && *end != ':'))
		return -EINVAL;
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons((uint16_t)port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons((uint16_t)port);
	*s = *end ? end + 1 : end;
	return 0;
}

/**
 * harness_write() - Write a string to a file
 * @path:	file
 * @s:		content
 *
 * Return: nothing; dies on failure
 */
static void harness_write(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0 || write(fd, s, strlen(s)) != (ssize_t)strlen(s))
		die_errno(errno, "writing %s", path);
	close(fd);
}

/**
 * harness_child() - The namespace side
 * @c:		configuration
 * @chan:	channel
 * @argv:	command
 *
 * Return: does not return
 */
static __attribute__((noreturn)) void harness_child(const struct conf *c, int chan, char **argv)
{
	char map[64], go[8];
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int flags = CLONE_NEWUSER | CLONE_NEWNS;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	log_set_role("child");
	if (c->net != CONF_NET_HOST)
		flags |= CLONE_NEWNET;
	if (unshare(flags) < 0)
		die_errno(errno, "unshare");
	harness_write("/proc/self/setgroups", "deny");
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)uid);
	harness_write("/proc/self/uid_map", map);
	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)gid);
	harness_write("/proc/self/gid_map", map);
	if (netns_child_setup(c, chan) < 0)
		_exit(125);
	if (recv(chan, go, sizeof(go), 0) != 2 || memcmp(go, "GO", 2))
		_exit(125);
	close(chan);
	execvp(argv[0], argv);
	err("cannot run %s: %s", argv[0], strerror(errno));
	_exit(127);
}

/**
 * harness_child_exit() - Loop callback: the command exited
 * @l:		loop
 * @lfd:	pidfd
 * @events:	EPOLLIN
 *
 * Return: nothing
 */
static void harness_child_exit(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	pid_t pid = *(pid_t *)lfd->data;
	int st;

	(void)events;
	if (waitpid(pid, &st, WNOHANG) != pid)
		return;
	loop_del(l, lfd);
	loop_quit(l, WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
}

/**
 * harness_fwd_check() - Exercise add/remove of a forward that was just added
 * @n:		network
 * @fw:		the forward
 *
 * Return: 0 if every step gave what it should, else -1 (after a message)
 */
static int harness_fwd_check(struct net *n, const struct harness_fwd *fw)
{
	const struct sockaddr *h = (const struct sockaddr *)&fw->host;
	const struct sockaddr *g = (const struct sockaddr *)&fw->guest;
	bool v6 = fw->host.ss_family == AF_INET6;
	int r[4];

	r[0] = net_hostfwd_add(n, fw->udp, h, fw->len, g, fw->len, v6);
	r[1] = net_hostfwd_remove(n, fw->udp, h, fw->len, v6);
	r[2] = net_hostfwd_remove(n, fw->udp, h, fw->len, v6);
	r[3] = net_hostfwd_add(n, fw->udp, h, fw->len, g, fw->len, v6);
	if (r[0] != -EADDRINUSE || r[1] || r[2] != -ENOENT || r[3]) {
		err("hostfwd check: add again %d, remove %d, remove again %d, add back %d", r[0],
		    r[1], r[2], r[3]);
		return -1;
	}
	fprintf(stderr, "hostfwd-check ok\n");
	return 0;
}

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: the command's exit status, 125 on a harness failure
 */
int main(int argc, char **argv)
{
	/* the sandbox flags default to false, as rootlesskit's (and our cli.c's) */
	struct conf c = {.net = CONF_NET_SLIRP4NETNS, .sandbox = CONF_FALSE, .seccomp = CONF_FALSE};
	struct cli_result res;
	struct error e = {0};
	struct harness_fwd fwd[HARNESS_MAX_FWD];
	struct loop_fd pfd = {.fd = -1, .cb = harness_child_exit};
	struct loop *l;
	struct net *n = NULL;
	struct helper_ns ns = {0};
	int nfwd = 0, i, sp[2], code;
	bool check = false;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		char *a = argv[i];

		if (!strcmp(a, "--")) {
			i++;
			break;
		} else if (!strcmp(a, "--net=slirp4netns")) {
			c.net = CONF_NET_SLIRP4NETNS;
		} else if (!strcmp(a, "--net=none")) {
			c.net = CONF_NET_NONE;
		} else if (!strncmp(a, "--mtu=", 6)) {
			c.mtu = (unsigned int)strtoul(a + 6, NULL, 10);
		} else if (!strncmp(a, "--cidr=", 7)) {
			if (topo_parse_cidr(a + 7, &c.cidr, &c.cidr_prefix) < 0)
				die("bad --cidr");
		} else if (!strncmp(a, "--ifname=", 9)) {
			snprintf(c.ifname, sizeof(c.ifname), "%s", a + 9);
		} else if (!strcmp(a, "--ipv6")) {
			c.ipv6 = true;
		} else if (!strcmp(a, "--disable-host-loopback")) {
			c.disable_host_loopback = true;
		} else if (!strncmp(a, "--slirp4netns-sandbox=", 22)) {
			c.sandbox = harness_tristate(a + 22);
		} else if (!strncmp(a, "--slirp4netns-seccomp=", 22)) {
			c.seccomp = harness_tristate(a + 22);
		} else if (!strcmp(a, "--hostfwd-check")) {
			check = true;
		} else if (!strcmp(a, "--debug")) {
			log_set_level(LOG_LVL_DEBUG);
		} else if (!strncmp(a, "--hostfwd=", 10) && nfwd < HARNESS_MAX_FWD) {
			char *s = a + 10;
			socklen_t gl;

			fwd[nfwd].udp = !strncmp(s, "udp:", 4);
			if (strncmp(s, "udp:", 4) && strncmp(s, "tcp:", 4))
				die("bad --hostfwd: %s", a);
			s += 4;
			if (harness_addr(&s, &fwd[nfwd].host, &fwd[nfwd].len) < 0 ||
			    harness_addr(&s, &fwd[nfwd].guest, &gl) < 0 || gl != fwd[nfwd].len)
				die("bad --hostfwd: %s", a);
			nfwd++;
		} else if (a[0] == '-') {
			die("unknown option %s", a);
		} else {
			break;
		}
	}
	if (i >= argc)
		die("usage: net-harness [options] -- CMD...");
	if (conf_derive(&c, &res))
		die_report(&res.err);
	log_set_role("parent");
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp) < 0)
		die_errno(errno, "socketpair");
	pid = fork();
	if (pid < 0)
		die_errno(errno, "fork");
	if (pid == 0) {
		close(sp[0]);
		harness_child(&c, sp[1], argv + i);
	}
	close(sp[1]);
	if (loop_new(&l) < 0)
		die("loop_new");
	ns.pid = pid;
	if (net_parent_start(&c, l, sp[0], &ns, &n, &e) < 0) {
		err_report(&e);
		kill(pid, SIGKILL);
		conf_derived_free(&c);
		return 125;
	}
	if (n)
		fprintf(stderr, "netpid %d\n", (int)net_pid(n));
	for (int f = 0; f < nfwd; f++) {
		int ret = net_hostfwd_add(n, fwd[f].udp, (struct sockaddr *)&fwd[f].host,
					  fwd[f].len, (struct sockaddr *)&fwd[f].guest, fwd[f].len,
					  fwd[f].host.ss_family == AF_INET6);

		if (ret < 0) {
			err("hostfwd %d: %s", f, strerror(-ret));
			kill(pid, SIGKILL);
			return 125;
		}
		if (check && harness_fwd_check(n, &fwd[f]) < 0) {
			kill(pid, SIGKILL);
			return 125;
		}
	}
	pfd.fd = (int)syscall(SYS_pidfd_open, pid, 0);
	pfd.data = &pid;
	if (pfd.fd < 0 || loop_add(l, &pfd, EPOLLIN) < 0)
		die_errno(errno, "pidfd");
	if (send(sp[0], "GO", 2, MSG_NOSIGNAL) != 2)
		die_errno(errno, "sending GO");
	code = loop_run(l);
	if (code < 0)
		code = 125;
	net_free(n);
	loop_free(l);
	conf_derived_free(&c);
	return code;
}

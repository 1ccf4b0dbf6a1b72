/* parent.c - the parent: state dir, clone, maps, start-up of the modules, then the event loop */
/**
 * DOC: Theory of operation
 *
 * The parent stays in the host's namespaces for its whole life, so that the network's and
 * the port driver's sockets are host sockets. Start-up, in order (doc/design.md):
 *
 * 1. Lock and wipe the state directory; export ROOTLESSKIT_STATE_DIR,
 *    ROOTLESSKIT_PARENT_EUID and ROOTLESSKIT_PARENT_EGID for the command.
 * 2. Block the signals that are passed on (sig.c), so none is lost or acts during start-up.
 * 3. clone() the child with CLONE_NEWUSER | CLONE_NEWNS, CLONE_NEWNET unless --net=host or
 *    --detach-netns, and the PID, UTS, IPC and cgroup namespaces asked for. The two share a
 *    SOCK_SEQPACKET socket pair, "chan" (handshake.c).
 * 4. Write the maps (userns.c), --evacuate-cgroup2 (cgroup2.c), send MAPS.
 * 5. net_parent_start(): the network driver takes what the child's netns_child_setup() sends
 *    on chan (the tap fd for slirp4netns) and starts serving it in the loop; for pasta,
 *    pasta_start() starts pasta on the namespace once the child says it is ready.
 * 6. Wait for READY: the child's mounts and interfaces are done.
 * 7. ports_start() and ports_publish_conf(): the port driver, which reaches into the child's
 *    namespaces, and the -p ports.
 * 8. $STATE_DIR/child_pid: from here on, clients may use the namespaces.
 * 9. api_start(): $STATE_DIR/api.sock (dockerd and rootlessctl need it: a failure is fatal).
 * 10. Pass signals on from the loop, watch the child through a pidfd, send GO.
 *
 * The loop then runs until the child exits; its status is ours. Everything is torn down in
 * reverse and the state directory removed. Any start-up failure kills the child, removes
 * the state directory and returns 1.
 */
#include "config.h"

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "api.h"
#include "cgroup2.h"
#include "child.h"
#include "conf.h"
#include "error.h"
#include "handshake.h"
#include "helper.h"
#include "log.h"
#include "loop.h"
#include "mountns.h"
#include "net.h"
#include "parent.h"
#include "pasta.h"
#include "ports.h"
#include "reaper.h"
#include "sig.h"
#include "statedir.h"
#include "userns.h"
#include "util.h"

/**
 * struct parent - the parent's run state
 * @c:		configuration
 * @sd:		state directory
 * @chan:	our end of the channel
 * @child:	the child's pid
 * @pidfd:	the child's pidfd, watched by the loop
 * @loop:	event loop
 * @net:	network driver state (slirp4netns)
 * @pasta:	pasta, with --net=pasta
 * @ports:	port driver state
 * @api:	API server state
 * @sig:	signal relay
 * @exited:	the child was reaped
 * @ns:		the child's namespaces, for the helpers that enter them
 * @netns_path:	with --detach-netns, the network namespace's file (@ns points at it)
 */
struct parent {
	struct conf *c;
	struct statedir sd;
	int chan;
	pid_t child;
	struct loop_fd pidfd;
	struct loop *loop;
	struct net *net;
	struct pasta *pasta;
	struct ports *ports;
	struct api *api;
	struct sig *sig;
	bool exited;
	struct helper_ns ns;
	char netns_path[4096];
};

/**
 * parent_clone_flags() - Namespaces the child is created in
 * @c:		configuration
 *
 * Return: clone(2) flags
 */
static unsigned long parent_clone_flags(const struct conf *c)
{
	unsigned long f = CLONE_NEWUSER | CLONE_NEWNS;

	if (c->net != CONF_NET_HOST && !c->detach_netns)
		f |= CLONE_NEWNET;
	if (c->pidns)
		f |= CLONE_NEWPID;
	if (c->utsns)
		f |= CLONE_NEWUTS;
	if (c->ipcns)
		f |= CLONE_NEWIPC;
	if (c->cgroupns)
		f |= CLONE_NEWCGROUP;
	return f;
}

/**
 * parent_max_userns() - The user namespace limit, for messages
 * @buf:	buffer
 * @len:	size of @buf
 *
 * Return: @buf: the value of /proc/sys/user/max_user_namespaces, or "reached"
 */
static const char *parent_max_userns(char *buf, size_t len)
{
	FILE *f = fopen("/proc/sys/user/max_user_namespaces", "re");

	snprintf(buf, len, "reached");
	if (f) {
		unsigned long v;

		if (fscanf(f, "%lu", &v) == 1)
			snprintf(buf, len, v ? "reached (%lu)" : "0 (disabled)", v);
		fclose(f);
	}
	return buf;
}

/**
 * parent_clone_error() - Explain why clone() failed
 * @e:		errno
 *
 * Return: nothing
 */
static void parent_clone_error(int e)
{
	char max[32];

	switch (e) {
	case EPERM:
	case EACCES:
		err("cannot create a user namespace: %s. Unprivileged user namespaces are "
		    "disabled: as root, set sysctl kernel.unprivileged_userns_clone=1 (Debian "
		    "kernels), user.max_user_namespaces to a positive number, and "
		    "on Ubuntu 23.10+ load rootlessnet's AppArmor profile (the rootlessnet "
		    "package installs it: apparmor_parser -r /etc/apparmor.d/rootlessnet) or set "
		    "kernel.apparmor_restrict_unprivileged_userns=0; inside a container, its "
		    "seccomp profile must allow it",
		    error_errstr(e));
		break;
	case ENOSPC:
		err("cannot create a user namespace: %s: user.max_user_namespaces is %s; as "
		    "root, raise it (sysctl -w user.max_user_namespaces=28633)",
		    error_errstr(e), parent_max_userns(max, sizeof(max)));
		break;
	case EINVAL:
		err("cannot create the namespaces: %s: the kernel lacks one of them "
		    "(CONFIG_USER_NS, CONFIG_PID_NS, CONFIG_NET_NS, CONFIG_CGROUPS, ...)",
		    error_errstr(e));
		break;
	default:
		err_errno(e, "cannot create the child");
	}
}

/**
 * parent_child_exit_cb() - Loop callback: the child's pidfd is readable, it exited
 * @l:		loop
 * @lfd:	pidfd registration
 * @events:	epoll events
 *
 * Return: nothing
 */
static void parent_child_exit_cb(struct loop *l, struct loop_fd *lfd, uint32_t events)
{
	struct parent *p = lfd->data;
	int status;
	pid_t r;

	(void)events;
	r = waitpid(p->child, &status, WNOHANG);
	if (r == 0)
		return;
	loop_del(l, lfd);
	if (r < 0) {
		err_errno(errno, "waiting for the child");
		loop_quit(l, 1);
		return;
	}
	p->exited = true;
	debug("child %ld exited, wait status 0x%x", (long)p->child, status);
	loop_quit(l, reaper_status_code(status));
}

/**
 * parent_export_env() - Environment rootlesskit gives the command
 * @c:		configuration (state_dir is absolute)
 *
 * Return: 0 or -errno
 */
static int parent_export_env(const struct conf *c)
{
	char buf[24];

	if (setenv("ROOTLESSKIT_STATE_DIR", c->state_dir, 1) < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%u", c->parent_euid);
	if (setenv("ROOTLESSKIT_PARENT_EUID", buf, 1) < 0)
		return -errno;
	snprintf(buf, sizeof(buf), "%u", c->parent_egid);
	if (setenv("ROOTLESSKIT_PARENT_EGID", buf, 1) < 0)
		return -errno;
	return 0;
}

/**
 * parent_listen_pid_is_ours() - systemd socket activation addressed to us
 *
 * Return: true when LISTEN_FDS > 0 and LISTEN_PID is our pid
 */
static bool parent_listen_pid_is_ours(void)
{
	const char *pid = getenv("LISTEN_PID"), *fds = getenv("LISTEN_FDS");

	if (!pid || !fds || atoi(fds) <= 0)
		return false;
	return strtol(pid, NULL, 10) == (long)getpid();
}

/**
 * parent_start_modules() - Steps 4 to 10 of the start-up, after clone()
 * @p:		run state
 * @exec_mask:	signal mask for helper processes
 *
 * Return: 0, or -errno (the child is then killed by the caller)
 */
static int parent_start_modules(struct parent *p, const sigset_t *exec_mask)
{
	struct conf *c = p->c;
	struct error e = {0};
	int ret;

	ret = userns_setup(c, p->child, exec_mask);
	if (ret)
		return ret;
	if (c->evacuate_cgroup2) {
		ret = cgroup2_evacuate(c->evacuate_cgroup2);
		if (ret)
			return ret;
	}
	ret = handshake_send(p->chan, HANDSHAKE_MAPS);
	if (ret)
		return ret;
	ret = loop_new(&p->loop);
	if (ret)
		return ret;

	p->ns.pid = p->child;
	if (c->detach_netns) {
		child_netns_path(c, p->child, p->netns_path, sizeof(p->netns_path));
		p->ns.netns_path = p->netns_path;
	}
	/* the network driver receives what netns_child_setup() sends on chan */
	if (c->net == CONF_NET_PASTA)
		ret = pasta_start(c, p->loop, p->chan, &p->ns, &p->pasta, &e);
	else
		ret = net_parent_start(c, p->loop, p->chan, &p->ns, &p->net, &e);
	if (ret) {
		error_wrap(&e, "network (--net=%s)", conf_net_name(c->net));
		goto fail;
	}
	ret = handshake_wait(p->chan, HANDSHAKE_READY);
	if (ret)
		return ret;

	/* the port driver enters the child's namespaces: they are complete now */
	ret = ports_start(c, p->loop, p->net, &p->ns, &p->ports, &e);
	if (ret) {
		error_wrap(&e, "port driver (--port-driver=%s)",
			   conf_port_driver_name(c->port_driver));
		goto fail;
	}
	ret = ports_publish_conf(p->ports, c, &e);
	if (ret)
		goto fail;

	ret = statedir_write_child_pid(&p->sd, p->child);
	if (ret) {
		err_errno(ret, "cannot write %s/child_pid", p->sd.path);
		return ret;
	}
	ret = api_start(c, p->loop, p->ports, p->child, &p->api, &e);
	if (ret) {
		error_wrap(&e, "API");
		goto fail;
	}

	ret = sig_start(p->loop, p->child, &p->sig);
	if (ret)
		return ret;
	p->pidfd.cb = parent_child_exit_cb;
	p->pidfd.data = p;
	ret = loop_add(p->loop, &p->pidfd, EPOLLIN);
	if (ret)
		return ret;
	return handshake_send(p->chan, HANDSHAKE_GO);
fail:
	err_report(&e);
	return ret;
}

/**
 * parent_reap_child() - Kill (unless it exited) and reap the child
 * @p:		run state
 * @kill_it:	send SIGKILL first
 *
 * Return: its exit code (128+N for signal N)
 */
static int parent_reap_child(struct parent *p, bool kill_it)
{
	int status = 0;

	if (p->exited || p->child <= 0)
		return 1;
	if (kill_it)
		kill(p->child, SIGKILL);
	while (waitpid(p->child, &status, 0) < 0) {
		if (errno != EINTR)
			return 1;
	}
	p->exited = true;
	return reaper_status_code(status);
}

/**
 * parent_run() - Run the command in the namespaces and wait for it
 * @c:		parsed configuration
 *
 * Return: the exit code (the command's; 128+N for signal N; 1 on failure)
 */
int parent_run(struct conf *c)
{
	struct parent p = {.c = c, .chan = -1, .pidfd = {.fd = -1}};
	struct child_args ca = {.c = c, .parent_pid = getpid()};
	int sv[2], ret, code = 1;
	sigset_t old;

	c->parent_euid = geteuid();
	c->parent_egid = getegid();
	util_raise_nofile(&ca.nofile);
	mountns_check_propagation(c->propagation);
	p.sd.dir_fd = p.sd.lock_fd = -1;
	if (statedir_open(c, &p.sd))
		goto out;
	debug("state directory %s", c->state_dir);
	if (parent_export_env(c))
		goto out;
	ca.listen_pid = parent_listen_pid_is_ours();
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		err_errno(errno, "socketpair");
		goto out;
	}
	ret = sig_block(&old);
	if (ret) {
		err_errno(ret, "blocking signals");
		close(sv[0]);
		close(sv[1]);
		goto out;
	}
	ca.exec_mask = old;
	ca.chan = sv[1];
	fflush(NULL);
	p.child =
		(pid_t)syscall(SYS_clone, parent_clone_flags(c) | SIGCHLD, NULL, NULL, NULL, NULL);
	if (p.child < 0) {
		parent_clone_error(errno);
		close(sv[0]);
		close(sv[1]);
		goto out;
	}
	if (p.child == 0) {
		close(sv[0]);
		statedir_close_fds(&p.sd);
		child_main(&ca);
	}
	close(sv[1]);
	p.chan = sv[0];
	debug("child pid %ld", (long)p.child);

	p.pidfd.fd = (int)syscall(SYS_pidfd_open, p.child, 0);
	if (p.pidfd.fd < 0) {
		err("pidfd_open: %s (Linux 5.3 or later is needed)", error_errstr(errno));
		parent_reap_child(&p, true);
		goto out;
	}
	ret = parent_start_modules(&p, &old);
	if (ret) {
		/* a child that died already said why; one still running is killed now */
		parent_reap_child(&p, true);
		goto out;
	}
	code = loop_run(p.loop);
	if (code < 0)
		code = 1;
out:
	api_free(p.api);
	ports_free(p.ports);
	net_free(p.net);
	pasta_free(p.pasta);
	if (p.loop)
		sig_free(p.loop, p.sig);
	loop_free(p.loop);
	if (p.pidfd.fd >= 0)
		close(p.pidfd.fd);
	if (p.chan >= 0)
		close(p.chan);
	if (!p.exited && p.child > 0)
		parent_reap_child(&p, true);
	statedir_remove(&p.sd);
	return code;
}

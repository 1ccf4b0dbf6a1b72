/* child.c - the child: user namespace identity, mounts, network setup, then the command */
/**
 * DOC: Theory of operation
 *
 * The child is cloned by the parent into the new namespaces and runs, in order:
 *
 * 1. PDEATHSIG=SIGKILL, then wait for MAPS: until the parent has written uid_map and
 *    gid_map we are nobody in the new user namespace.
 * 2. Become uid/gid 0 there. newuidmap is setuid, and the kernel clears the parent-death
 *    signal of a process whose credentials change: PDEATHSIG is set again, and only then is
 *    the parent checked to be alive (it may have died in between, unnoticed).
 * 3. Mounts (mountns.c), then netns_child_setup() in the new network namespace (with
 *    --detach-netns: in a namespace made by a helper process and bind-mounted on
 *    $STATE_DIR/netns, while we stay in the host's, as rootlesskit does).
 * 4. Send READY, wait for GO (the parent has the network, ports, child_pid and API up),
 *    then run the command under the reaper (reaper.c), whose status becomes ours.
 *
 * Any failure ends the child with status 1 after saying why; the parent then exits too.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "child.h"
#include "conf.h"
#include "error.h"
#include "handshake.h"
#include "log.h"
#include "mountns.h"
#include "net.h"
#include "netns.h"
#include "reaper.h"
#include "util.h"

/**
 * child_parent_alive() - Check that the parent still exists after PDEATHSIG was set
 * @a:		arguments
 *
 * Return: true if it does
 */
static bool child_parent_alive(const struct child_args *a)
{
	struct pollfd p = {.fd = a->chan, .events = POLLRDHUP};

	if (!a->c->pidns && getppid() != a->parent_pid)
		return false;
	/* in a new PID namespace getppid() is 0: the channel tells instead */
	if (poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLRDHUP | POLLERR)))
		return false;
	return true;
}

/**
 * child_exit() - Flush and end the child
 * @code:	exit status
 *
 * Return: does not return
 */
static void __attribute__((noreturn)) child_exit(int code)
{
	fflush(NULL);
	_exit(code);
}

/**
 * child_netns_path() - Where the parent finds the --detach-netns network namespace
 * @c:		configuration
 * @child:	the child's pid
 * @buf:	the path: $STATE_DIR/netns as the child's mount namespace sees it
 * @len:	size of @buf
 *
 * The child bind-mounts the namespace on $STATE_DIR/netns in its own mount namespace, so the
 * parent reaches it through the child's root.
 *
 * Return: nothing
 */
void child_netns_path(const struct conf *c, pid_t child, char *buf, size_t len)
{
	snprintf(buf, len, "/proc/%d/root%s/netns", (int)child, c->state_dir);
}

/**
 * child_detached_net() - --detach-netns: make a network namespace at $STATE_DIR/netns and
 * set it up, from a helper process, staying in the current one
 * @a:		arguments
 *
 * Return: 0, or -errno with the reason logged
 */
static int child_detached_net(const struct child_args *a)
{
	char path[4096];
	int status, fd;
	pid_t pid;

	snprintf(path, sizeof(path), "%s/netns", a->c->state_dir);
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0400);
	if (fd < 0) {
		err_errno(errno, "cannot create %s", path);
		return -errno;
	}
	close(fd);
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid == 0) {
		int ret;

		if (unshare(CLONE_NEWNET) < 0) {
			err_errno(errno, "cannot create a network namespace");
			_exit(1);
		}
		if (mount("/proc/self/ns/net", path, NULL, MS_BIND, NULL) < 0) {
			err_errno(errno, "cannot bind-mount the network namespace on %s", path);
			_exit(1);
		}
		ret = netns_child_setup(a->c, a->chan);
		if (ret) {
			err_errno(ret, "network setup in the detached namespace failed");
			_exit(1);
		}
		fflush(NULL);
		_exit(0);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

/**
 * child_main() - Entry of the cloned child
 * @a:		arguments
 *
 * Return: does not return; exits with the command's status, or 1 on failure
 */
void child_main(const struct child_args *a)
{
	const struct conf *c = a->c;
	struct reaper_cmd rc = {
		.argv = c->argv,
		.exec_mask = &a->exec_mask,
		.pidns = c->pidns,
		.parent_pidfd = -1,
		.listen_pid = a->listen_pid,
		.nofile = &a->nofile,
	};
	int ret;

	log_set_role("rootlessnet:child ");
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || !child_parent_alive(a))
		child_exit(1);
	ret = handshake_wait(a->chan, HANDSHAKE_MAPS);
	if (ret == -EPIPE)
		child_exit(1);
	if (ret) {
		err_errno(ret, "waiting for the uid/gid maps");
		child_exit(1);
	}
	if (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0) {
		err("cannot become root in the user namespace: %s (uid 0 is not mapped)",
		    error_errstr(errno));
		child_exit(1);
	}
	/* newuidmap ran: set the parent-death signal again, then check the parent */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0)
		child_exit(1);
	if (!c->pidns) {
		rc.parent_pidfd = (int)syscall(SYS_pidfd_open, a->parent_pid, 0);
		if (rc.parent_pidfd < 0)
			warn("pidfd_open: %s: the session may outlive a killed parent",
			     error_errstr(errno));
	}
	if (!child_parent_alive(a))
		child_exit(1);
	debug("uid %u gid %u in the user namespace", (unsigned int)getuid(),
	      (unsigned int)getgid());

	if (mountns_setup(c))
		child_exit(1);
	if (c->detach_netns) {
		if (child_detached_net(a))
			child_exit(1);
	} else {
		ret = netns_child_setup(c, a->chan);
		if (ret) {
			err_errno(ret, "network setup in the namespace failed");
			child_exit(1);
		}
	}
	ret = handshake_send(a->chan, HANDSHAKE_READY);
	if (!ret)
		ret = handshake_wait(a->chan, HANDSHAKE_GO);
	if (ret)
		child_exit(1);
	child_exit(reaper_run(&rc));
}

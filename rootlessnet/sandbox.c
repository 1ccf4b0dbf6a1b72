/* sandbox.c - confine the network process: empty read-only root, one capability, no_new_privs */
/**
 * DOC: Theory of operation
 *
 * What slirp4netns --enable-sandbox does, for the network process only (netproc.c):
 *
 * - a mount namespace of its own. slirp4netns enters the child's user namespace for the
 *   privilege to make one; we make a fresh user namespace instead (unless we are root),
 *   mapping only our own uid and gid: it grants nothing outside, and the network namespace
 *   stays the host's, so libslirp's sockets remain host sockets.
 * - a new root: a small tmpfs holding read-only bind mounts of /etc (libslirp reads
 *   /etc/resolv.conf on DNS queries; a bind of the directory follows the file being
 *   replaced) and, when /etc/resolv.conf is a symlink out of /etc, of the directory it
 *   points into (e.g. /run/systemd/resolve) — not all of /run, whose sockets a read-only
 *   mount does not protect. pivot_root into it, detach the old root, make it read-only.
 * - sandbox_drop_caps(): every capability but CAP_NET_BIND_SERVICE (effective, permitted,
 *   bounding; ambient and inheritable cleared) with libcap-ng, and no_new_privs.
 *
 * The tmpfs is mounted over /tmp in the private mount namespace only; nobody else sees it.
 */
#include "config.h"

#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "sandbox.h"
#include "util.h"

#define SANDBOX_ROOT "/tmp"

/**
 * sandbox_userns() - Enter a new user and mount namespace mapping only ourselves
 *
 * Return: 0 or -errno
 */
static int sandbox_userns(void)
{
	uid_t uid = geteuid();
	gid_t gid = getegid();
	char map[64];
	int ret;

	if (unshare(CLONE_NEWUSER | CLONE_NEWNS) < 0)
		return -errno;
	ret = util_write_file("/proc/self/setgroups", "deny");
	if (ret < 0 && ret != -ENOENT)
		return ret;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned int)uid, (unsigned int)uid);
	ret = util_write_file("/proc/self/uid_map", map);
	if (ret < 0)
		return ret;
	snprintf(map, sizeof(map), "%u %u 1\n", (unsigned int)gid, (unsigned int)gid);
	return util_write_file("/proc/self/gid_map", map);
}

/**
 * sandbox_bind_ro() - Bind a directory read-only, keeping the flags the kernel locks
 * @from:	source
 * @to:		target directory
 *
 * Return: 0 or -errno
 */
static int sandbox_bind_ro(const char *from, const char *to)
{
	unsigned long fl = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct statvfs sv;

	if (mount(from, to, NULL, MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	/* a remount in a user namespace must repeat the atime flags of a locked mount */
	if (statvfs(to, &sv) == 0) {
		if (sv.f_flag & ST_NOATIME)
			fl |= MS_NOATIME;
		if (sv.f_flag & ST_NODIRATIME)
			fl |= MS_NODIRATIME;
		if (sv.f_flag & ST_RELATIME)
			fl |= MS_RELATIME;
	}
	if (mount(NULL, to, NULL, fl, NULL) < 0)
		return -errno;
	return 0;
}

/**
 * sandbox_mkdir_p() - Create a directory and its parents
 * @path:	absolute path
 *
 * Return: 0 or -errno
 */
static int sandbox_mkdir_p(const char *path)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/**
 * sandbox_resolv_dir() - Bind the directory /etc/resolv.conf points into, if out of /etc
 *
 * Return: 0 or -errno
 */
static int sandbox_resolv_dir(void)
{
	cleanup_free char *real = realpath("/etc/resolv.conf", NULL);
	char dst[PATH_MAX];
	char *slash;
	int ret;

	if (!real || !strncmp(real, "/etc/", 5))
		return 0;
	slash = strrchr(real, '/');
	if (!slash || slash == real)
		return 0;
	*slash = '\0';
	if (snprintf(dst, sizeof(dst), SANDBOX_ROOT "%s", real) >= (int)sizeof(dst))
		return -ENAMETOOLONG;
	ret = sandbox_mkdir_p(dst);
	if (ret < 0)
		return ret;
	debug("sandbox: /etc/resolv.conf points into %s: binding it too", real);
	return sandbox_bind_ro(real, dst);
}

/**
 * sandbox_fail() - Report a failed step
 * @what:	the step
 * @ret:	-errno
 *
 * Return: @ret
 */
static int sandbox_fail(const char *what, int ret)
{
	debug_errno(ret, "sandbox: %s", what);
	return ret;
}

/**
 * sandbox_enter() - Private mount namespace with an empty read-only root keeping /etc
 *
 * Call while single-threaded, with no fd open on anything outside. Capabilities are
 * dropped separately, by sandbox_drop_caps().
 *
 * Return: 0 or -errno (the first step that failed is logged at debug level)
 */
int sandbox_enter(void)
{
	int ret;

	if (geteuid() != 0) {
		ret = sandbox_userns();
		if (ret < 0)
			return sandbox_fail("new user and mount namespace", ret);
	} else if (unshare(CLONE_NEWNS) < 0) {
		return sandbox_fail("new mount namespace", -errno);
	}
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL) < 0)
		return sandbox_fail("making / a slave", -errno);
	if (mount("tmpfs", SANDBOX_ROOT, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  "size=64k,mode=0755") < 0)
		return sandbox_fail("tmpfs on " SANDBOX_ROOT, -errno);
	if (mkdir(SANDBOX_ROOT "/etc", 0755) < 0 || mkdir(SANDBOX_ROOT "/old", 0755) < 0)
		return sandbox_fail("mkdir in the new root", -errno);
	ret = sandbox_bind_ro("/etc", SANDBOX_ROOT "/etc");
	if (ret < 0)
		return sandbox_fail("binding /etc", ret);
	ret = sandbox_resolv_dir();
	if (ret < 0)
		return sandbox_fail("binding the directory of /etc/resolv.conf", ret);
	if (chdir(SANDBOX_ROOT) < 0)
		return sandbox_fail("chdir to the new root", -errno);
	if (syscall(SYS_pivot_root, ".", "old") < 0)
		return sandbox_fail("pivot_root", -errno);
	if (chdir("/") < 0)
		return sandbox_fail("chdir /", -errno);
	if (umount2("/old", MNT_DETACH) < 0)
		return sandbox_fail("detaching the old root", -errno);
	if (rmdir("/old") < 0)
		return sandbox_fail("rmdir /old", -errno);
	if (mount(NULL, "/", NULL,
		  MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return sandbox_fail("making the new root read-only", -errno);
	return 0;
}

/**
 * sandbox_drop_caps() - Keep only CAP_NET_BIND_SERVICE, and set no_new_privs
 *
 * The bounding set is cleared too when we may (CAP_SETPCAP: in the sandbox's user
 * namespace, or as root); without it a rootless process has no effective capability anyway.
 *
 * Return: 0 or -errno
 */
int sandbox_drop_caps(void)
{
	capng_select_t sel = CAPNG_SELECT_CAPS;

	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return sandbox_fail("clearing ambient capabilities", -errno);
	if (capng_get_caps_process() == 0 && capng_have_capability(CAPNG_EFFECTIVE, CAP_SETPCAP))
		sel = CAPNG_SELECT_BOTH;
	capng_clear(sel);
	if (capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_BIND_SERVICE) < 0)
		return sandbox_fail("capng_update", -EINVAL);
	if (sel == CAPNG_SELECT_BOTH &&
	    capng_update(CAPNG_ADD, CAPNG_BOUNDING_SET, CAP_NET_BIND_SERVICE) < 0)
		return sandbox_fail("capng_update (bounding set)", -EINVAL);
	if (capng_apply(sel) < 0)
		return sandbox_fail("capng_apply", errno ? -errno : -EPERM);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return sandbox_fail("no_new_privs", -errno);
	return 0;
}

/* mountns.c - the child's mount namespace: propagation, /proc, copy-up, /sys, resolv.conf, hosts */
/**
 * DOC: Theory of operation
 *
 * Runs in the child, as uid 0 of the new user namespace, in the new mount namespace, in the
 * order rootlesskit uses:
 *
 * - --propagation: "/" is remounted recursively (or not, for private/slave/shared) with the
 *   given propagation; rprivate by default, rslave as dockerd-rootless.sh asks, so that
 *   mounts made on the host later still appear inside.
 * - --pidns: a new procfs on /proc, showing the new PID namespace.
 * - --copy-up=DIR (tmpfs+symlink): DIR is bind-mounted aside (under /tmp, outside DIR and
 *   outside the state directory, which may live in DIR), a tmpfs is mounted on DIR, the
 *   original is moved to DIR/.roXXXXXX, and each entry gets a symlink to it. DIR is then
 *   writable and the host is untouched; a symlink can be replaced by a real file.
 * - /sys: with a new network namespace, a fresh sysfs (showing the namespace's interfaces),
 *   read-only when the kernel refuses read-write; /sys/fs/cgroup is moved over from the old
 *   one (or, with --evacuate-cgroup2, cgroup2 is mounted anew).
 * - /etc/resolv.conf and /etc/hosts (any network but host): written in the state directory
 *   (mode 0644 less the umask, as rootlesskit's os.WriteFile) and bind-mounted. resolv.conf
 *   names the user-mode network's DNS (topo.h: .3 of --cidr, plus fd00::3 with --ipv6), and
 *   is empty for --net=none; hosts is /etc/hosts as seen after copy-up plus the hostname as
 *   127.0.0.1 and ::1. With /etc copied up, the symlinks are replaced by empty files first,
 *   so the bind mounts do not follow them to the host files. With --detach-netns the command
 *   stays in the host's network namespace: rootlesskit (pkg/child, setupNet) writes both
 *   files all the same, for the command to give to what it runs in $STATE_DIR/netns, and
 *   mounts neither; so do we.
 */
#include "config.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf.h"
#include "error.h"
#include "log.h"
#include "mountns.h"
#include "path.h"
#include "topo.h"
#include "util.h"

/**
 * mountns_propagation() - Set the propagation of "/"
 * @c:		configuration: --propagation, and its mount flags (conf_derive())
 *
 * Return: 0, or -errno with the reason logged
 */
static int mountns_propagation(const struct conf *c)
{
	if (mount("none", "/", NULL, c->propagation_flags, NULL) < 0) {
		int ret = -errno;

		err_errno(ret, "cannot set the propagation of / to %s", c->propagation);
		return ret;
	}
	return 0;
}

/**
 * mountns_proc() - Mount a procfs for the new PID namespace on /proc
 *
 * Return: 0 (failures are warnings, as in rootlesskit)
 */
static int mountns_proc(void)
{
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) == 0)
		return 0;
	warn("cannot mount procfs on /proc (%s): trying read-only", error_errstr(errno));
	if (mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, NULL) < 0)
		warn("cannot mount procfs on /proc: %s; /proc shows the host's PID namespace",
		     error_errstr(errno));
	return 0;
}

/**
 * mountns_copy_up_one() - tmpfs+symlink copy-up of one directory
 * @dir:	clean absolute path
 *
 * Return: 0, or -errno with the reason logged
 */
static int mountns_copy_up_one(const char *dir)
{
	char bind0[] = "/tmp/rootlessnet-b.XXXXXX";
	char bind1[PATH_MAX];
	DIR *d;
	struct dirent *e;
	int ret = 0;

	if (!mkdtemp(bind0)) {
		ret = -errno;
		err_errno(ret, "--copy-up=%s: cannot create a directory under /tmp", dir);
		return ret;
	}
	if (mount(dir, bind0, NULL, MS_BIND | MS_REC, NULL) < 0) {
		ret = -errno;
		err_errno(ret, "--copy-up=%s: cannot bind-mount it", dir);
		goto out;
	}
	if (mount("none", dir, "tmpfs", 0, NULL) < 0) {
		ret = -errno;
		err_errno(ret, "--copy-up=%s: cannot mount a tmpfs on it", dir);
		goto out;
	}
	if (snprintf(bind1, sizeof(bind1), "%s/.roXXXXXX", strcmp(dir, "/") ? dir : "") >=
	    (int)sizeof(bind1)) {
		ret = -ENAMETOOLONG;
		err("--copy-up=%s: the path is too long", dir);
		goto out;
	}
	if (!mkdtemp(bind1)) {
		ret = -errno;
		err_errno(ret, "--copy-up=%s: cannot create %s", dir, bind1);
		goto out;
	}
	if (mount(bind0, bind1, NULL, MS_MOVE, NULL) < 0) {
		ret = -errno;
		err_errno(ret, "--copy-up=%s: cannot move the original to %s", dir, bind1);
		goto out;
	}
	d = opendir(bind1);
	if (!d) {
		ret = -errno;
		err_errno(ret, "--copy-up=%s: cannot read %s", dir, bind1);
		goto out;
	}
	while ((e = readdir(d))) {
		char src[PATH_MAX], dst[PATH_MAX], full[PATH_MAX];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (snprintf(full, sizeof(full), "%s/%s", bind1, e->d_name) >= (int)sizeof(full) ||
		    snprintf(dst, sizeof(dst), "%s/%s", dir, e->d_name) >= (int)sizeof(dst)) {
			ret = -ENAMETOOLONG;
			err("--copy-up=%s: path too long for %s", dir, e->d_name);
			break;
		}
		if (lstat(full, &st) == 0 && S_ISLNK(st.st_mode)) {
			ssize_t n = readlink(full, src, sizeof(src) - 1);

			if (n < 0) {
				ret = -errno;
				err_errno(ret, "--copy-up=%s: cannot read the link %s", dir, full);
				break;
			}
			src[n] = '\0';
		} else {
			snprintf(src, sizeof(src), "%s/%s", strrchr(bind1, '/') + 1, e->d_name);
		}
		/* an empty tmpfs may already have gained entries (mtab): replace them */
		if (unlink(dst) < 0 && errno == EISDIR)
			rmdir(dst);
		if (symlink(src, dst) < 0) {
			ret = -errno;
			err_errno(ret, "--copy-up=%s: cannot create the link %s -> %s", dir, dst,
				  src);
			break;
		}
	}
	closedir(d);
out:
	rmdir(bind0);
	return ret;
}

/**
 * mountns_copy_up() - Copy up every --copy-up directory
 * @c:		configuration
 * @etc_copied:	set when /etc was copied up
 *
 * Return: 0, or -errno with the reason logged
 */
static int mountns_copy_up(const struct conf *c, bool *etc_copied)
{
	*etc_copied = false;
	for (size_t i = 0; i < c->n_copy_up; i++) {
		char dir[PATH_MAX];
		int ret;

		if (path_clean_plain(c->copy_up[i], dir, sizeof(dir))) {
			err("--copy-up=%s: give a plain absolute path", c->copy_up[i]);
			return -EINVAL;
		}
		if (!strcmp(dir, "/tmp")) {
			err("--copy-up=/tmp is not supported (the copy-up itself works in /tmp)");
			return -EINVAL;
		}
		ret = mountns_copy_up_one(dir);
		if (ret)
			return ret;
		if (!strcmp(dir, "/etc"))
			*etc_copied = true;
	}
	return 0;
}

/**
 * mountns_sys() - Mount a sysfs for the new network namespace on /sys
 * @new_netns:		the command is in a new network namespace
 * @evacuate:		--evacuate-cgroup2: mount cgroup2 on /sys/fs/cgroup anew
 *
 * Return: 0, or -errno with the reason logged
 */
static int mountns_sys(bool new_netns, bool evacuate)
{
	const char *cg = "/sys/fs/cgroup";
	char tmp[] = "/tmp/rootlessnet-sys.XXXXXX";
	int ret = 0;

	if (!new_netns) {
		if (!evacuate)
			return 0;
		if (mount("none", cg, "tmpfs", 0, NULL) < 0 ||
		    mount("none", cg, "cgroup2", 0, NULL) < 0) {
			ret = -errno;
			err_errno(ret, "cannot mount cgroup2 on %s", cg);
		}
		return ret;
	}
	if (!mkdtemp(tmp)) {
		ret = -errno;
		err_errno(ret, "cannot create a directory under /tmp");
		return ret;
	}
	if (!evacuate && mount(cg, tmp, NULL, MS_BIND | MS_REC, NULL) < 0) {
		ret = -errno;
		err_errno(ret, "cannot bind-mount %s", cg);
		goto out;
	}
	if (mount("none", "/sys", "sysfs", 0, NULL) < 0) {
		warn("cannot mount sysfs on /sys (%s): trying read-only", error_errstr(errno));
		if (mount("none", "/sys", "sysfs", MS_RDONLY, NULL) < 0)
			warn("cannot mount sysfs on /sys: %s; /sys shows the host's network",
			     error_errstr(errno));
	}
	if (evacuate) {
		if (mount("none", cg, "cgroup2", 0, NULL) < 0) {
			ret = -errno;
			err_errno(ret, "cannot mount cgroup2 on %s", cg);
		}
	} else if (mount(tmp, cg, NULL, MS_MOVE, NULL) < 0) {
		ret = -errno;
		err_errno(ret, "cannot move %s back to %s", tmp, cg);
	}
out:
	rmdir(tmp);
	return ret;
}

/**
 * mountns_resolv_conf() - The resolv.conf the namespace gets
 * @c:		configuration
 * @buf:	text
 * @len:	size of @buf
 *
 * Return: 0 (the addresses come from --cidr through conf_derive())
 */
int mountns_resolv_conf(const struct conf *c, char *buf, size_t len)
{
	char a[INET_ADDRSTRLEN], a6[INET6_ADDRSTRLEN];

	buf[0] = '\0';
	if (c->net != CONF_NET_SLIRP4NETNS && c->net != CONF_NET_PASTA)
		return 0;
	inet_ntop(AF_INET, &c->topo.dns, a, sizeof(a));
	inet_ntop(AF_INET6, &c->topo.dns6, a6, sizeof(a6));
	/* rootlesskit's pasta driver names only the IPv4 forwarder, with --ipv6 too */
	if (c->ipv6 && c->net == CONF_NET_SLIRP4NETNS)
		snprintf(buf, len, "nameserver %s\nnameserver %s\n", a, a6);
	else
		snprintf(buf, len, "nameserver %s\n", a);
	return 0;
}

/**
 * mountns_write() - Write a file by path
 * @path:	file
 * @s:		content
 * @len:	length of @s
 *
 * Return: 0, or -errno
 */
static int mountns_write(const char *path, const char *s, size_t len)
{
	cleanup_close int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		return -errno;
	if (len && write(fd, s, len) != (ssize_t)len)
		return -errno;
	return 0;
}

/**
 * mountns_hosts() - The hosts file the namespace gets: the host's, and the hostname
 * @out:	malloc'd text
 *
 * Return: 0, or -errno
 */
static int mountns_hosts(char **out)
{
	char host[256] = "localhost";
	char *buf = NULL;
	size_t len = 0;
	FILE *f, *m;

	gethostname(host, sizeof(host) - 1);
	m = open_memstream(&buf, &len);
	if (!m)
		return -ENOMEM;
	f = fopen("/etc/hosts", "re");
	if (f) {
		int ch;

		while ((ch = fgetc(f)) != EOF)
			fputc(ch, m);
		fclose(f);
	}
	fprintf(m, "\n127.0.0.1 %s\n::1 %s\n", host, host);
	if (fclose(m)) {
		free(buf);
		return -ENOMEM;
	}
	*out = buf;
	return 0;
}

/**
 * mountns_etc_files() - Write resolv.conf and hosts in the state directory, and provide them
 * as /etc/resolv.conf and /etc/hosts unless the network namespace is detached
 * @c:		configuration
 * @etc_copied:	/etc is a copy-up tmpfs (its entries are symlinks to replace)
 *
 * Return: 0, or -errno with the reason logged
 */
static int mountns_etc_files(const struct conf *c, bool etc_copied)
{
	bool bind = !c->detach_netns;
	static const char *const names[] = {"resolv.conf", "hosts"};
	cleanup_free char *hosts = NULL;
	char resolv[256];
	int ret;

	ret = mountns_hosts(&hosts);
	if (!ret)
		ret = mountns_resolv_conf(c, resolv, sizeof(resolv));
	if (ret) {
		err_errno(ret, "cannot build /etc/hosts or /etc/resolv.conf");
		return ret;
	}
	if (bind && !etc_copied)
		warn("/etc/resolv.conf is bind-mounted without --copy-up=/etc: it disappears "
		     "from the namespace when the host replaces the file; --copy-up=/etc is "
		     "recommended");
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *content = i ? hosts : resolv;
		char src[PATH_MAX], dst[64];

		snprintf(src, sizeof(src), "%s/%s", c->state_dir, names[i]);
		snprintf(dst, sizeof(dst), "/etc/%s", names[i]);
		ret = mountns_write(src, content, strlen(content));
		if (ret) {
			err_errno(ret, "cannot write %s", src);
			return ret;
		}
		if (!bind)
			continue;
		if (etc_copied) {
			unlink(dst);
			ret = mountns_write(dst, "", 0);
			if (ret) {
				err_errno(ret, "cannot create %s in the copied-up /etc", dst);
				return ret;
			}
		}
		if (mount(src, dst, NULL, MS_BIND, NULL) < 0) {
			ret = -errno;
			err_errno(ret, "cannot bind-mount %s on %s", src, dst);
			return ret;
		}
	}
	return 0;
}

/**
 * mountns_check_propagation() - Warn when --propagation cannot work on this host
 * @prop:	--propagation
 *
 * A slave or shared "/" inside needs a shared "/" on the host (a normal systemd host has
 * one; inside a container "/" is usually a slave or private, and host mounts never arrive).
 * Runs in the parent, on the host's /proc/self/mountinfo.
 *
 * Return: nothing
 */
void mountns_check_propagation(const char *prop)
{
	cleanup_fclose FILE *f = NULL;
	cleanup_free char *line = NULL;
	size_t cap = 0;

	if (!prop || strstr(prop, "private"))
		return;
	f = fopen("/proc/self/mountinfo", "re");
	while (f && getline(&line, &cap, f) > 0) {
		char mp[8];
		char *dash;

		if (sscanf(line, "%*s %*s %*s %*s %7s", mp) != 1 || strcmp(mp, "/") != 0)
			continue;
		dash = strstr(line, " - ");
		if (dash)
			*dash = '\0';
		if (!strstr(line, " shared:"))
			warn("the host's / is not a shared mount: with --propagation=%s, mounts "
			     "made "
			     "on the host later will not appear in the namespace",
			     prop);
		return;
	}
}

/**
 * mountns_setup() - Prepare the child's mount namespace
 * @c:		configuration
 *
 * Return: 0, or -errno with the reason logged
 */
int mountns_setup(const struct conf *c)
{
	bool etc_copied = false;
	bool new_netns = c->net != CONF_NET_HOST && !c->detach_netns;
	int ret;

	ret = mountns_propagation(c);
	if (!ret && c->pidns)
		ret = mountns_proc();
	if (!ret)
		ret = mountns_copy_up(c, &etc_copied);
	if (!ret && !c->detach_netns)
		ret = mountns_sys(new_netns, c->evacuate_cgroup2 != NULL);
	if (!ret && c->net != CONF_NET_HOST)
		ret = mountns_etc_files(c, etc_copied);
	return ret;
}

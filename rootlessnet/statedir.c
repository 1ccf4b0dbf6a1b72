/* statedir.c - the state directory: creation, lock, child_pid, removal */
/**
 * DOC: Theory of operation
 *
 * --state-dir (made absolute) or, by default, a new private directory under $TMPDIR (or
 * /tmp) holds: lock (an exclusive flock for the whole run: a second instance on the same
 * directory fails at once and says so), child_pid (written atomically, by rename, once the
 * network and the published ports are ready), api.sock (the API module), netns
 * (--detach-netns), and the resolv.conf and hosts files the namespace sees.
 *
 * A previous parent killed with SIGKILL leaves its files behind but not its lock (the kernel
 * drops a flock with the last fd): on start, everything but lock is removed, so the
 * directory can be reused at once. On exit the whole directory is removed, as rootlesskit
 * does. The child closes both fds right after clone(), so nothing but the parent holds the
 * lock.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "conf.h"
#include "error.h"
#include "log.h"
#include "path.h"
#include "statedir.h"
#include "util.h"

/**
 * statedir_absolute() - Make a path absolute against the working directory, and clean it
 * @path:	path
 *
 * Return: malloc'd absolute path, or NULL
 */
static char *statedir_absolute(const char *path)
{
	char *out;

	if (path[0] == '/') {
		out = strdup(path);
	} else {
		char cwd[PATH_MAX];

		if (!getcwd(cwd, sizeof(cwd)))
			return NULL;
		if (asprintf(&out, "%s/%s", cwd, path) < 0)
			return NULL;
	}
	return out ? path_clean(out) : NULL;
}

/**
 * statedir_check_len() - Refuse a state directory whose api.sock cannot be bound
 * @abs:	absolute, cleaned state directory
 *
 * A unix socket's path fits in sun_path (107 bytes and a NUL). A longer --state-dir used to
 * fail only once the namespaces were made, at api.sock, with the namespace torn down again.
 *
 * Return: 0, or -ENAMETOOLONG with the reason logged
 */
static int statedir_check_len(const char *abs)
{
	struct sockaddr_un sa;
	size_t len = strlen(abs) + strlen("/api.sock");

	if (len < sizeof(sa.sun_path))
		return 0;
	err("--state-dir=%s: too long: its api.sock would be a %zu-byte path, and a unix socket's "
	    "path has at most %zu; use a shorter --state-dir",
	    abs, len, sizeof(sa.sun_path) - 1);
	return -ENAMETOOLONG;
}

/**
 * statedir_mkdir_p() - Create a directory and its parents
 * @path:	absolute path
 * @mode:	mode of created directories
 *
 * Return: 0 or -errno
 */
static int statedir_mkdir_p(const char *path, mode_t mode)
{
	cleanup_free char *p = strdup(path);

	if (!p)
		return -ENOMEM;
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, mode) < 0 && errno != EEXIST)
			return -errno;
		*s = '/';
	}
	if (mkdir(p, mode) < 0 && errno != EEXIST)
		return -errno;
	return 0;
}

/**
 * statedir_rm_cb() - nftw() callback removing one entry
 * @path:	entry
 * @st:		its stat
 * @flag:	FTW_DP for directories (depth first)
 * @ftw:	level information
 *
 * Return: 0 (keeps going on errors, which are logged at debug level)
 */
static int statedir_rm_cb(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	if (ftw->level == 0)
		return 0;
	if ((flag == FTW_DP ? rmdir(path) : unlink(path)) < 0)
		debug_errno(errno, "cannot remove %s", path);
	return 0;
}

/**
 * statedir_wipe() - Remove everything in the directory except the lock file
 * @sd:		state directory
 *
 * Return: 0, or -errno with the reason logged
 */
static int statedir_wipe(const struct statedir *sd)
{
	int fd = dup(sd->dir_fd);
	DIR *d;
	struct dirent *e;
	int ret = 0;

	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		ret = -errno;
		close(fd);
		return ret;
	}
	while ((e = readdir(d))) {
		char path[PATH_MAX];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") ||
		    !strcmp(e->d_name, "lock"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", sd->path, e->d_name);
		nftw(path, statedir_rm_cb, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
		if (unlinkat(sd->dir_fd, e->d_name, 0) < 0 && errno != ENOENT &&
		    unlinkat(sd->dir_fd, e->d_name, AT_REMOVEDIR) < 0 && errno != ENOENT) {
			ret = -errno;
			err_errno(errno, "cannot remove %s left by a previous run", path);
		}
	}
	closedir(d);
	return ret;
}

/**
 * statedir_open() - Create or take over the state directory and lock it
 * @c:		configuration; c->state_dir is set to the absolute path
 * @sd:		filled in
 *
 * Return: 0, or -errno with the reason logged (another instance: -EBUSY)
 */
int statedir_open(struct conf *c, struct statedir *sd)
{
	char *abs;
	int ret;

	sd->dir_fd = sd->lock_fd = -1;
	if (!c->state_dir_given) {
		const char *tmp = getenv("TMPDIR");
		char *tmpl;

		if (!tmp || !*tmp)
			tmp = "/tmp";
		if (asprintf(&tmpl, "%s/rootlessnet.XXXXXX", tmp) < 0)
			return -ENOMEM;
		if (!mkdtemp(tmpl)) {
			ret = -errno;
			err("cannot create a state directory in %s: %s (set TMPDIR or use "
			    "--state-dir)",
			    tmp, error_errstr(-ret));
			free(tmpl);
			return ret;
		}
		abs = tmpl;
	} else {
		abs = statedir_absolute(c->state_dir);
		if (!abs)
			return -ENOMEM;
		ret = statedir_check_len(abs);
		if (ret) {
			free(abs);
			return ret;
		}
		ret = statedir_mkdir_p(abs, 0755);
		if (ret) {
			err_errno(ret, "cannot create the state directory %s", abs);
			free(abs);
			return ret;
		}
	}
	free(c->state_dir);
	c->state_dir = abs;

	sd->dir_fd = open(abs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (sd->dir_fd < 0) {
		ret = -errno;
		err_errno(ret, "cannot open the state directory %s", abs);
		return ret;
	}
	if (flock(sd->dir_fd, LOCK_SH | LOCK_NB) < 0)
		warn_errno(errno, "cannot take a shared lock on the state directory %s", abs);
	sd->lock_fd = openat(sd->dir_fd, "lock", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (sd->lock_fd < 0) {
		ret = -errno;
		err_errno(ret, "cannot create %s/lock", abs);
		return ret;
	}
	if (flock(sd->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		ret = errno == EWOULDBLOCK ? -EBUSY : -errno;
		if (ret == -EBUSY)
			err("cannot lock %s/lock: another rootlessnet (or rootlesskit) is running "
			    "with the state directory %s; stop it or use another --state-dir",
			    abs, abs);
		else
			err_errno(ret, "cannot lock %s/lock", abs);
		return ret;
	}
	/* from here on, the directory is ours to wipe and remove */
	sd->path = abs;
	return statedir_wipe(sd);
}

/**
 * statedir_write_file() - Write a file in the state directory atomically (rename)
 * @sd:		state directory
 * @name:	file name
 * @content:	text
 * @mode:	file mode
 *
 * Return: 0 or -errno
 */
int statedir_write_file(const struct statedir *sd, const char *name, const char *content,
			mode_t mode)
{
	char tmp[NAME_MAX + 1];
	cleanup_close int fd = -1;
	size_t len = strlen(content);
	int ret;

	snprintf(tmp, sizeof(tmp), ".%s.tmp", name);
	fd = openat(sd->dir_fd, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return -errno;
	errno = 0;
	if (write(fd, content, len) != (ssize_t)len || fchmod(fd, mode) < 0) {
		ret = errno ? -errno : -EIO;
		unlinkat(sd->dir_fd, tmp, 0);
		return ret;
	}
	if (renameat(sd->dir_fd, tmp, sd->dir_fd, name) < 0) {
		ret = -errno;
		unlinkat(sd->dir_fd, tmp, 0);
		return ret;
	}
	return 0;
}

/**
 * statedir_write_child_pid() - Publish $STATE_DIR/child_pid
 * @sd:		state directory
 * @pid:	the child, as seen in the parent's PID namespace
 *
 * Return: 0 or -errno
 */
int statedir_write_child_pid(const struct statedir *sd, pid_t pid)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%ld", (long)pid);
	return statedir_write_file(sd, "child_pid", buf, 0444);
}

/**
 * statedir_close_fds() - Close the directory and lock fds (the child, after clone())
 * @sd:		state directory
 *
 * Return: nothing
 */
void statedir_close_fds(struct statedir *sd)
{
	if (sd->lock_fd >= 0)
		close(sd->lock_fd);
	if (sd->dir_fd >= 0)
		close(sd->dir_fd);
	sd->lock_fd = sd->dir_fd = -1;
}

/**
 * statedir_remove() - Remove the whole state directory and release the lock
 * @sd:		state directory; path is NULL unless it was locked (then only fds close)
 *
 * Return: nothing
 */
void statedir_remove(struct statedir *sd)
{
	if (sd->path) {
		nftw(sd->path, statedir_rm_cb, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
		if (rmdir(sd->path) < 0)
			debug_errno(errno, "cannot remove %s", sd->path);
	}
	statedir_close_fds(sd);
}

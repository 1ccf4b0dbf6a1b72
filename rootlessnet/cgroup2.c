/* cgroup2.c - --evacuate-cgroup2: move our cgroup2 group's processes into a subgroup */
/**
 * DOC: Theory of operation
 *
 * cgroup v2 forbids processes in a group whose controllers are enabled for its children
 * ("no internal processes"). To let the command create subgroups with controllers (as
 * rootless containers do), the parent, in the host's namespaces, moves every process of
 * its own group G into G/NAME and enables in G every controller G has, as rootlesskit
 * does. The child (with --cgroupns and --pidns) then mounts cgroup2 anew on
 * /sys/fs/cgroup. Without cgroup2 this is a warning, not an error.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup2.h"
#include "error.h"
#include "log.h"
#include "util.h"

/**
 * cgroup2_mountpoint() - Where cgroup2 is mounted, from /proc/self/mountinfo
 * @out:	path
 * @len:	size of @out
 *
 * Return: 0, or -ENOENT when cgroup2 is not mounted
 */
static int cgroup2_mountpoint(char *out, size_t len)
{
	cleanup_fclose FILE *f = fopen("/proc/self/mountinfo", "re");
	cleanup_free char *line = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		char mp[PATH_MAX], *dash = strstr(line, " - ");
		char fstype[64];

		if (!dash || sscanf(dash, " - %63s", fstype) != 1 || strcmp(fstype, "cgroup2") != 0)
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %4095s", mp) != 1)
			continue;
		snprintf(out, len, "%s", mp);
		return 0;
	}
	return -ENOENT;
}

/**
 * cgroup2_own_group() - Our cgroup2 group, from /proc/self/cgroup ("0::/path")
 * @out:	path, "/" for the root
 * @len:	size of @out
 *
 * Return: 0, or -ENOENT
 */
static int cgroup2_own_group(char *out, size_t len)
{
	cleanup_fclose FILE *f = fopen("/proc/self/cgroup", "re");
	cleanup_free char *line = NULL;
	size_t cap = 0;

	while (f && getline(&line, &cap, f) > 0) {
		if (strncmp(line, "0::", 3) != 0)
			continue;
		line[strcspn(line, "\n")] = '\0';
		snprintf(out, len, "%s", line + 3);
		return 0;
	}
	return -ENOENT;
}

/**
 * cgroup2_evacuate() - Move the processes of our group into subgroup @name
 * @name:	subgroup name (no "/")
 *
 * Return: 0 (also when cgroup2 is not there: warned), or -errno with the reason logged
 */
int cgroup2_evacuate(const char *name)
{
	char mp[PATH_MAX], grp[PATH_MAX], old[PATH_MAX * 2], new[PATH_MAX * 3], file[PATH_MAX * 4];
	cleanup_fclose FILE *procs = NULL;
	cleanup_fclose FILE *ctrl = NULL;
	char word[64];
	long pid;

	if (cgroup2_mountpoint(mp, sizeof(mp)) || cgroup2_own_group(grp, sizeof(grp))) {
		warn("cgroup2 is not mounted or not in use: --evacuate-cgroup2 does nothing");
		return 0;
	}
	snprintf(old, sizeof(old), "%s%s", mp, strcmp(grp, "/") ? grp : "");
	snprintf(new, sizeof(new), "%s/%s", old, name);
	if (mkdir(new, 0755) < 0 && errno != EEXIST) {
		int ret = -errno;

		err("--evacuate-cgroup2: cannot create %s: %s (is the cgroup delegated to the "
		    "user? e.g. systemd-run --user -p Delegate=yes)",
		    new, error_errstr(-ret));
		return ret;
	}
	snprintf(file, sizeof(file), "%s/cgroup.procs", old);
	procs = fopen(file, "re");
	if (!procs) {
		int ret = -errno;

		err_errno(ret, "--evacuate-cgroup2: cannot read %s", file);
		return ret;
	}
	snprintf(file, sizeof(file), "%s/cgroup.procs", new);
	while (fscanf(procs, "%ld", &pid) == 1) {
		char buf[24];
		int ret;

		if (pid <= 0)
			continue;
		snprintf(buf, sizeof(buf), "%ld", pid);
		ret = util_write_file(file, buf);
		if (ret)
			warn_errno(ret, "--evacuate-cgroup2: cannot move pid %ld to %s", pid, new);
	}
	snprintf(file, sizeof(file), "%s/cgroup.controllers", old);
	ctrl = fopen(file, "re");
	if (!ctrl) {
		int ret = -errno;

		err_errno(ret, "--evacuate-cgroup2: cannot read %s", file);
		return ret;
	}
	snprintf(file, sizeof(file), "%s/cgroup.subtree_control", old);
	while (fscanf(ctrl, "%63s", word) == 1) {
		char buf[80];
		int ret;

		snprintf(buf, sizeof(buf), "+%s", word);
		ret = util_write_file(file, buf);
		if (ret)
			warn_errno(ret, "--evacuate-cgroup2: cannot enable controller %s in %s",
				   word, old);
		else
			debug("--evacuate-cgroup2: enabled %s in %s", word, old);
	}
	return 0;
}

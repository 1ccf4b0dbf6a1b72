/* userns.c - the child's uid and gid maps: newuidmap/newgidmap, or written directly */
/**
 * DOC: Theory of operation
 *
 * The maps are those rootlesskit writes: the caller's uid (gid) becomes 0, and each
 * subordinate range follows from 1 upward, in the order the source lists them:
 *
 *   newuidmap PID 0 UID 1 1 START1 COUNT1 1+COUNT1 START2 COUNT2 ...
 *
 * newuidmap and newgidmap (package uidmap, setuid root) check the ranges against
 * /etc/subuid and /etc/subgid and write /proc/PID/{uid,gid}_map.
 *
 * Without subordinate ranges, the only map an unprivileged user may write itself is its own
 * id as 0 (setgroups denied first for the gid map): the command then runs as root with no
 * other ids, which is enough for many tools but not for containers, hence a warning.
 *
 * As real root (which rootlesskit does not support), the maps are written directly as the
 * identity over the whole id space: uid 0 inside is root outside, as an unprivileged
 * container manager would expect to see it.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "conf.h"
#include "log.h"
#include "subid.h"
#include "userns.h"
#include "util.h"

/**
 * userns_argv_free() - Free an argument vector from userns_map_argv()
 * @argv:	vector, may be NULL
 *
 * Return: nothing
 */
void userns_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **a = argv; *a; a++)
		free(*a);
	free(argv);
}

/**
 * userns_map_argv() - Build "PROG PID 0 ID 1 1 START COUNT ..." for newuidmap/newgidmap
 * @prog:	newuidmap or newgidmap
 * @pid:	the child
 * @id:		the caller's uid or gid, mapped to 0
 * @r:		subordinate ranges, mapped from 1 upward in order
 * @n:		number of ranges
 *
 * Return: malloc'd NULL-terminated vector (free with userns_argv_free()), or NULL if memory
 * ran out or the ranges do not fit in the 32-bit id space
 */
char **userns_map_argv(const char *prog, pid_t pid, unsigned long id, const struct subid_range *r,
		       size_t n)
{
	size_t argc = 5 + 3 * n, k = 0;
	unsigned long long next = 1;
	char **argv = calloc(argc + 1, sizeof(*argv));

	if (!argv)
		return NULL;
	if (asprintf(&argv[k++], "%s", prog) < 0 || asprintf(&argv[k++], "%ld", (long)pid) < 0 ||
	    asprintf(&argv[k++], "0") < 0 || asprintf(&argv[k++], "%lu", id) < 0 ||
	    asprintf(&argv[k++], "1") < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		if (next + r[i].count > 4294967296ULL) {
			userns_argv_free(argv);
			return NULL;
		}
		if (asprintf(&argv[k++], "%llu", next) < 0 ||
		    asprintf(&argv[k++], "%lu", r[i].start) < 0 ||
		    asprintf(&argv[k++], "%lu", r[i].count) < 0)
			goto fail;
		next += r[i].count;
	}
	return argv;
fail:
	/* a failed asprintf leaves its pointer undefined */
	argv[k > 0 ? k - 1 : 0] = NULL;
	userns_argv_free(argv);
	return NULL;
}

/**
 * userns_write() - Write a string to a /proc/PID file
 * @pid:	process
 * @file:	uid_map, gid_map or setgroups
 * @s:		content
 *
 * Return: 0 or -errno
 */
static int userns_write(pid_t pid, const char *file, const char *s)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/%s", (long)pid, file);
	return util_write_file(path, s);
}

/**
 * struct userns_proc - a newuidmap or newgidmap running
 * @pid:	its pid (0: none)
 * @pipe:	read end of the close-on-exec pipe that carries exec's errno
 * @prog:	argv[0]
 * @cmd:	the command line, for messages
 */
struct userns_proc {
	pid_t pid;
	int pipe;
	const char *prog;
	char cmd[512];
};

/**
 * userns_spawn() - Start newuidmap or newgidmap
 * @argv:	its arguments
 * @child_mask:	signal mask to give it (ours blocks the forwarded signals)
 * @p:		filled in; wait for it with userns_wait()
 *
 * Return: 0 or -errno
 */
static int userns_spawn(char **argv, const sigset_t *child_mask, struct userns_proc *p)
{
	int pipefd[2], e;

	p->pid = 0;
	p->pipe = -1;
	p->cmd[0] = '\0';
	if (!argv || !argv[0])
		return -EINVAL;
	p->prog = argv[0];
	for (char **a = argv; *a; a++) {
		size_t len = strlen(p->cmd);

		snprintf(p->cmd + len, sizeof(p->cmd) - len, "%s%s", len ? " " : "", *a);
	}
	debug("running %s", p->cmd);
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return -errno;
	p->pid = fork();
	if (p->pid < 0) {
		e = errno;
		p->pid = 0;
		close(pipefd[0]);
		close(pipefd[1]);
		return -e;
	}
	if (p->pid == 0) {
		sigprocmask(SIG_SETMASK, child_mask, NULL);
		execvp(argv[0], argv);
		e = errno;
		if (write(pipefd[1], &e, sizeof(e)) < 0) {
			/* the parent sees a failed exit status */
		}
		_exit(127);
	}
	close(pipefd[1]);
	p->pipe = pipefd[0];
	return 0;
}

/**
 * userns_wait() - Wait for a newuidmap or newgidmap started by userns_spawn()
 * @p:		the process; released here
 *
 * Return: 0, or -errno with the reason logged
 */
static int userns_wait(struct userns_proc *p)
{
	int status, e = 0;
	ssize_t n;

	n = read(p->pipe, &e, sizeof(e));
	close(p->pipe);
	p->pipe = -1;
	while (waitpid(p->pid, &status, 0) < 0)
		if (errno != EINTR)
			return -errno;
	p->pid = 0;
	if (n == sizeof(e)) {
		if (e == ENOENT)
			err("%s not found: install it (Debian/Ubuntu: apt-get install uidmap; "
			    "Fedora: dnf install shadow-utils)",
			    p->prog);
		else
			err_errno(e, "cannot run %s", p->prog);
		return -e;
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		err("\"%s\" failed (%s %d): check that %s is setuid root (ls -l $(command -v %s)) "
		    "and that /etc/subuid and /etc/subgid grant these ranges to the user "
		    "(e.g. usermod --add-subuids 100000-165535 --add-subgids 100000-165535 USER)",
		    p->cmd, WIFEXITED(status) ? "exit status" : "signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), p->prog, p->prog);
		return -EPERM;
	}
	return 0;
}

/**
 * userns_run_both() - Run newuidmap and newgidmap at the same time and wait for both
 * @uargv:	newuidmap's arguments
 * @gargv:	newgidmap's arguments
 * @child_mask:	signal mask to give them
 *
 * They write different files of the child and neither waits for the other, so running them
 * side by side saves the time of one (a setuid exec, about 2 ms).
 *
 * Return: 0, or the first -errno with the reasons logged
 */
static int userns_run_both(char **uargv, char **gargv, const sigset_t *child_mask)
{
	struct userns_proc u, g;
	int ret, gret;

	ret = userns_spawn(uargv, child_mask, &u);
	gret = ret ? 0 : userns_spawn(gargv, child_mask, &g);
	if (ret)
		return ret;
	ret = userns_wait(&u);
	if (gret)
		return ret ? ret : gret;
	gret = userns_wait(&g);
	return ret ? ret : gret;
}

/**
 * userns_single() - Map only the caller's own uid and gid to 0, written directly
 * @pid:	the child
 *
 * Return: 0, or -errno with the reason logged
 */
static int userns_single(pid_t pid)
{
	char map[64];
	int ret;

	snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)geteuid());
	ret = userns_write(pid, "uid_map", map);
	if (!ret)
		ret = userns_write(pid, "setgroups", "deny");
	if (!ret) {
		snprintf(map, sizeof(map), "0 %u 1\n", (unsigned int)getegid());
		ret = userns_write(pid, "gid_map", map);
	}
	if (ret)
		err_errno(ret, "cannot write the uid/gid map of the child");
	return ret;
}

/**
 * userns_setup() - Write the child's uid and gid maps
 * @c:		configuration (--subid-source)
 * @pid:	the child, waiting for the maps
 * @child_mask:	signal mask for the helpers
 *
 * Return: 0, or -errno with the reason (and what to do) logged
 */
int userns_setup(const struct conf *c, pid_t pid, const sigset_t *child_mask)
{
	cleanup_free struct subid_range *ur = NULL;
	cleanup_free struct subid_range *gr = NULL;
	struct passwd *pw;
	cleanup_free char *user = NULL;
	size_t nu = 0, ng = 0;
	char **uargv, **gargv;
	uid_t uid = geteuid();
	gid_t gid = getegid();
	int ret;

	if (uid == 0) {
		warn("running as root: the namespace maps all ids to themselves (uid 0 inside "
		     "is root outside); rootlessnet is meant for unprivileged users");
		ret = userns_write(pid, "uid_map", "0 0 4294967295\n");
		if (!ret)
			ret = userns_write(pid, "gid_map", "0 0 4294967295\n");
		if (ret)
			err_errno(ret, "cannot write the identity uid/gid map");
		return ret;
	}
	/* copied: libsubid's own lookups reuse getpwuid()'s static result */
	pw = getpwuid(uid);
	if (pw) {
		gid = pw->pw_gid;
		user = strdup(pw->pw_name);
		if (!user)
			return -ENOMEM;
	}
	if (!user)
		warn("uid %u has no user name (passwd/NSS): matching subordinate ids by uid only",
		     (unsigned int)uid);
	ret = subid_get(c->subid_source, user, uid, false, &ur, &nu);
	if (!ret)
		ret = subid_get(c->subid_source, user, uid, true, &gr, &ng);
	if (ret)
		return ret;
	if (!nu || !ng) {
		warn("no subordinate %s for %s (uid %u) in %s: only the caller's own uid and gid "
		     "are mapped (to 0). For containers, add ranges as root, e.g. usermod "
		     "--add-subuids 100000-165535 --add-subgids 100000-165535 %s",
		     !nu && !ng ? "uids and gids"
		     : !nu	? "uids"
				: "gids",
		     user ? user : "?", (unsigned int)uid, !nu ? "/etc/subuid" : "/etc/subgid",
		     user ? user : "USER");
		return userns_single(pid);
	}
	uargv = userns_map_argv("newuidmap", pid, uid, ur, nu);
	gargv = userns_map_argv("newgidmap", pid, gid, gr, ng);
	if (!uargv || !gargv) {
		err("subordinate %s ranges of %s do not fit in 32 bits", !uargv ? "uid" : "gid",
		    user ? user : "?");
		ret = -EINVAL;
	} else {
		ret = userns_run_both(uargv, gargv, child_mask);
	}
	userns_argv_free(uargv);
	userns_argv_free(gargv);
	return ret;
}

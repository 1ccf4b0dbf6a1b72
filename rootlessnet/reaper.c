/* reaper.c - the child as the session's supervisor: runs the command, reaps, cleans up */
/**
 * DOC: Theory of operation
 *
 * The child does not exec the command: it forks it and stays as its supervisor, inside all
 * the namespaces. As init of a new PID namespace (--pidns) it is the reaper of every orphan
 * there; otherwise it makes itself a child subreaper (PR_SET_CHILD_SUBREAPER), so orphans
 * of the session are reparented to it instead of leaving the session. Either way it reaps
 * every zombie, which is what --reaper asks of rootlesskit.
 *
 * Signals arrive on a signalfd (blocked since before clone()) and are sent on to the
 * command. SIGCHLD arrives on a second signalfd and drives waitpid(-1, WNOHANG).
 *
 * When the command exits, whatever the session still runs is killed: kill(-1, SIGKILL) as
 * init of the PID namespace (which reaches only that namespace), else by walking
 * /proc/PID/task/TID/children from ourselves down, SIGKILL for each, in rounds until no
 * child is left (bounded). rootlesskit leaves such processes running.
 *
 * When the parent dies (it got SIGKILL): as init, PDEATHSIG=SIGKILL ends us and the kernel
 * kills the PID namespace; otherwise PDEATHSIG is turned off once the command runs and a
 * pidfd of the parent says it died, so that we live long enough to kill the session first.
 *
 * The exit status: the command's, or 128+N when a signal N killed it.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "reaper.h"
#include "sig.h"
#include "util.h"

#define REAPER_KILL_ROUNDS 500 /* 10 ms apart: 5 s at most */

/**
 * reaper_status_code() - Exit code for a wait status
 * @status:	from waitpid()
 *
 * Return: the exit status, or 128+N for a process killed by signal N
 */
int reaper_status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/**
 * reaper_kill_children_of() - SIGKILL the children of every thread of a process, recursively
 * @pid:	process
 * @depth:	recursion depth, bounded
 *
 * Return: number of processes signalled
 */
static int reaper_kill_children_of(pid_t pid, int depth)
{
	char path[64];
	DIR *d;
	struct dirent *e;
	int n = 0;

	if (depth > 64)
		return 0;
	snprintf(path, sizeof(path), "/proc/%ld/task", (long)pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		char cpath[600];
		FILE *f;
		long child;

		if (e->d_name[0] == '.')
			continue;
		snprintf(cpath, sizeof(cpath), "%s/%s/children", path, e->d_name);
		f = fopen(cpath, "re");
		if (!f)
			continue;
		while (fscanf(f, "%ld", &child) == 1) {
			/* stop it first so that it forks no more, then go down */
			kill((pid_t)child, SIGKILL);
			n++;
			n += reaper_kill_children_of((pid_t)child, depth + 1);
		}
		fclose(f);
	}
	closedir(d);
	return n;
}

/**
 * reaper_reap() - Reap every exited child
 * @cmd_pid:	the command
 * @cmd_status:	set to its wait status when it is reaped
 * @cmd_done:	set to true when it is reaped
 *
 * Return: true when no child is left at all (ECHILD)
 */
static bool reaper_reap(pid_t cmd_pid, int *cmd_status, bool *cmd_done)
{
	for (;;) {
		int status;
		pid_t p = waitpid(-1, &status, WNOHANG);

		if (p < 0)
			return errno == ECHILD;
		if (p == 0)
			return false;
		if (p == cmd_pid) {
			*cmd_status = status;
			*cmd_done = true;
		}
	}
}

/**
 * reaper_kill_session() - Kill and reap everything the session still runs
 * @pidns:	we are init of the PID namespace
 *
 * Return: nothing
 */
static void reaper_kill_session(bool pidns)
{
	for (int round = 0; round < REAPER_KILL_ROUNDS; round++) {
		struct timespec ts = {0, 10L * 1000 * 1000};
		int status, n;
		bool dummy = false;

		if (pidns)
			n = kill(-1, SIGKILL) == 0;
		else
			n = reaper_kill_children_of(getpid(), 0);
		if (n)
			debug("reaper: killed %d leftover process(es)", n);
		if (reaper_reap(0, &status, &dummy))
			return;
		nanosleep(&ts, NULL);
	}
	warn("reaper: some processes of the session did not exit");
}

/**
 * reaper_exec() - In the forked process: become the command
 * @cmd:	what to run
 * @self:	the supervisor's pid, to detect its death before PDEATHSIG was set
 *
 * Return: does not return
 */
static void __attribute__((noreturn)) reaper_exec(const struct reaper_cmd *cmd, pid_t self)
{
	int e;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != self)
		_exit(1);
	if (cmd->listen_pid) {
		char buf[24];

		snprintf(buf, sizeof(buf), "%ld", (long)getpid());
		setenv("LISTEN_PID", buf, 1);
	}
	/* the limit the user gave us, as Go programs (rootlesskit) restore it for theirs */
	if (cmd->nofile && setrlimit(RLIMIT_NOFILE, cmd->nofile) < 0)
		debug_errno(errno, "cannot restore the open file limit for the command");
	sigprocmask(SIG_SETMASK, cmd->exec_mask, NULL);
	execvp(cmd->argv[0], cmd->argv);
	e = errno;
	err_errno(e, "cannot run %s", cmd->argv[0]);
	_exit(e == ENOENT ? 127 : 126);
}

/**
 * reaper_run() - Run the command, pass signals on, reap, and clean the session up
 * @cmd:	what to run and how
 *
 * Return: the exit code for the child (the command's status; 128+N for signal N)
 */
int reaper_run(const struct reaper_cmd *cmd)
{
	cleanup_close int sfd = -1;
	cleanup_close int cfd = -1;
	sigset_t chld;
	pid_t self = getpid(), pid;
	int status = 0;
	bool done = false;

	sigemptyset(&chld);
	sigaddset(&chld, SIGCHLD);
	if (sigprocmask(SIG_BLOCK, &chld, NULL) < 0)
		die_errno(errno, "blocking SIGCHLD");
	if (!cmd->pidns && prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		die_errno(errno, "prctl(PR_SET_CHILD_SUBREAPER)");
	sfd = sig_fd_open();
	if (sfd < 0)
		die_errno(-sfd, "signalfd");
	cfd = signalfd(-1, &chld, SFD_NONBLOCK | SFD_CLOEXEC);
	if (cfd < 0)
		die_errno(errno, "signalfd(SIGCHLD)");

	pid = fork();
	if (pid < 0)
		die_errno(errno, "cannot fork the command");
	if (pid == 0)
		reaper_exec(cmd, self);
	debug("reaper: command %s is pid %ld", cmd->argv[0], (long)pid);
	/* without a PID namespace, outlive the parent long enough to kill the session */
	if (!cmd->pidns && cmd->parent_pidfd >= 0)
		prctl(PR_SET_PDEATHSIG, 0);

	while (!done) {
		struct pollfd pfd[3] = {
			{.fd = sfd, .events = POLLIN},
			{.fd = cfd, .events = POLLIN},
			{.fd = cmd->parent_pidfd, .events = POLLIN},
		};
		struct signalfd_siginfo si;

		if (poll(pfd, cmd->parent_pidfd >= 0 ? 3 : 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			die_errno(errno, "poll");
		}
		if (pfd[0].revents)
			sig_relay(sfd, pid, NULL);
		if (pfd[1].revents) {
			while (read(cfd, &si, sizeof(si)) == sizeof(si))
				;
			reaper_reap(pid, &status, &done);
		}
		if (!done && cmd->parent_pidfd >= 0 && pfd[2].revents) {
			debug("reaper: the parent died: killing the session");
			reaper_kill_session(false);
			return 128 + SIGKILL;
		}
	}
	debug("reaper: command exited with wait status 0x%x", status);
	reaper_kill_session(cmd->pidns);
	return reaper_status_code(status);
}

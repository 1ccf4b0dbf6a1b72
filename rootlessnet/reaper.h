/* reaper.h - the child as the session's supervisor: runs the command, reaps, cleans up */
#ifndef RN_REAPER_H
#define RN_REAPER_H

#include <signal.h>
#include <stdbool.h>
#include <sys/resource.h>

/**
 * struct reaper_cmd - what the reaper runs
 * @argv:		the command
 * @exec_mask:		signal mask the command starts with
 * @pidns:		we are init of a new PID namespace
 * @parent_pidfd:	pidfd of the parent (without a PID namespace), or -1
 * @listen_pid:		set LISTEN_PID to the command's own pid (systemd socket activation)
 * @nofile:		RLIMIT_NOFILE the command starts with (ours before we raised it), or NULL
 */
struct reaper_cmd {
	char **argv;
	const sigset_t *exec_mask;
	bool pidns;
	int parent_pidfd;
	bool listen_pid;
	const struct rlimit *nofile;
};

int reaper_run(const struct reaper_cmd *cmd);
int reaper_status_code(int status);

#endif /* RN_REAPER_H */

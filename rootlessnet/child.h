/* child.h - the child: user namespace identity, mounts, network setup, then the command */
#ifndef RN_CHILD_H
#define RN_CHILD_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/resource.h>
#include <sys/types.h>

struct conf;

/**
 * struct child_args - what the parent hands the child (a copy of its memory after clone())
 * @c:		configuration
 * @chan:	the child's end of the channel
 * @parent_pid:	the parent's pid (to check it is still alive)
 * @exec_mask:	signal mask for the command (the parent's, before blocking)
 * @listen_pid:	LISTEN_PID named the parent: rewrite it to the command's pid
 * @nofile:	RLIMIT_NOFILE before the parent raised it: the command's
 */
struct child_args {
	const struct conf *c;
	int chan;
	pid_t parent_pid;
	sigset_t exec_mask;
	bool listen_pid;
	struct rlimit nofile;
};

void child_main(const struct child_args *a) __attribute__((noreturn));
void child_netns_path(const struct conf *c, pid_t child, char *buf, size_t len);

#endif /* RN_CHILD_H */

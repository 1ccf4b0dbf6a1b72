/* statedir.h - the state directory: creation, lock, child_pid, removal */
#ifndef RN_STATEDIR_H
#define RN_STATEDIR_H

#include <sys/types.h>

struct conf;

/**
 * struct statedir - an open, locked state directory
 * @path:	absolute path (owned by the configuration), set once locked
 * @dir_fd:	the directory, held with a shared flock (keeps tmp cleaners away)
 * @lock_fd:	$STATE_DIR/lock, held with an exclusive flock for the whole run
 */
struct statedir {
	const char *path;
	int dir_fd;
	int lock_fd;
};

int statedir_open(struct conf *c, struct statedir *sd);
int statedir_write_file(const struct statedir *sd, const char *name, const char *content,
			mode_t mode);
int statedir_write_child_pid(const struct statedir *sd, pid_t pid);
void statedir_close_fds(struct statedir *sd);
void statedir_remove(struct statedir *sd);

#endif /* RN_STATEDIR_H */

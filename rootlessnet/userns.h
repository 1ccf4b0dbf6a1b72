/* userns.h - the child's uid and gid maps: newuidmap/newgidmap, or written directly */
#ifndef RN_USERNS_H
#define RN_USERNS_H

#include <shadow/subid.h>
#include <signal.h>
#include <stddef.h>
#include <sys/types.h>

struct conf;

char **userns_map_argv(const char *prog, pid_t pid, unsigned long id, const struct subid_range *r,
		       size_t n);
void userns_argv_free(char **argv);
int userns_setup(const struct conf *c, pid_t pid, const sigset_t *child_mask);

#endif /* RN_USERNS_H */

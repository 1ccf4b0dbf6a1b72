/* pasta.h - --net=pasta: passt's pasta run by the parent on the child's network namespace */
#ifndef RN_PASTA_H
#define RN_PASTA_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct conf;
struct error;
struct helper_ns;
struct loop;
struct pasta;

/* pasta's arguments: rootlesskit 3's, --foreground and --quiet, the target's two, NULL */
#define PASTA_ARGV_MAX 24
/* room for the arguments' text */
#define PASTA_ARGBUF 1024

/**
 * struct pasta_argv - pasta's command line
 * @argv:	the arguments, NULL-terminated; they point into @buf or are literals
 * @buf:	text of the formatted ones
 * @used:	bytes of @buf used
 */
struct pasta_argv {
	char *argv[PASTA_ARGV_MAX];
	char buf[PASTA_ARGBUF];
	size_t used;
};

/*
 * Start-up: the child (netns_child_setup()) brings lo up and calls pasta_child_wait(); the
 * parent's pasta_start() waits for its word on the channel, starts pasta on the namespace,
 * and the child waits until pasta has configured the interface. pasta_free() ends pasta.
 */
int pasta_args(const struct conf *c, bool host_lo_to_ns_lo, pid_t child, const char *netns_path,
	       struct pasta_argv *a);
int pasta_start(const struct conf *c, struct loop *l, int chan, const struct helper_ns *ns,
		struct pasta **out, struct error *e);
void pasta_free(struct pasta *p);
pid_t pasta_pid(const struct pasta *p);
int pasta_child_wait(const struct conf *c, int chan, int error);

#endif /* RN_PASTA_H */

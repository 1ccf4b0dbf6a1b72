/* revive.h - one helper process kept running from the event loop: watched, replaced, budgeted */
#ifndef RN_REVIVE_H
#define RN_REVIVE_H

#include "helper.h"
#include "loop.h"

struct error;

/**
 * struct revive_ops - what the kept process is, and how a new one starts
 * @what:	its name in messages ("the network process (libslirp)")
 * @without:	what is lost while there is none ("the namespace has no network")
 * @after:	said when a new one runs, or NULL
 * @reap_ms:	how long a dying one may take to be reapable, before it is killed
 * @retry_ms:	after a start that failed, the next try
 * @start:	start a new one into @proc (every start after the first); 0, or -errno with
 *		the reason in @e
 * @started:	called once a new one runs and is watched, or NULL
 * @hint:	appended to the message of a death with wait status @status, or NULL
 */
struct revive_ops {
	const char *what;
	const char *without;
	const char *after;
	int reap_ms;
	unsigned int retry_ms;
	int (*start)(void *data, struct helper *proc, struct error *e);
	void (*started)(void *data);
	const char *(*hint)(int status);
};

/**
 * struct revive - a kept process (fields are the module's; read @proc and @restarts)
 * @ops:	what it is
 * @data:	for @ops' callbacks
 * @l:		the loop that watches it
 * @proc:	the process; proc.pid is 0 while there is none
 * @dead:	its pidfd in the loop
 * @retry:	starts a new one when the budget allows it, or after a failed start
 * @budget:	restarts in the last minute
 * @restarts:	processes started after the first
 */
struct revive {
	const struct revive_ops *ops;
	void *data;
	struct loop *l;
	struct helper proc;
	struct loop_fd dead;
	struct loop_timer retry;
	struct helper_budget budget;
	unsigned long restarts;
};

/*
 * revive_init(), then start the first process into r->proc yourself (its failure is the
 * start-up's) and revive_watch(); revive_lost() when it is found stuck or gone;
 * revive_stop() at the end.
 */
void revive_init(struct revive *r, struct loop *l, const struct revive_ops *ops, void *data);
int revive_watch(struct revive *r);
void revive_lost(struct revive *r);
void revive_stop(struct revive *r, int timeout_ms, int *status);

#endif /* RN_REVIVE_H */

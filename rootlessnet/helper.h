/* helper.h - helper processes: spawn into namespaces, fd passing, bounded waits, reaping */
#ifndef RN_HELPER_H
#define RN_HELPER_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* comm of a helper: 15 characters at most */
#define HELPER_NAME_MAX 15

/**
 * struct helper_ns - namespaces a helper enters: the user namespace, then the network one
 * @pid:	process whose user namespace is entered (and network namespace, unless
 *		@netns_path is set)
 * @netns_path:	network namespace file to enter instead of @pid's (--detach-netns), or NULL
 */
struct helper_ns {
	pid_t pid;
	const char *netns_path;
};

/**
 * struct helper_spec - how to start a helper
 * @name:	comm and log role, HELPER_NAME_MAX characters at most; NULL keeps ours
 * @ns:		namespaces to enter first, or NULL to stay in ours
 * @keep:	fds the helper keeps besides stdio and its end of the socket (all others are
 *		closed before @fn runs)
 * @n_keep:	number of @keep
 * @no_socket:	no socket pair: the helper only runs @fn
 * @no_sigchld:	no exit signal (a waitpid(-1) does not see it; helper_reap() uses __WALL)
 * @mask:	signal mask the helper runs with, NULL for none blocked
 * @keep_tty_signals: leave SIGINT, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU and SIGHUP at their
 *		default (a program it execs takes them); else they are ignored: the terminal's
 *		^C is for the command, and a helper ends with its socket
 * @fn:		the helper's body, given its end of the socket (-1 with @no_socket); its
 *		return value is the helper's exit status
 * @arg:	passed to @fn
 */
struct helper_spec {
	const char *name;
	const struct helper_ns *ns;
	const int *keep;
	size_t n_keep;
	bool no_socket;
	bool no_sigchld;
	const sigset_t *mask;
	bool keep_tty_signals;
	int (*fn)(int sock, void *arg);
	void *arg;
};

/**
 * struct helper - a running helper, as its parent holds it
 * @pid:	its pid, 0 once reaped
 * @sock:	our end of a SOCK_SEQPACKET pair (blocking, close-on-exec), -1 without one
 * @pidfd:	readable once it has exited (watch it in a loop), -1 if the kernel has none
 * @no_sigchld:	started without an exit signal
 * @name:	its name, for messages
 */
struct helper {
	pid_t pid;
	int sock;
	int pidfd;
	bool no_sigchld;
	char name[HELPER_NAME_MAX + 1];
};

#define HELPER_INIT                                                                                \
	{                                                                                          \
		.pid = 0, .sock = -1, .pidfd = -1                                                  \
	}

int helper_spawn(const struct helper_spec *s, struct helper *h);
int helper_reap(struct helper *h, int timeout_ms, int *status);
void helper_disown(struct helper *h);
void helper_stop(struct helper *h, int timeout_ms, int *status);
char *helper_status_str(int status, char *buf, size_t len);

int helper_send(int sock, const void *buf, size_t len, const int *fds, size_t n_fds);
ssize_t helper_recv(int sock, void *buf, size_t len, int *fds, size_t max_fds, size_t *n_fds,
		    int timeout_ms);
int helper_wait_readable(int fd, int timeout_ms);

/* at most HELPER_RESTARTS restarts of one helper in HELPER_RESTART_WINDOW_S */
#define HELPER_RESTARTS		5
#define HELPER_RESTART_WINDOW_S 60

/**
 * struct helper_budget - times of the last restarts of one helper (zeroed: none yet)
 * @at:		CLOCK_MONOTONIC times, a ring
 * @n:		entries used
 * @next:	slot the next restart goes in
 */
struct helper_budget {
	uint64_t at[HELPER_RESTARTS];
	unsigned int n;
	unsigned int next;
};

uint64_t helper_budget_take(struct helper_budget *b, uint64_t now_ns);
unsigned int helper_budget_used(const struct helper_budget *b, uint64_t now_ns);

#endif /* RN_HELPER_H */

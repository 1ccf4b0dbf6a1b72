/* loop.h - the one event loop: epoll fds with callbacks, timers, and poll hooks (libslirp) */
#ifndef RN_LOOP_H
#define RN_LOOP_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

struct loop;
struct loop_fd;

typedef void (*loop_fd_cb)(struct loop *l, struct loop_fd *lfd, uint32_t events);

/**
 * struct loop_fd - an fd watched by the loop; embed it in the owner's struct
 * @fd:		the file descriptor
 * @cb:		called with the epoll events that fired
 * @data:	owner's pointer
 */
struct loop_fd {
	int fd;
	loop_fd_cb cb;
	void *data;
};

struct loop_timer;
typedef void (*loop_timer_cb)(struct loop *l, struct loop_timer *t);

/**
 * struct loop_timer - a one-shot timer; re-arm from the callback for periodic use
 * @deadline_ns:	CLOCK_MONOTONIC deadline, 0 when disarmed
 * @cb:			called once the deadline passed
 * @data:		owner's pointer
 * @next:		loop-private list link
 * @linked:		loop-private: on the list
 */
struct loop_timer {
	uint64_t deadline_ns;
	loop_timer_cb cb;
	void *data;
	struct loop_timer *next;
	bool linked;
};

struct loop_pollset;

/**
 * struct loop_hook - poll(2)-style fds that change every iteration (libslirp)
 * @prepare:	add fds with loop_pollset_add(), may lower *timeout_ms (-1 = none)
 * @dispatch:	read results with loop_pollset_revents(); @error is true if poll failed
 * @data:	owner's pointer
 */
struct loop_hook {
	void (*prepare)(struct loop *l, struct loop_pollset *ps, int *timeout_ms, void *data);
	void (*dispatch)(struct loop *l, struct loop_pollset *ps, bool error, void *data);
	void *data;
};

int loop_new(struct loop **out);
void loop_free(struct loop *l);
int loop_add(struct loop *l, struct loop_fd *lfd, uint32_t events);
int loop_mod(struct loop *l, struct loop_fd *lfd, uint32_t events);
int loop_del(struct loop *l, struct loop_fd *lfd);
void loop_free_later(struct loop *l, void *ptr);
uint64_t loop_now_ns(void);
void loop_timer_arm(struct loop *l, struct loop_timer *t, uint64_t deadline_ns);
void loop_timer_disarm(struct loop *l, struct loop_timer *t);
int loop_set_hook(struct loop *l, const struct loop_hook *hook);
int loop_pollset_add(struct loop_pollset *ps, int fd, short events);
short loop_pollset_revents(const struct loop_pollset *ps, int idx);
int loop_run_once(struct loop *l, int max_timeout_ms);
int loop_run(struct loop *l);
void loop_quit(struct loop *l, int code);

#endif /* RN_LOOP_H */

/* sig.h - passing every catchable signal on to the command, through signalfd */
#ifndef RN_SIG_H
#define RN_SIG_H

#include <signal.h>
#include <sys/types.h>

struct loop;
struct sig;

void sig_forward_set(sigset_t *set);
int sig_block(sigset_t *old);
const sigset_t *sig_original_mask(void);
int sig_fd_open(void);
int sig_relay(int sfd, pid_t target, int *last);
int sig_start(struct loop *l, pid_t target, struct sig **out);
void sig_free(struct loop *l, struct sig *s);

#endif /* RN_SIG_H */

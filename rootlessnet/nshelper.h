/* nshelper.h - a helper process in the child's namespaces that makes sockets for the parent */
#ifndef RN_NSHELPER_H
#define RN_NSHELPER_H

#include <stdbool.h>
#include <sys/types.h>

struct error;
struct helper_ns;
struct loop;
struct nshelper;

/* comm of the helper process, as ps and /proc/PID/comm show it */
#define NSHELPER_NAME "rootlessnet-ns"

/* the network sysctls nshelper_sysctl() opens */
enum nshelper_sysctl {
	NSHELPER_SYSCTL_TCP_FWMARK_ACCEPT, /* net.ipv4.tcp_fwmark_accept */
};

int nshelper_start(struct loop *l, const struct helper_ns *ns, struct nshelper **out,
		   struct error *e);
int nshelper_socket(struct nshelper *h, int family, int socktype);
int nshelper_netlink(struct nshelper *h, int protocol);
int nshelper_sysctl(struct nshelper *h, enum nshelper_sysctl which);
bool nshelper_up(const struct nshelper *h);
pid_t nshelper_pid(const struct nshelper *h);
void nshelper_free(struct nshelper *h);

#endif /* RN_NSHELPER_H */

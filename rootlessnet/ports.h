/* ports.h - the port driver chosen by --port-driver, and the published ports it serves */
#ifndef RN_PORTS_H
#define RN_PORTS_H

#include <sys/types.h>

struct conf;
struct loop;
struct net;
struct ports;

int ports_start(const struct conf *c, struct loop *l, struct net *n, pid_t child_pid,
		struct ports **out);
int ports_publish_conf(struct ports *p, const struct conf *c);
void ports_free(struct ports *p);

#endif /* RN_PORTS_H */

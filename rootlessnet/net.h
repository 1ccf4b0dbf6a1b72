/* net.h - the network driver: interface setup inside the namespace, packet path in the parent */
#ifndef RN_NET_H
#define RN_NET_H

struct conf;
struct loop;
struct net;

int net_child_setup(const struct conf *c, int chan);
int net_parent_start(const struct conf *c, struct loop *l, int chan, struct net **out);
void net_free(struct net *n);

#endif /* RN_NET_H */

/* mountns.h - the child's mount namespace: propagation, /proc, copy-up, /sys, resolv.conf, hosts */
#ifndef RN_MOUNTNS_H
#define RN_MOUNTNS_H

#include <stddef.h>

struct conf;

int mountns_setup(const struct conf *c);
void mountns_check_propagation(const char *prop);
int mountns_resolv_conf(const struct conf *c, char *buf, size_t len);

#endif /* RN_MOUNTNS_H */

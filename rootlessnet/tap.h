/* tap.h - the tap device inside the namespace: open /dev/net/tun, read and write frames */
#ifndef RN_TAP_H
#define RN_TAP_H

#include <stddef.h>

int tap_open(const char *ifname);
int tap_set_nonblock(int fd);

#endif /* RN_TAP_H */

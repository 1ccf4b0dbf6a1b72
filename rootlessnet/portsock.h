/* portsock.h - host sockets for published ports, with bind errors explained to users */
#ifndef RN_PORTSOCK_H
#define RN_PORTSOCK_H

#include <stddef.h>

struct portmap_binding;

int portsock_listen(const struct portmap_binding *b, char *err, size_t errlen);
void portsock_explain(int error, const struct portmap_binding *b, char *err, size_t errlen);
void portsock_reset(int fd);

#endif /* RN_PORTSOCK_H */

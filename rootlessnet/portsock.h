/* portsock.h - host sockets for published ports, with bind errors explained to users */
#ifndef RN_PORTSOCK_H
#define RN_PORTSOCK_H

#include <stddef.h>

struct error;
struct portmap_binding;

int portsock_listen(const struct portmap_binding *b, struct error *e);
int portsock_explain(int error, const struct portmap_binding *b, struct error *e);
void portsock_reset(int fd);

#endif /* RN_PORTSOCK_H */

/* tcpcc.h - TCP congestion control on host-local hops: no pacing where there is no link */
#ifndef RN_TCPCC_H
#define RN_TCPCC_H

#include <stdbool.h>
#include <sys/socket.h>

bool tcpcc_paces(const char *name);
bool tcpcc_local_peer(const struct sockaddr *local, const struct sockaddr *peer);
int tcpcc_fd_paces(int fd);
int tcpcc_unpace_local(int fd, const struct sockaddr *peer);
int tcpcc_netns_default(void);

#endif /* RN_TCPCC_H */

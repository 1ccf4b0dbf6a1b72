/* nshelper.h - a helper process in the child's namespaces that makes sockets for the parent */
#ifndef RN_NSHELPER_H
#define RN_NSHELPER_H

#include <sys/types.h>

struct nshelper;

int nshelper_start(pid_t child_pid, const char *netns_path, struct nshelper **out);
int nshelper_socket(struct nshelper *h, int family, int socktype);
void nshelper_free(struct nshelper *h);

#endif /* RN_NSHELPER_H */

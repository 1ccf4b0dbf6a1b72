/* apiinfo.h - the GET /v1/info answer: what the network and the port driver are */
#ifndef RN_APIINFO_H
#define RN_APIINFO_H

#include <sys/types.h>

struct conf;
struct ports;

int apiinfo_body(const struct conf *c, struct ports *p, pid_t child_pid, char **out);

#endif /* RN_APIINFO_H */

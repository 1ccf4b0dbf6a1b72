/* api.h - the RootlessKit REST API on $STATE_DIR/api.sock */
#ifndef RN_API_H
#define RN_API_H

#include <sys/types.h>

struct conf;
struct error;
struct loop;
struct ports;
struct api;

int api_start(const struct conf *c, struct loop *l, struct ports *p, pid_t child_pid,
	      struct api **out, struct error *e);
void api_free(struct api *a);

#endif /* RN_API_H */

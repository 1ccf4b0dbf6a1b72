/* api.c - the RootlessKit REST API on $STATE_DIR/api.sock */
#include "config.h"

#include <errno.h>
#include <stddef.h>

#include "api.h"
#include "log.h"

/**
 * api_start() - Listen on $STATE_DIR/api.sock
 * @c:		configuration
 * @l:		event loop
 * @n:		network state, may be NULL
 * @p:		port driver state, may be NULL
 * @child_pid:	reported as childPID
 * @out:	server state
 *
 * Return: -ENOTSUP: the API server is not built yet
 */
int api_start(const struct conf *c, struct loop *l, struct net *n, struct ports *p,
	      pid_t child_pid, struct api **out)
{
	(void)c;
	(void)l;
	(void)n;
	(void)p;
	(void)child_pid;
	*out = NULL;
	return -ENOTSUP;
}

/**
 * api_free() - Stop serving and remove the socket
 * @a:		server state, may be NULL
 *
 * Return: nothing
 */
void api_free(struct api *a)
{
	(void)a;
}

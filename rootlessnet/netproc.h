/* netproc.h - the sandboxed network process: runs libslirp, answers host-forward requests */
#ifndef RN_NETPROC_H
#define RN_NETPROC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "conf.h"
#include "usernet.h"

struct helper;

/* "comm" of the network process, as ps and /proc/PID/comm show it (15 characters at most) */
#define NETPROC_NAME "rootlessnet-net"

enum netproc_op {
	NETPROC_OP_READY = 1, /* network process -> parent, once, seq 0 */
	NETPROC_OP_HOSTFWD_ADD,
	NETPROC_OP_HOSTFWD_REMOVE,
	NETPROC_OP_DONE, /* network process -> parent, once, seq 0: drained, only its exit is left */
};

#define NETPROC_F_UDP	 0x1
#define NETPROC_F_V6ONLY 0x2

/**
 * struct netproc_req - a request on the control socket (one SEQPACKET message)
 * @seq:	sequence number, echoed in the response
 * @op:		NETPROC_OP_HOSTFWD_*
 * @flags:	NETPROC_F_*
 * @hlen:	length of @host
 * @glen:	length of @guest (0 when removing)
 * @host:	host address and port
 * @guest:	namespace address and port
 */
struct netproc_req {
	uint32_t seq;
	uint32_t op;
	uint32_t flags;
	uint32_t hlen;
	uint32_t glen;
	struct sockaddr_storage host;
	struct sockaddr_storage guest;
};

/**
 * struct netproc_resp - a response, or the READY message
 * @seq:	the request's sequence number (0 for READY)
 * @op:		the request's op
 * @ret:	0 or -errno
 */
struct netproc_resp {
	uint32_t seq;
	uint32_t op;
	int32_t ret;
};

/**
 * struct netproc_conf - what the network process is started with
 * @un:		the stack's configuration
 * @sandbox:	--slirp4netns-sandbox
 * @seccomp:	--slirp4netns-seccomp
 */
struct netproc_conf {
	struct usernet_conf un;
	enum conf_tristate sandbox;
	enum conf_tristate seccomp;
};

int netproc_req_check(const struct netproc_req *r, size_t len);
int netproc_spawn(const struct netproc_conf *nc, int tapfd, int diagfd, struct helper *proc);
int netproc_wait_ready(int ctl, int timeout_ms);
int netproc_call(int ctl, struct netproc_req *req, int timeout_ms);
int netproc_finish(int ctl, int timeout_ms);

#endif /* RN_NETPROC_H */

/* fuzz_ctlmsg.c - fuzz harness: control messages of the parent, child and network process */
/**
 * DOC: Theory of operation
 *
 * Three readers of SOCK_SEQPACKET records from another process, chosen by the input's first
 * byte:
 *
 * 0. The network process reading the parent's host-forward requests: the rest of the input is
 *    one message, received as netproc.c receives it (into a struct netproc_req, cut to its
 *    size) and checked with netproc_req_check().
 * 1. The parent waiting for the network process's READY (netproc_wait_ready()): the network
 *    process runs libslirp on traffic from anywhere and is sandboxed for that reason, so the
 *    parent must not trust what it says either.
 * 2. Either side of the start-up handshake waiting for a record (handshake_wait()); the
 *    second byte picks the record expected.
 *
 * For 1 and 2 the rest of the input is records, each a length byte and that many bytes,
 * sent on a socket pair whose sending end is then closed. Every wait is bounded: what is
 * queued is all there is, then end of file. Besides the sanitizers' findings, the harness
 * checks that what the readers return is what their callers handle: 0 or a -errno.
 */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "handshake.h"
#include "netproc.h"
#include "util.h"

/**
 * LLVMFuzzerInitialize() - Log everything (formatting is part of what is fuzzed)
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_LVL_DEBUG);
	return 0;
}

/**
 * ctlmsg_request() - A host-forward request as the network process receives it
 * @data:	the message
 * @size:	its length
 *
 * Return: nothing; aborts on a broken promise
 */
static void ctlmsg_request(const uint8_t *data, size_t size)
{
	struct netproc_req req;
	/* recv() of a SEQPACKET record into a smaller buffer returns the buffer's size */
	size_t n = size < sizeof(req) ? size : sizeof(req);
	int ret;

	memset(&req, 0xa5, sizeof(req));
	memcpy(&req, data, n);
	ret = netproc_req_check(&req, n);
	fuzz_assert(!ret || ret == -EINVAL || ret == -EAFNOSUPPORT, "netproc_req_check: %d", ret);
	if (ret)
		return;
	fuzz_assert(req.op == NETPROC_OP_HOSTFWD_ADD || req.op == NETPROC_OP_HOSTFWD_REMOVE,
		    "op %u", req.op);
	fuzz_assert(
		(req.host.ss_family == AF_INET && req.hlen == sizeof(struct sockaddr_in)) ||
			(req.host.ss_family == AF_INET6 && req.hlen == sizeof(struct sockaddr_in6)),
		"host family %u length %u", req.host.ss_family, req.hlen);
	fuzz_assert(req.op == NETPROC_OP_HOSTFWD_REMOVE || req.guest.ss_family == AF_INET ||
			    req.guest.ss_family == AF_INET6,
		    "guest family %u", req.guest.ss_family);
}

/**
 * ctlmsg_records() - Queue records on a socket pair and close the sending end
 * @data:	records: a length byte, then that many bytes, each
 * @size:	their length
 *
 * Return: the receiving end; aborts if no socket pair can be made
 */
static int ctlmsg_records(const uint8_t *data, size_t size)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	for (size_t i = 0; i < size;) {
		size_t len = data[i++];

		if (len > size - i)
			len = size - i;
		/* a full queue: the reader gets what fitted */
		if (send(sv[0], data + i, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			break;
		i += len;
	}
	close(sv[0]);
	return sv[1];
}

/**
 * ctlmsg_check_errno() - Check that a reader returned 0 or a -errno
 * @ret:	its return value
 * @what:	the reader, for the message
 *
 * Return: nothing; aborts otherwise
 */
static void ctlmsg_check_errno(int ret, const char *what)
{
	fuzz_assert(ret <= 0 && ret >= -4095, "%s returned %d, which is no -errno", what, ret);
}

/**
 * LLVMFuzzerTestOneInput() - A reader (first byte), and its records
 * @data:	input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum handshake_type types[] = {HANDSHAKE_MAPS, HANDSHAKE_READY, HANDSHAKE_GO};
	cleanup_close int fd = -1;

	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		ctlmsg_request(data + 1, size - 1);
		break;
	case 1:
		fd = ctlmsg_records(data + 1, size - 1);
		ctlmsg_check_errno(netproc_wait_ready(fd, 0), "netproc_wait_ready");
		break;
	default:
		if (size < 2)
			return 0;
		fd = ctlmsg_records(data + 2, size - 2);
		ctlmsg_check_errno(handshake_wait(fd, types[data[1] % ARRAY_SIZE(types)]),
				   "handshake_wait");
		break;
	}
	return 0;
}

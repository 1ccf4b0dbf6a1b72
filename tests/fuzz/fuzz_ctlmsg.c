/* fuzz_ctlmsg.c - fuzz harness: control messages of the parent, child and network process */
/**
 * DOC: Theory of operation
 *
 * Four readers of SOCK_SEQPACKET records from another process, chosen by the input's first
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
 * 3. helper_recv(), which every helper's answers go through (the network process's, the
 *    namespace helper's sockets, the child's tap): records that carry descriptors. The second
 *    byte picks the record buffer's size and how many descriptors the reader takes; each
 *    record is a length byte, a descriptor count byte, and its bytes, sent with that many
 *    copies of a /dev/null descriptor (up to 31: more than a reader takes, more than the
 *    kernel fits in its control buffer).
 *
 * For 1 to 3 the records are sent on a socket pair whose sending end is then closed. Every
 * wait is bounded: what is queued is all there is, then end of file. Besides the sanitizers'
 * findings, the harness checks that what the readers return is what their callers handle
 * (0 or a -errno, a length that fits), that the descriptors handed over are open and no more
 * than asked for, and that no descriptor is left behind.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz.h"
#include "handshake.h"
#include "helper.h"
#include "netproc.h"
#include "util.h"

/* Descriptors sent with one record at most (SCM_RIGHTS takes up to 253) */
#define CTLMSG_MAX_FDS 31

/* Descriptors checked for leaks: far more than one input can leave open */
#define CTLMSG_FD_SCAN 256

/* What records carry as descriptors: /dev/null, opened once */
static int ctlmsg_null = -1;

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
	ctlmsg_null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (ctlmsg_null < 0)
		abort();
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
 * ctlmsg_fd_records() - Queue records carrying descriptors, and close the sending end
 * @data:	records: a length byte, a descriptor count byte, then that many bytes, each
 * @size:	their length
 *
 * Return: the receiving end; aborts if no socket pair can be made
 */
static int ctlmsg_fd_records(const uint8_t *data, size_t size)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		abort();
	for (size_t i = 0; i + 1 < size;) {
		union {
			char buf[CMSG_SPACE(sizeof(int) * CTLMSG_MAX_FDS)];
			struct cmsghdr align;
		} u;
		size_t len = data[i++], nfds = data[i++] % (CTLMSG_MAX_FDS + 1);
		struct iovec iov;
		struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1};

		if (len > size - i)
			len = size - i;
		iov.iov_base = (void *)(data + i);
		iov.iov_len = len;
		if (nfds) {
			struct cmsghdr *cm;

			memset(&u, 0, sizeof(u));
			mh.msg_control = u.buf;
			mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
			for (size_t k = 0; k < nfds; k++)
				memcpy(CMSG_DATA(cm) + k * sizeof(int), &ctlmsg_null, sizeof(int));
		}
		if (sendmsg(sv[0], &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			break;
		i += len;
	}
	close(sv[0]);
	return sv[1];
}

/**
 * ctlmsg_open_fds() - Which of the descriptors below CTLMSG_FD_SCAN are open
 * @open:	set, one bit per descriptor
 *
 * Return: nothing
 */
static void ctlmsg_open_fds(uint64_t open[CTLMSG_FD_SCAN / 64])
{
	memset(open, 0, CTLMSG_FD_SCAN / 8);
	for (int fd = 0; fd < CTLMSG_FD_SCAN; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			open[fd / 64] |= 1ULL << (fd % 64);
}

/**
 * ctlmsg_helper_records() - Read records with helper_recv() until it stops
 * @cfg:	buffer size (low 3 bits, an index) and descriptors taken (next 5 bits)
 * @data:	records, for ctlmsg_fd_records()
 * @size:	their length
 *
 * Return: nothing; aborts on a broken promise
 */
static void ctlmsg_helper_records(uint8_t cfg, const uint8_t *data, size_t size)
{
	static const size_t lens[] = {0, 1, 4, 8, 12, 16, 64, 256};
	size_t len = lens[cfg & 7], max_fds = cfg >> 3, n_fds;
	uint64_t before[CTLMSG_FD_SCAN / 64], after[CTLMSG_FD_SCAN / 64];
	int fds[CTLMSG_MAX_FDS + 1];
	cleanup_close int sock = -1;
	unsigned char buf[256];
	ssize_t n;

	ctlmsg_open_fds(before);
	sock = ctlmsg_fd_records(data, size);

	/* every queued record, then end of file: a few more reads than records at most */
	for (size_t i = 0; i <= size; i++) {
		n = helper_recv(sock, buf, len, max_fds ? fds : NULL, max_fds,
				max_fds ? &n_fds : NULL, 0);
		fuzz_assert((n >= 0 && (size_t)n <= len) || (n < 0 && n >= -4095),
			    "helper_recv: %zd into %zu bytes", n, len);
		if (n < 0 || !max_fds)
			continue;
		fuzz_assert(n_fds <= max_fds, "%zu descriptors for %zu", n_fds, max_fds);
		for (size_t k = 0; k < n_fds; k++) {
			fuzz_assert(fcntl(fds[k], F_GETFD) == FD_CLOEXEC, "descriptor %d", fds[k]);
			close(fds[k]);
		}
		if (!n)
			break;
	}
	close(steal_fd(&sock));
	ctlmsg_open_fds(after);
	fuzz_assert(!memcmp(before, after, sizeof(before)), "descriptors left open");
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
	switch (data[0] % 4) {
	case 0:
		ctlmsg_request(data + 1, size - 1);
		break;
	case 1:
		fd = ctlmsg_records(data + 1, size - 1);
		ctlmsg_check_errno(netproc_wait_ready(fd, 0), "netproc_wait_ready");
		break;
	case 2:
		if (size < 2)
			return 0;
		fd = ctlmsg_records(data + 2, size - 2);
		ctlmsg_check_errno(handshake_wait(fd, types[data[1] % ARRAY_SIZE(types)]),
				   "handshake_wait");
		break;
	default:
		if (size < 2)
			return 0;
		ctlmsg_helper_records(data[1], data + 2, size - 2);
		break;
	}
	return 0;
}

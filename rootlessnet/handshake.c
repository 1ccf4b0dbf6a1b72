/* handshake.c - the parent/child start-up messages on the SOCK_SEQPACKET channel */
/**
 * DOC: Theory of operation
 *
 * The parent and the child share one SOCK_SEQPACKET socket pair ("chan"). Start-up is a
 * fixed sequence of small records: MAPS (parent), READY (child), GO (parent). The network
 * driver exchanges its own records on the same channel between MAPS and READY (the tap fd
 * with SCM_RIGHTS), which is why each side reads exactly the records it expects, in order:
 * SOCK_SEQPACKET keeps record boundaries, so nothing is read ahead.
 *
 * A peer that died shows as end-of-file (-EPIPE), which the other side turns into a quiet
 * exit: the side that died has already said why.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <sys/socket.h>

#include "handshake.h"

/**
 * struct handshake_msg - one record
 * @type:	enum handshake_type
 */
struct handshake_msg {
	uint32_t type;
};

/**
 * handshake_name() - Name of a message, for error messages
 * @type:	message type
 *
 * Return: static string
 */
const char *handshake_name(enum handshake_type type)
{
	switch (type) {
	case HANDSHAKE_MAPS:
		return "MAPS";
	case HANDSHAKE_READY:
		return "READY";
	case HANDSHAKE_GO:
		return "GO";
	}
	return "unknown";
}

/**
 * handshake_send() - Send one message
 * @fd:		channel (blocking)
 * @type:	message
 *
 * Return: 0 or -errno (-EPIPE: the peer is gone)
 */
int handshake_send(int fd, enum handshake_type type)
{
	struct handshake_msg m = {.type = type};
	ssize_t n;

	do
		n = send(fd, &m, sizeof(m), MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == ECONNRESET ? -EPIPE : -errno;
	return n == sizeof(m) ? 0 : -EPROTO;
}

/**
 * handshake_wait() - Block until the next record arrives and check it is @type
 * @fd:		channel (blocking)
 * @type:	expected message
 *
 * Return: 0, -EPIPE if the peer closed the channel, -EPROTO for another record, or -errno
 */
int handshake_wait(int fd, enum handshake_type type)
{
	struct handshake_msg m = {0};
	ssize_t n;

	do
		n = recv(fd, &m, sizeof(m), MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return errno == ECONNRESET ? -EPIPE : -errno;
	if (n == 0)
		return -EPIPE;
	if (n != sizeof(m) || m.type != (uint32_t)type)
		return -EPROTO;
	return 0;
}

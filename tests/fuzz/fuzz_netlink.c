/* fuzz_netlink.c - fuzz harness: rtnetlink replies, read for the ACK of a request */
/**
 * DOC: Theory of operation
 *
 * The input is what one recv() on the rtnetlink socket returned, copied into an aligned
 * buffer of its own size. nl_ack_parse() looks in it for the ACK of request 42
 * on port 4242 (and on any port, as for a socket whose port id is unknown), with room for
 * the kernel's extended ACK message, with a short buffer, and with none. The harness checks
 * what nl_request() relies on: 1 (read again), 0, or a -errno; a message that fits its
 * buffer; and the same answer whatever the message buffer.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "nl.h"
#include "util.h"

/* nl.c's receive buffer */
#define NETLINK_FUZZ_BUF 8192
/* The request's sequence number and our port id */
#define NETLINK_FUZZ_SEQ    42
#define NETLINK_FUZZ_PORTID 4242

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
 * netlink_fuzz_parse() - Look for the ACK with a message buffer of a given size
 * @buf:	the reply
 * @len:	its length
 * @portid:	our port id, 0 for any
 * @msgsize:	size of the message buffer, 0 for none
 *
 * Return: nl_ack_parse()'s answer
 */
static int netlink_fuzz_parse(const void *buf, size_t len, unsigned int portid, size_t msgsize)
{
	char msg[NL_ERRMSG_MAX + 1];
	int ret;

	memset(msg, 'x', sizeof(msg));
	ret = nl_ack_parse(buf, len, NETLINK_FUZZ_SEQ, portid, msgsize ? msg : NULL, msgsize);
	fuzz_assert(ret == 1 || (ret <= 0 && ret >= -4095), "nl_ack_parse: %d", ret);
	if (msgsize)
		fuzz_assert(memchr(msg, '\0', msgsize), "message overran its %zu bytes", msgsize);
	return ret;
}

/**
 * LLVMFuzzerTestOneInput() - One received buffer
 * @data:	input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const unsigned int ports[] = {NETLINK_FUZZ_PORTID, 0};
	/* recv() into the buffer cuts a longer datagram to its size */
	size_t len = size < NETLINK_FUZZ_BUF ? size : NETLINK_FUZZ_BUF;
	/* aligned as any receive buffer, and no larger than the reply: reading past it shows */
	cleanup_free void *buf = malloc(len ? len : 1);

	if (!buf)
		abort();
	memcpy(buf, data, len);
	for (size_t i = 0; i < ARRAY_SIZE(ports); i++) {
		int ret = netlink_fuzz_parse(buf, len, ports[i], NL_ERRMSG_MAX);

		fuzz_assert(netlink_fuzz_parse(buf, len, ports[i], 5) == ret &&
				    netlink_fuzz_parse(buf, len, ports[i], 0) == ret,
			    "the answer depends on the message buffer");
	}
	return 0;
}

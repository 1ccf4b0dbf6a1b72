/* dns-responder.c - a tiny DNS server for tests: every A query gets one fixed address */
/**
 * DOC: Theory of operation
 *
 * Usage: dns-responder LISTEN-ADDR PORT ANSWER-IPV4 SECONDS
 * Answers each UDP query on LISTEN-ADDR:PORT (loopback in tests): type A gets ANSWER-IPV4,
 * any other type an empty answer. Exits after SECONDS. Writes "query NAME TYPE" per query
 * to stdout, so a test can tell that the query really came here.
 */
#include "config.h"

#include <arpa/inet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/**
 * dns_qname() - Read the question's name as text and find where it ends
 * @p:		packet
 * @len:	its length
 * @name:	text, "." separated
 * @size:	size of @name
 *
 * Return: offset just past the name, or 0 for a malformed or compressed name
 */
static size_t dns_qname(const uint8_t *p, size_t len, char *name, size_t size)
{
	size_t off = 12, o = 0;

	name[0] = '\0';
	while (off < len && p[off]) {
		size_t l = p[off];

		if (l > 63 || off + 1 + l > len || o + l + 2 > size)
			return 0;
		if (o)
			name[o++] = '.';
		memcpy(name + o, p + off + 1, l);
		o += l;
		name[o] = '\0';
		off += 1 + l;
	}
	return off < len ? off + 1 : 0;
}

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0, or 1 on a setup error
 */
int main(int argc, char **argv)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	struct in_addr answer;
	time_t end;
	int fd;

	if (argc != 5 || inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 ||
	    inet_pton(AF_INET, argv[3], &answer) != 1) {
		fprintf(stderr, "usage: dns-responder LISTEN-ADDR PORT ANSWER-IPV4 SECONDS\n");
		return 1;
	}
	sa.sin_port = htons((uint16_t)atoi(argv[2]));
	end = time(NULL) + atoi(argv[4]);
	fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		perror("dns-responder: bind");
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	while (time(NULL) < end) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		struct sockaddr_storage peer;
		socklen_t plen = sizeof(peer);
		uint8_t q[512], r[600];
		char name[256];
		size_t off, rl;
		ssize_t n;
		uint16_t qtype;

		if (poll(&pfd, 1, 200) <= 0)
			continue;
		n = recvfrom(fd, q, sizeof(q), 0, (struct sockaddr *)&peer, &plen);
		if (n < 12 || (q[2] & 0x80) || q[4] || q[5] != 1)
			continue;
		off = dns_qname(q, (size_t)n, name, sizeof(name));
		if (!off || off + 4 > (size_t)n)
			continue;
		qtype = (uint16_t)(q[off] << 8 | q[off + 1]);
		printf("query %s %u\n", name, qtype);
		off += 4;
		memcpy(r, q, off);
		r[2] = 0x84 | (q[2] & 0x01); /* QR, AA, RD copied */
		r[3] = 0x80;		     /* RA, NOERROR */
		r[6] = 0;
		r[7] = qtype == 1 ? 1 : 0;
		memset(r + 8, 0, 4);
		rl = off;
		if (qtype == 1) {
			static const uint8_t rr[] = {0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4};

			memcpy(r + rl, rr, sizeof(rr));
			rl += sizeof(rr);
			memcpy(r + rl, &answer, 4);
			rl += 4;
		}
		sendto(fd, r, rl, 0, (struct sockaddr *)&peer, plen);
	}
	return 0;
}

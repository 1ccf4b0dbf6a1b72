/* orphan.h - libslirp's half-closed connections whose program in the namespace is gone */
#ifndef RN_ORPHAN_H
#define RN_ORPHAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* connections in CLOSE_WAIT looked at per sweep; the rest wait for the next */
#define ORPHAN_MAX 1024

/**
 * struct orphan_conn - a TCP connection of libslirp in CLOSE_WAIT (the namespace sent its FIN)
 * @fd:		its host socket
 * @port_a:	the table's source port (out: the namespace's; forwarded in: the host's)
 * @port_b:	the table's destination port (out: the remote's; in: the namespace's)
 * @held:	a socket a program holds in the namespace matches it
 * @orphaned:	an orphaned socket of the namespace (its program closed it) matches it
 */
struct orphan_conn {
	int fd;
	uint16_t port_a;
	uint16_t port_b;
	bool held;
	bool orphaned;
};

bool orphan_parse_line(const char *line, struct orphan_conn *out);
size_t orphan_parse(char *info, struct orphan_conn *out, size_t max);
void orphan_mark(struct orphan_conn *c, size_t n, uint16_t sport, uint16_t dport, bool orphaned);
int orphan_sweep(char *info, int diag, unsigned int *closed);

#endif /* RN_ORPHAN_H */

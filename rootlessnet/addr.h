/* addr.h - IP addresses and socket addresses: parsing, comparing, building, formatting */
#ifndef RN_ADDR_H
#define RN_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

/* longest IP address text, with its NUL */
#define ADDR_STRLEN INET6_ADDRSTRLEN
/* room for a formatted socket address, "[ffff:...]:65535" */
#define ADDR_FMTLEN 64

/**
 * struct addr_ip - an IP address of either family
 * @family:	AF_INET, AF_INET6, or AF_UNSPEC for none
 * @v4:		the address, for AF_INET (IPv4-mapped IPv6 addresses are stored here, as Go's
 *		net package treats them)
 * @v6:		the address, for AF_INET6
 */
struct addr_ip {
	int family;
	union {
		struct in_addr v4;
		struct in6_addr v6;
	};
};

/**
 * union addr_sa - an IPv4 or IPv6 socket address
 * @sa:		generic view
 * @in:		AF_INET
 * @in6:	AF_INET6
 */
union addr_sa {
	struct sockaddr sa;
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
};

int addr_ip_parse(const char *s, struct addr_ip *ip);
int addr_ip_from_sa(const struct sockaddr *sa, struct addr_ip *ip);
bool addr_ip_equal(const struct addr_ip *a, const struct addr_ip *b);
bool addr_ip_wildcard(const struct addr_ip *ip);
bool addr_ip_loopback(const struct addr_ip *ip);
struct addr_ip addr_ip_any(int family);
struct addr_ip addr_ip_lo(int family);
const char *addr_family_str(int family);

void addr_sa_set(union addr_sa *sa, const struct addr_ip *ip, int port);
socklen_t addr_sa_len(const union addr_sa *sa);
int addr_sa_port(const union addr_sa *sa);
const char *addr_sa_format(const union addr_sa *sa, char *buf, size_t len);

#endif /* RN_ADDR_H */

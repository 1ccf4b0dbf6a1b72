/* addr.c - IP addresses and socket addresses: parsing, comparing, building, formatting */
/**
 * DOC: Theory of operation
 *
 * The address vocabulary every layer shares (passt's inany.h is the model): &struct addr_ip
 * holds an address of either family, &union addr_sa a socket address of either family.
 * An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is stored as the IPv4 address it maps, as
 * Go's net package treats it and as a dual-stack socket reports IPv4 peers, so one
 * comparison serves both spellings. Nothing here knows about port requests or drivers.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"

/**
 * addr_ip_set6() - Store an IPv6 address, as AF_INET when it is IPv4-mapped
 * @ip:		set
 * @a:		the address (may point into @ip)
 *
 * Return: nothing
 */
static void addr_ip_set6(struct addr_ip *ip, const struct in6_addr *a)
{
	if (IN6_IS_ADDR_V4MAPPED(a)) {
		struct in_addr v4;

		memcpy(&v4, &a->s6_addr[12], sizeof(v4));
		ip->v4 = v4;
		ip->family = AF_INET;
	} else {
		ip->v6 = *a;
		ip->family = AF_INET6;
	}
}

/**
 * addr_ip_parse() - Parse an IP address as Go's net.ParseIP accepts it
 * @s:		text; NULL or "" for none
 * @ip:		set; AF_UNSPEC for none, IPv4-mapped IPv6 addresses become AF_INET
 *
 * Return: 0, or -EINVAL if @s is not an IPv4 or IPv6 address
 */
int addr_ip_parse(const char *s, struct addr_ip *ip)
{
	memset(ip, 0, sizeof(*ip));
	ip->family = AF_UNSPEC;
	if (!s || !*s)
		return 0;
	if (strlen(s) >= ADDR_STRLEN)
		return -EINVAL;
	if (inet_pton(AF_INET, s, &ip->v4) == 1) {
		ip->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &ip->v6) == 1) {
		addr_ip_set6(ip, &ip->v6);
		return 0;
	}
	return -EINVAL;
}

/**
 * addr_ip_from_sa() - The address of a socket address
 * @sa:		AF_INET or AF_INET6 socket address
 * @ip:		set; IPv4-mapped IPv6 addresses become AF_INET
 *
 * Return: 0, or -EAFNOSUPPORT for another family
 */
int addr_ip_from_sa(const struct sockaddr *sa, struct addr_ip *ip)
{
	const union addr_sa *u = (const union addr_sa *)(const void *)sa;

	memset(ip, 0, sizeof(*ip));
	ip->family = AF_UNSPEC;
	if (sa->sa_family == AF_INET) {
		ip->family = AF_INET;
		ip->v4 = u->in.sin_addr;
		return 0;
	}
	if (sa->sa_family == AF_INET6) {
		addr_ip_set6(ip, &u->in6.sin6_addr);
		return 0;
	}
	return -EAFNOSUPPORT;
}

/**
 * addr_ip_equal() - Whether two addresses are the same
 * @a:		address
 * @b:		address
 *
 * Return: true when both have the same family and address (two AF_UNSPEC are equal)
 */
bool addr_ip_equal(const struct addr_ip *a, const struct addr_ip *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->v4.s_addr == b->v4.s_addr;
	return a->family != AF_INET6 || IN6_ARE_ADDR_EQUAL(&a->v6, &b->v6);
}

/**
 * addr_ip_wildcard() - Whether an address is 0.0.0.0 or ::
 * @ip:		address (AF_UNSPEC counts as not given, not as a wildcard)
 *
 * Return: true for a wildcard
 */
bool addr_ip_wildcard(const struct addr_ip *ip)
{
	if (ip->family == AF_INET)
		return ip->v4.s_addr == htonl(INADDR_ANY);
	if (ip->family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&ip->v6);
	return false;
}

/**
 * addr_ip_loopback() - Whether an address is a loopback address (127/8, ::1)
 * @ip:		address
 *
 * Return: true for loopback
 */
bool addr_ip_loopback(const struct addr_ip *ip)
{
	if (ip->family == AF_INET)
		return (ntohl(ip->v4.s_addr) >> 24) == 127;
	if (ip->family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&ip->v6);
	return false;
}

/**
 * addr_ip_any() - The wildcard address of a family
 * @family:	AF_INET or AF_INET6
 *
 * Return: 0.0.0.0 or ::
 */
struct addr_ip addr_ip_any(int family)
{
	struct addr_ip ip = {.family = family};

	if (family == AF_INET)
		ip.v4.s_addr = htonl(INADDR_ANY);
	else
		ip.v6 = in6addr_any;
	return ip;
}

/**
 * addr_ip_lo() - The loopback address of a family
 * @family:	AF_INET or AF_INET6
 *
 * Return: 127.0.0.1 or ::1
 */
struct addr_ip addr_ip_lo(int family)
{
	struct addr_ip ip = {.family = family};

	if (family == AF_INET)
		ip.v4.s_addr = htonl(INADDR_LOOPBACK);
	else
		ip.v6 = in6addr_loopback;
	return ip;
}

/**
 * addr_family_str() - A family's name in messages
 * @family:	AF_INET or AF_INET6
 *
 * Return: "IPv4" or "IPv6"
 */
const char *addr_family_str(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

/**
 * addr_sa_set() - Build a socket address
 * @sa:		filled in
 * @ip:		address (AF_INET or AF_INET6)
 * @port:	port
 *
 * Return: nothing
 */
void addr_sa_set(union addr_sa *sa, const struct addr_ip *ip, int port)
{
	memset(sa, 0, sizeof(*sa));
	if (ip->family == AF_INET) {
		sa->in.sin_family = AF_INET;
		sa->in.sin_addr = ip->v4;
		sa->in.sin_port = htons((uint16_t)port);
	} else {
		sa->in6.sin6_family = AF_INET6;
		sa->in6.sin6_addr = ip->v6;
		sa->in6.sin6_port = htons((uint16_t)port);
	}
}

/**
 * addr_sa_len() - Length of a socket address for bind() and connect()
 * @sa:		AF_INET or AF_INET6 address
 *
 * Return: sizeof(struct sockaddr_in) or sizeof(struct sockaddr_in6)
 */
socklen_t addr_sa_len(const union addr_sa *sa)
{
	return sa->sa.sa_family == AF_INET6 ? sizeof(sa->in6) : sizeof(sa->in);
}

/**
 * addr_sa_port() - The port of a socket address
 * @sa:		AF_INET or AF_INET6 address
 *
 * Return: the port, host order
 */
int addr_sa_port(const union addr_sa *sa)
{
	return ntohs(sa->sa.sa_family == AF_INET6 ? sa->in6.sin6_port : sa->in.sin_port);
}

/**
 * addr_sa_format() - Format an address as "0.0.0.0:8080" or "[::1]:80"
 * @sa:		AF_INET or AF_INET6 address
 * @buf:	output
 * @len:	size of @buf (ADDR_FMTLEN is enough)
 *
 * Return: @buf
 */
const char *addr_sa_format(const union addr_sa *sa, char *buf, size_t len)
{
	char ip[INET6_ADDRSTRLEN];

	if (sa->sa.sa_family == AF_INET6) {
		inet_ntop(AF_INET6, &sa->in6.sin6_addr, ip, sizeof(ip));
		snprintf(buf, len, "[%s]:%u", ip, ntohs(sa->in6.sin6_port));
	} else {
		inet_ntop(AF_INET, &sa->in.sin_addr, ip, sizeof(ip));
		snprintf(buf, len, "%s:%u", ip, ntohs(sa->in.sin_port));
	}
	return buf;
}

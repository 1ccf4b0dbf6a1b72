/* portspec.c - a port request as users and clients write it: -p syntax and the API's fields */
/**
 * DOC: Theory of operation
 *
 * A port request (&struct portspec) is what a user or client asked for: proto, parentIP
 * text, parentPort, childIP text, childPort, kept as given so that the API can echo it and
 * compare it the way rootlesskit does. It comes from a -p/--publish string
 * (portspec_parse_publish()) or from the API's JSON fields (portspec_from_fields()), and is
 * validated once, with messages that say exactly what is wrong (error_plain(), EINVAL).
 *
 * rootlesskit's -p needs the parent IP field and /PROTO ("0.0.0.0:8080:80/tcp",
 * ":8080:80/tcp"); Docker's shorter "8080:80" (tcp, no parent IP) is accepted too. An absent
 * proto in JSON is refused, as rootlesskit refuses it. A family-specific proto (tcp4, tcp6,
 * ...) must agree with the family of the parent IP; an IPv4-mapped IPv6 address counts as
 * IPv4 (addr.h). What a driver makes of a request is portmap.c's business.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "error.h"
#include "portspec.h"

static const char *const portspec_proto_names[PORTSPEC_PROTO_N] = {
	[PORTSPEC_TCP] = "tcp", [PORTSPEC_TCP4] = "tcp4", [PORTSPEC_TCP6] = "tcp6",
	[PORTSPEC_UDP] = "udp", [PORTSPEC_UDP4] = "udp4", [PORTSPEC_UDP6] = "udp6",
};

#define PORTSPEC_PROTO_LIST "tcp, tcp4, tcp6, udp, udp4, udp6"

/**
 * portspec_proto_str() - Name of a proto
 * @p:		proto
 *
 * Return: "tcp", "tcp4", ..., or "?" for a value out of range
 */
const char *portspec_proto_str(enum portspec_proto p)
{
	if ((unsigned int)p >= PORTSPEC_PROTO_N)
		return "?";
	return portspec_proto_names[p];
}

/**
 * portspec_proto_parse() - Parse a proto name
 * @s:		"tcp", "tcp4", "tcp6", "udp", "udp4" or "udp6" (exact, lower case)
 * @p:		set on success
 *
 * Return: 0, or -EINVAL for any other text (including NULL)
 */
int portspec_proto_parse(const char *s, enum portspec_proto *p)
{
	if (!s)
		return -EINVAL;
	for (size_t i = 0; i < PORTSPEC_PROTO_N; i++) {
		if (!strcmp(s, portspec_proto_names[i])) {
			*p = (enum portspec_proto)i;
			return 0;
		}
	}
	return -EINVAL;
}

/**
 * portspec_proto_socktype() - Socket type of a proto
 * @p:		proto
 *
 * Return: SOCK_STREAM for tcp*, SOCK_DGRAM for udp*
 */
int portspec_proto_socktype(enum portspec_proto p)
{
	return p >= PORTSPEC_UDP ? SOCK_DGRAM : SOCK_STREAM;
}

/**
 * portspec_proto_family() - Family a proto asks for
 * @p:		proto
 *
 * Return: AF_INET for tcp4/udp4, AF_INET6 for tcp6/udp6, AF_UNSPEC for tcp/udp
 */
int portspec_proto_family(enum portspec_proto p)
{
	switch (p) {
	case PORTSPEC_TCP4:
	case PORTSPEC_UDP4:
		return AF_INET;
	case PORTSPEC_TCP6:
	case PORTSPEC_UDP6:
		return AF_INET6;
	default:
		return AF_UNSPEC;
	}
}

/**
 * portspec_check_port() - Check a port number
 * @name:	field name for the message ("parentPort", "childPort")
 * @v:		value as given
 * @e:		what is wrong
 *
 * Return: 0, or -EINVAL if @v is outside 1..65535
 */
static int portspec_check_port(const char *name, long long v, struct error *e)
{
	if (v >= 1 && v <= 65535)
		return 0;
	return error_plain(e, EINVAL, "%s %lld is outside 1..65535", name, v);
}

/**
 * portspec_from_fields() - Build and validate a request from the API's JSON fields
 * @proto:	proto text; NULL or "" when absent (refused, as rootlesskit does)
 * @parent_ip:	parentIP text, NULL or "" for none
 * @parent_port: parentPort as given (0 when absent, refused)
 * @child_ip:	childIP text, NULL or "" for none
 * @child_port:	childPort as given (0 when absent, refused)
 * @out:	the request, written only on success
 * @e:		what is wrong, on failure
 *
 * Checks in rootlesskit's order: proto, parentIP, childIP, parentPort, childPort, then that a
 * family-specific proto agrees with the family of the parent IP.
 *
 * Return: 0, or -EINVAL
 */
int portspec_from_fields(const char *proto, const char *parent_ip, long long parent_port,
			 const char *child_ip, long long child_port, struct portspec *out,
			 struct error *e)
{
	struct portspec s;
	int fam, ret;

	memset(&s, 0, sizeof(s));
	if (!proto || !*proto)
		return error_plain(e, EINVAL, "proto is missing: want one of " PORTSPEC_PROTO_LIST);
	if (portspec_proto_parse(proto, &s.proto))
		return error_plain(e, EINVAL,
				   "unknown proto \"%s\": want one of " PORTSPEC_PROTO_LIST, proto);
	if (addr_ip_parse(parent_ip, &s.parent_addr))
		return error_plain(e, EINVAL, "parentIP \"%s\" is not an IP address", parent_ip);
	if (addr_ip_parse(child_ip, &s.child_addr))
		return error_plain(e, EINVAL, "childIP \"%s\" is not an IP address", child_ip);
	ret = portspec_check_port("parentPort", parent_port, e);
	if (!ret)
		ret = portspec_check_port("childPort", child_port, e);
	if (ret)
		return ret;
	fam = portspec_proto_family(s.proto);
	if (fam != AF_UNSPEC && s.parent_addr.family != AF_UNSPEC && s.parent_addr.family != fam)
		return error_plain(e, EINVAL, "proto \"%s\" needs an %s parentIP, got \"%s\"",
				   proto, addr_family_str(fam), parent_ip);
	if (parent_ip)
		snprintf(s.parent_ip, sizeof(s.parent_ip), "%s", parent_ip); /* length checked */
	if (child_ip)
		snprintf(s.child_ip, sizeof(s.child_ip), "%s", child_ip);
	s.parent_port = (int)parent_port;
	s.child_port = (int)child_port;
	*out = s;
	return 0;
}

/**
 * struct portspec_field - one colon-separated field of a -p string
 * @p:		its text (not NUL-terminated)
 * @len:	its length
 * @bracketed:	it was in brackets (an IPv6 address)
 */
struct portspec_field {
	const char *p;
	size_t len;
	bool bracketed;
};

/**
 * portspec_publish_port() - Parse a port field of a -p string
 * @f:		field
 * @name:	field name for the message
 * @v:		set on success; out-of-range values are left to portspec_check_port()
 * @e:		what is wrong
 *
 * Return: 0, or -EINVAL if the field is not a decimal number
 */
static int portspec_publish_port(const struct portspec_field *f, const char *name, long long *v,
				 struct error *e)
{
	if (f->bracketed || !f->len)
		return error_plain(e, EINVAL, "%s \"%s%.*s%s\" is not a number", name,
				   f->bracketed ? "[" : "", (int)f->len, f->p,
				   f->bracketed ? "]" : "");
	for (size_t i = 0; i < f->len; i++)
		if (f->p[i] < '0' || f->p[i] > '9')
			return error_plain(
				e, EINVAL, "%s \"%.*s\" is not a number%s", name, (int)f->len, f->p,
				memchr(f->p, '-', f->len) ? " (port ranges are not supported)"
							  : "");
	if (f->len > 9)
		return error_plain(e, EINVAL, "%s %.*s is outside 1..65535", name, (int)f->len,
				   f->p);
	*v = 0;
	for (size_t i = 0; i < f->len; i++)
		*v = *v * 10 + (f->p[i] - '0');
	return 0;
}

/**
 * portspec_publish_ip() - Copy an IP field of a -p string
 * @f:		field, brackets already removed
 * @name:	field name for the message
 * @buf:	NUL-terminated copy
 * @e:		what is wrong
 *
 * Return: 0, or -EINVAL if the field is too long to be an address
 */
static int portspec_publish_ip(const struct portspec_field *f, const char *name,
			       char buf[ADDR_STRLEN], struct error *e)
{
	if (f->len >= ADDR_STRLEN)
		return error_plain(e, EINVAL, "%s \"%.*s\" is not an IP address", name, (int)f->len,
				   f->p);
	memcpy(buf, f->p, f->len);
	buf[f->len] = '\0';
	return 0;
}

/**
 * portspec_publish_split() - Split the part before /PROTO at colons outside brackets
 * @s:		text
 * @len:	length of @s to use
 * @f:		fields, up to 4
 * @n:		number of fields found
 *
 * Return: 0, or -EINVAL for more than 4 fields or misplaced brackets
 */
static int portspec_publish_split(const char *s, size_t len, struct portspec_field f[4], size_t *n)
{
	size_t i = 0;

	*n = 0;
	for (;;) {
		struct portspec_field cur = {.p = s + i, .len = 0, .bracketed = false};

		if (*n == 4)
			return -EINVAL;
		if (i < len && s[i] == '[') {
			const char *close = memchr(s + i, ']', len - i);

			if (!close)
				return -EINVAL;
			cur.p = s + i + 1;
			cur.len = (size_t)(close - cur.p);
			cur.bracketed = true;
			i = (size_t)(close - s) + 1;
			if (i < len && s[i] != ':')
				return -EINVAL;
		} else {
			while (i < len && s[i] != ':') {
				if (s[i] == '[' || s[i] == ']')
					return -EINVAL;
				i++;
			}
			cur.len = (size_t)(s + i - cur.p);
		}
		f[(*n)++] = cur;
		if (i >= len)
			return 0;
		i++; /* the colon */
	}
}

/**
 * portspec_parse_publish() - Parse a -p/--publish string
 * @s:		[PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT[/PROTO]; IPv6 addresses in brackets
 * @out:	the request, written only on success
 * @e:		what is wrong, on failure, after the quoted string
 *
 * rootlesskit's form is PARENTIP:PARENTPORT[:CHILDIP]:CHILDPORT/PROTO (an empty PARENTIP is
 * allowed, ":8080:80/tcp"). As a compatible extension, PARENTIP: may be left out and /PROTO
 * defaults to tcp, as Docker's -p does: "8080:80" is tcp on no parent IP. With three fields
 * the first is the parent IP; a child IP needs all four.
 *
 * Return: 0, or -EINVAL
 */
int portspec_parse_publish(const char *s, struct portspec *out, struct error *e)
{
	char pip[ADDR_STRLEN] = "", cip[ADDR_STRLEN] = "";
	struct portspec_field f[4], *fpp, *fcp, *fpi = NULL, *fci = NULL;
	const char *slash, *proto = "tcp";
	long long pport = 0, cport = 0;
	size_t n, len;
	int ret;

	if (!s)
		s = "";
	slash = strchr(s, '/');
	len = slash ? (size_t)(slash - s) : strlen(s);
	if (slash)
		proto = slash + 1;
	if (portspec_publish_split(s, len, f, &n) || n < 2)
		return error_plain(
			e, EINVAL,
			"\"%s\": want [PARENTIP:]PARENTPORT:[CHILDIP:]CHILDPORT[/PROTO], "
			"with IPv6 addresses in brackets",
			s);
	/* 2: PP:CP, 3: PIP:PP:CP, 4: PIP:PP:CIP:CP */
	fpp = &f[n == 2 ? 0 : 1];
	fcp = &f[n - 1];
	if (n >= 3)
		fpi = &f[0];
	if (n == 4)
		fci = &f[2];
	ret = portspec_publish_port(fpp, "parentPort", &pport, e);
	if (!ret)
		ret = portspec_publish_port(fcp, "childPort", &cport, e);
	if (!ret && fpi)
		ret = portspec_publish_ip(fpi, "parentIP", pip, e);
	if (!ret && fci)
		ret = portspec_publish_ip(fci, "childIP", cip, e);
	if (!ret)
		ret = portspec_from_fields(proto, pip, pport, cip, cport, out, e);
	if (ret)
		error_wrap(e, "\"%s\"", s);
	return ret;
}

/**
 * portspec_format() - Format a request as "tcp [::1]:8080 -> :80"
 * @s:		request
 * @buf:	output
 * @len:	size of @buf (PORTSPEC_FMTLEN is enough)
 *
 * IPs appear as given; an absent IP leaves only ":PORT".
 *
 * Return: @buf
 */
const char *portspec_format(const struct portspec *s, char *buf, size_t len)
{
	bool p6 = strchr(s->parent_ip, ':'), c6 = strchr(s->child_ip, ':');

	snprintf(buf, len, "%s %s%s%s:%d -> %s%s%s:%d", portspec_proto_str(s->proto), p6 ? "[" : "",
		 s->parent_ip, p6 ? "]" : "", s->parent_port, c6 ? "[" : "", s->child_ip,
		 c6 ? "]" : "", s->child_port);
	return buf;
}

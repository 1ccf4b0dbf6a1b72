/* ctlfmt.c - rootlessctl's text: port spec arguments, ID arguments, tables and info output */
/**
 * DOC: Theory of operation
 *
 * The client (ctl-main.c) must read its arguments and print its output exactly as
 * rootlesskit's rootlessctl, so that scripts written for one work with the other:
 *
 * - add-ports arguments: PARENTIP:PARENTPORT[:CHILDIP]:CHILDPORT/PROTO, IPv6 addresses in
 *   brackets, parsed the way portutil.ParsePortSpec does it: proto after the last '/'
 *   (tcp, tcp4, tcp6, udp, udp4, udp6 and the sctp ones, which the server then refuses),
 *   child port after the last ':', and the rest split on ':' outside brackets, blanks
 *   skipped. Its messages are kept, including the two where it names the wrong field.
 * - list-ports: text/tabwriter with minwidth 4, padding 4, every cell (the last one too)
 *   padded to its column's widest cell plus 4.
 * - info: rootlessctl's "- Key: value" lines, Go's %v for lists ("[a b]").
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <string.h>

#include "apijson.h"
#include "ctlfmt.h"
#include "error.h"
#include "gojson.h"

/* tabwriter.NewWriter(os.Stdout, 4, 8, 4, ' ', 0) */
#define CTLFMT_MINWIDTH 4
#define CTLFMT_PADDING	4

/**
 * ctlfmt_proto_ok() - A proto rootlessctl lets through (validateProto)
 * @p:		proto text
 *
 * Return: true for tcp, tcp4, tcp6, udp, udp4, udp6, sctp, sctp4, sctp6
 */
static bool ctlfmt_proto_ok(const char *p)
{
	static const char *const ok[] = {"tcp",	 "tcp4", "tcp6",  "udp",  "udp4",
					 "udp6", "sctp", "sctp4", "sctp6"};

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (!strcmp(p, ok[i]))
			return true;
	}
	return false;
}

/**
 * ctlfmt_ip_ok() - An address Go's net.ParseIP accepts
 * @s:		text
 *
 * Return: true for an IPv4 or IPv6 address (no zone, no prefix)
 */
static bool ctlfmt_ip_ok(const char *s)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/**
 * ctlfmt_append() - Append bytes to a field
 * @field:	NUL-terminated field of CTLFMT_FIELDLEN bytes
 * @p:		bytes
 * @n:		count
 *
 * Return: 0, or -ENAMETOOLONG if the field would overflow
 */
static int ctlfmt_append(char *field, const char *p, size_t n)
{
	size_t len = strlen(field);

	if (len + n >= CTLFMT_FIELDLEN)
		return -ENAMETOOLONG;
	memcpy(field + len, p, n);
	field[len + n] = '\0';
	return 0;
}

/**
 * ctlfmt_token_len() - Length of the scanner token at @p (Go's text/scanner, simplified)
 * @p:		text, not at a blank
 *
 * Return: length of a run of letters, digits, '.' and '_', or 1 for any other character
 */
static size_t ctlfmt_token_len(const char *p)
{
	size_t n = 0;

	while (p[n] && (p[n] == '.' || p[n] == '_' || (p[n] >= '0' && p[n] <= '9') ||
			(p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z')))
		n++;
	return n ? n : 1;
}

/**
 * ctlfmt_parse_spec() - Parse an add-ports argument as rootlessctl
 * @s:		PARENTIP:PARENTPORT[:CHILDIP]:CHILDPORT/PROTO
 * @out:	the fields
 * @e:		rootlessctl's message on failure
 *
 * Return: 0 or -EINVAL
 */
int ctlfmt_parse_spec(const char *s, struct ctlfmt_spec *out, struct error *e)
{
	enum {
		PARENT_IP,
		PARENT_PORT,
		CHILD_IP,
		CHILD_PORT
	};
	char parts[4][CTLFMT_FIELDLEN] = {"", "", "", ""};
	const char *slash = strrchr(s, '/'), *colon, *p;
	struct error why = {0};
	char q[512];
	int index = PARENT_IP;
	char delim = ':';

	gojson_quote(s, q, sizeof(q));
	memset(out, 0, sizeof(*out));
	if (!slash)
		return error_plain(e, EINVAL, "missing proto in PortSpec string: %s", q);
	if (!ctlfmt_proto_ok(slash + 1)) {
		char pq[CTLFMT_FIELDLEN];

		return error_plain(e, EINVAL, "invalid PortSpec string: %s: unknown proto: %s", q,
				   gojson_quote(slash + 1, pq, sizeof(pq)));
	}
	snprintf(out->proto, sizeof(out->proto), "%s", slash + 1);
	colon = strrchr(s, ':');
	if (!colon)
		return error_plain(e, EINVAL, "unexpected PortSpec string: %s", q);
	if ((size_t)(slash - colon - 1) >= CTLFMT_FIELDLEN)
		return error_plain(e, EINVAL, "unexpected PortSpec string: %s", q);
	memcpy(parts[CHILD_PORT], colon + 1, (size_t)(slash - colon - 1));
	parts[CHILD_PORT][slash - colon - 1] = '\0';

	for (p = s; p < colon;) {
		size_t n;

		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			p++;
			continue;
		}
		if (index > CHILD_PORT)
			return error_plain(e, EINVAL, "unexpected PortSpec string: %s", q);
		if (*p == '[') {
			delim = ']';
			p++;
			continue;
		}
		if (*p == delim) {
			p++;
			if (delim == ']') {
				/* the token after the bracket (the ':') is skipped */
				delim = ':';
				while (p < colon && (*p == ' ' || *p == '\t'))
					p++;
				if (p < colon)
					p += ctlfmt_token_len(p);
			}
			index++;
			continue;
		}
		n = *p == ':' ? 1 : ctlfmt_token_len(p);
		if (p + n > colon)
			n = (size_t)(colon - p);
		if (ctlfmt_append(parts[index], p, n))
			return error_plain(e, EINVAL, "unexpected PortSpec string: %s", q);
		p += n;
	}

	if (*parts[PARENT_IP] && !ctlfmt_ip_ok(parts[PARENT_IP]))
		return error_plain(e, EINVAL, "unexpected ParentIP in PortSpec string: %s", q);
	/* rootlessctl names the parent IP here too */
	if (*parts[CHILD_IP] && !ctlfmt_ip_ok(parts[CHILD_IP]))
		return error_plain(e, EINVAL, "unexpected ParentIP in PortSpec string: %s", q);
	snprintf(out->parent_ip, sizeof(out->parent_ip), "%s", parts[PARENT_IP]);
	snprintf(out->child_ip, sizeof(out->child_ip), "%s", parts[CHILD_IP]);
	/* ... and swaps the port names in these two */
	if (gojson_atoi(parts[PARENT_PORT], &out->parent_port, &why))
		return error_plain(e, EINVAL, "unexpected ChildPort in PortSpec string: %s: %s", q,
				   why.msg);
	if (gojson_atoi(parts[CHILD_PORT], &out->child_port, &why))
		return error_plain(e, EINVAL, "unexpected ParentPort in PortSpec string: %s: %s", q,
				   why.msg);
	return 0;
}

/**
 * ctlfmt_spec_fields() - The JSON fields of a parsed argument
 * @s:		parsed argument
 * @out:	views into @s
 *
 * Return: nothing
 */
void ctlfmt_spec_fields(const struct ctlfmt_spec *s, struct apijson_spec *out)
{
	out->proto = s->proto;
	out->parent_ip = s->parent_ip;
	out->parent_port = s->parent_port;
	out->child_port = s->child_port;
	out->child_ip = s->child_ip;
}

/**
 * ctlfmt_ports_table() - Print list-ports' table as rootlessctl's tabwriter does
 * @f:		output
 * @st:		ports
 * @n:		number of @st
 *
 * Return: 0, or -EIO if writing failed
 */
int ctlfmt_ports_table(FILE *f, const struct apijson_status *st, size_t n)
{
	static const char *const head[6] = {"ID",	  "PROTO",   "PARENTIP",
					    "PARENTPORT", "CHILDIP", "CHILDPORT"};
	size_t width[6];
	char cell[6][CTLFMT_FIELDLEN];

	for (int c = 0; c < 6; c++)
		width[c] = strlen(head[c]);
	for (size_t r = 0; r <= n; r++) {
		for (int c = 0; c < 6 && r < n; c++) {
			const struct apijson_spec *sp = &st[r].spec;

			switch (c) {
			case 0:
				snprintf(cell[c], sizeof(cell[c]), "%lld", st[r].id);
				break;
			case 1:
				snprintf(cell[c], sizeof(cell[c]), "%s",
					 sp->proto ? sp->proto : "");
				break;
			case 2:
				snprintf(cell[c], sizeof(cell[c]), "%s",
					 sp->parent_ip ? sp->parent_ip : "");
				break;
			case 3:
				snprintf(cell[c], sizeof(cell[c]), "%lld", sp->parent_port);
				break;
			case 4:
				snprintf(cell[c], sizeof(cell[c]), "%s",
					 sp->child_ip ? sp->child_ip : "");
				break;
			default:
				snprintf(cell[c], sizeof(cell[c]), "%lld", sp->child_port);
				break;
			}
			if (strlen(cell[c]) > width[c])
				width[c] = strlen(cell[c]);
		}
	}
	for (int c = 0; c < 6; c++) {
		width[c] += CTLFMT_PADDING;
		if (width[c] < CTLFMT_MINWIDTH)
			width[c] = CTLFMT_MINWIDTH;
	}
	for (int c = 0; c < 6; c++)
		fprintf(f, "%-*s", (int)width[c], head[c]);
	fputc('\n', f);
	for (size_t r = 0; r < n; r++) {
		const struct apijson_spec *sp = &st[r].spec;

		fprintf(f, "%-*lld%-*s%-*s%-*lld%-*s%-*lld\n", (int)width[0], st[r].id,
			(int)width[1], sp->proto ? sp->proto : "", (int)width[2],
			sp->parent_ip ? sp->parent_ip : "", (int)width[3], sp->parent_port,
			(int)width[4], sp->child_ip ? sp->child_ip : "", (int)width[5],
			sp->child_port);
	}
	return ferror(f) ? -EIO : 0;
}

/**
 * ctlfmt_list() - Print a list as Go's %v of a slice: [a b c]
 * @f:		output
 * @s:		strings
 * @n:		number of @s
 *
 * Return: nothing
 */
static void ctlfmt_list(FILE *f, const char *const *s, size_t n)
{
	fputc('[', f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? " " : "", s[i]);
	fputc(']', f);
}

/**
 * ctlfmt_info_text() - Print info's text output as rootlessctl
 * @f:		output
 * @in:		info
 *
 * Return: 0, or -EIO if writing failed
 */
int ctlfmt_info_text(FILE *f, const struct apijson_info *in)
{
	fprintf(f, "- REST API version: %s\n", in->api_version ? in->api_version : "");
	fprintf(f, "- Implementation version: %s\n", in->version ? in->version : "");
	fprintf(f, "- State Directory: %s\n", in->state_dir ? in->state_dir : "");
	fprintf(f, "- Child PID: %lld\n", in->child_pid);
	if (in->has_net) {
		fprintf(f, "- Network Driver: %s\n", in->net_driver ? in->net_driver : "");
		fprintf(f, "  - DNS: ");
		ctlfmt_list(f, in->dns, in->n_dns);
		fputc('\n', f);
		if (in->child_ip && *in->child_ip)
			fprintf(f, "  - IP: %s\n", in->child_ip);
	}
	if (in->has_port) {
		fprintf(f, "- Port Driver: %s\n", in->port_driver ? in->port_driver : "");
		fprintf(f, "  - Supported protocols: ");
		ctlfmt_list(f, in->protos, in->n_protos);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

/**
 * ctlfmt_status_text() - Go's http.StatusText for the codes an API server answers
 * @code:	HTTP status
 *
 * Return: the reason phrase, "" for a code Go does not name here
 */
const char *ctlfmt_status_text(long code)
{
	switch (code) {
	case 200:
		return "OK";
	case 201:
		return "Created";
	case 204:
		return "No Content";
	case 301:
		return "Moved Permanently";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 413:
		return "Request Entity Too Large";
	case 414:
		return "Request URI Too Long";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 502:
		return "Bad Gateway";
	case 503:
		return "Service Unavailable";
	default:
		return "";
	}
}

/* test_ctlfmt.c - unit tests for rootlessctl's argument parsing and output, against its bytes */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apijson.h"
#include "ctlfmt.h"
#include "error.h"
#include "errtext.h"
#include "gojson.h"

/**
 * expect_spec() - An argument must parse to these fields
 * @arg:	add-ports argument
 * @proto:	proto
 * @pip:	parent IP
 * @pport:	parent port
 * @cip:	child IP
 * @cport:	child port
 */
static void expect_spec(const char *arg, const char *proto, const char *pip, long long pport,
			const char *cip, long long cport)
{
	struct ctlfmt_spec s;
	char err[512] = "";

	assert_int_equal(t_parse_spec(arg, &s, err, sizeof(err)), 0);
	assert_string_equal(s.proto, proto);
	assert_string_equal(s.parent_ip, pip);
	assert_int_equal(s.parent_port, pport);
	assert_string_equal(s.child_ip, cip);
	assert_int_equal(s.child_port, cport);
}

/**
 * expect_spec_error() - An argument must be refused with rootlessctl's message
 * @arg:	add-ports argument
 * @want:	message
 */
static void expect_spec_error(const char *arg, const char *want)
{
	struct ctlfmt_spec s;
	char err[512] = "";

	assert_int_equal(t_parse_spec(arg, &s, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, want);
}

static void test_parse_spec(void **state)
{
	(void)state;
	expect_spec("127.0.0.1:8080:80/tcp", "tcp", "127.0.0.1", 8080, "", 80);
	expect_spec("0.0.0.0:8080:10.0.2.100:80/udp", "udp", "0.0.0.0", 8080, "10.0.2.100", 80);
	expect_spec("[::1]:18091:[::1]:80/tcp6", "tcp6", "::1", 18091, "::1", 80);
	expect_spec("[::]:8080:80/tcp", "tcp", "::", 8080, "", 80);
	expect_spec("[fd00::100]:8080:[::ffff:10.0.2.100]:80/tcp", "tcp", "fd00::100", 8080,
		    "::ffff:10.0.2.100", 80);
	/* parsed client-side; the server refuses sctp */
	expect_spec("127.0.0.1:1:2/sctp4", "sctp4", "127.0.0.1", 1, "", 2);
	/* blanks are skipped, as Go's text/scanner does */
	expect_spec(" 127.0.0.1 : 8080:80/tcp", "tcp", "127.0.0.1", 8080, "", 80);
	/* a fifth part runs into the child port, as in rootlessctl */
	expect_spec("1.2.3.4:1:1.2.3.4:5:6/tcp", "tcp", "1.2.3.4", 1, "1.2.3.4", 65);
	/* ports are not range-checked by the client */
	expect_spec("127.0.0.1:0:70000/tcp", "tcp", "127.0.0.1", 0, "", 70000);
}

static void test_parse_spec_errors(void **state)
{
	(void)state;
	expect_spec_error("127.0.0.1:18093:80",
			  "missing proto in PortSpec string: \"127.0.0.1:18093:80\"");
	expect_spec_error("127.0.0.1:1:2/xyz",
			  "invalid PortSpec string: \"127.0.0.1:1:2/xyz\": unknown proto: \"xyz\"");
	expect_spec_error("127.0.0.1:1:2/", "invalid PortSpec string: \"127.0.0.1:1:2/\": "
					    "unknown proto: \"\"");
	expect_spec_error("80/tcp", "unexpected PortSpec string: \"80/tcp\"");
	expect_spec_error("18093:80/tcp",
			  "unexpected ParentIP in PortSpec string: \"18093:80/tcp\"");
	expect_spec_error("1.2.3:8080:80/tcp",
			  "unexpected ParentIP in PortSpec string: \"1.2.3:8080:80/tcp\"");
	/* rootlessctl says ParentIP for a bad child IP too */
	expect_spec_error("127.0.0.1:8080:bad:80/tcp",
			  "unexpected ParentIP in PortSpec string: \"127.0.0.1:8080:bad:80/tcp\"");
	/* ... and swaps the port names */
	expect_spec_error("127.0.0.1:x:80/tcp",
			  "unexpected ChildPort in PortSpec string: \"127.0.0.1:x:80/tcp\": "
			  "strconv.Atoi: parsing \"x\": invalid syntax");
	expect_spec_error("127.0.0.1:8080:y/tcp",
			  "unexpected ParentPort in PortSpec string: \"127.0.0.1:8080:y/tcp\": "
			  "strconv.Atoi: parsing \"y\": invalid syntax");
	expect_spec_error("127.0.0.1::80/tcp",
			  "unexpected ChildPort in PortSpec string: \"127.0.0.1::80/tcp\": "
			  "strconv.Atoi: parsing \"\": invalid syntax");
}

/**
 * capture() - Run a printer into a memory buffer
 * @buf:	where the text goes (malloc'd, freed by the caller)
 * @len:	its length
 *
 * Return: the stream to print into; fclose() it before reading @buf
 */
static FILE *capture(char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	assert_non_null(f);
	return f;
}

static void test_ports_table(void **state)
{
	/* rootlessctl list-ports after rootlessctl add-ports on rootlesskit 1.1.0 */
	const struct apijson_status st[] = {
		{.id = 3,
		 .spec = {.proto = "tcp",
			  .parent_ip = "127.0.0.1",
			  .parent_port = 18090,
			  .child_port = 80}},
		{.id = 4,
		 .spec = {.proto = "tcp6",
			  .parent_ip = "::1",
			  .parent_port = 18091,
			  .child_port = 80,
			  .child_ip = "::1"}},
		{.id = 5,
		 .spec = {.proto = "udp",
			  .parent_ip = "127.0.0.1",
			  .parent_port = 18092,
			  .child_port = 80}},
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = capture(&buf, &len);
	assert_int_equal(ctlfmt_ports_table(f, st, 3), 0);
	fclose(f);
	assert_string_equal(buf,
			    "ID    PROTO    PARENTIP     PARENTPORT    CHILDIP    CHILDPORT    \n"
			    "3     tcp      127.0.0.1    18090                    80           \n"
			    "4     tcp6     ::1          18091         ::1        80           \n"
			    "5     udp      127.0.0.1    18092                    80           \n");
	free(buf);

	f = capture(&buf, &len);
	assert_int_equal(ctlfmt_ports_table(f, st, 0), 0);
	fclose(f);
	assert_string_equal(buf,
			    "ID    PROTO    PARENTIP    PARENTPORT    CHILDIP    CHILDPORT    \n");
	free(buf);
}

static void test_ports_table_wide(void **state)
{
	const struct apijson_status st[] = {
		{.id = 123456,
		 .spec = {.proto = "tcp",
			  .parent_ip = "fd00:1234:5678::abcd",
			  .parent_port = 1,
			  .child_port = 65535,
			  .child_ip = "10.0.2.100"}},
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = capture(&buf, &len);
	assert_int_equal(ctlfmt_ports_table(f, st, 1), 0);
	fclose(f);
	assert_string_equal(
		buf, "ID        PROTO    PARENTIP                PARENTPORT    CHILDIP       "
		     "CHILDPORT    \n"
		     "123456    tcp      fd00:1234:5678::abcd    1             10.0.2.100    "
		     "65535        \n");
	free(buf);
}

static void test_info_text(void **state)
{
	struct apijson_info in = {
		.api_version = "1.1.1",
		.version = "1.1.0",
		.state_dir = "/tmp/rn-runtime.0XuNHJ/rk",
		.child_pid = 27955,
		.has_net = true,
		.net_driver = "slirp4netns",
		.dns = {"10.0.2.3"},
		.n_dns = 1,
		.child_ip = "10.0.2.100",
		.has_port = true,
		.port_driver = "builtin",
		.protos = {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6"},
		.n_protos = 6,
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = capture(&buf, &len);
	assert_int_equal(ctlfmt_info_text(f, &in), 0);
	fclose(f);
	/* rootlessctl info on rootlesskit 1.1.0 */
	assert_string_equal(buf, "- REST API version: 1.1.1\n"
				 "- Implementation version: 1.1.0\n"
				 "- State Directory: /tmp/rn-runtime.0XuNHJ/rk\n"
				 "- Child PID: 27955\n"
				 "- Network Driver: slirp4netns\n"
				 "  - DNS: [10.0.2.3]\n"
				 "  - IP: 10.0.2.100\n"
				 "- Port Driver: builtin\n"
				 "  - Supported protocols: [tcp tcp4 tcp6 udp udp4 udp6]\n");
	free(buf);

	/* --net=none, no port driver: no DNS, no IP line, no port driver */
	in.net_driver = "none";
	in.n_dns = 0;
	in.child_ip = NULL;
	in.has_port = false;
	f = capture(&buf, &len);
	assert_int_equal(ctlfmt_info_text(f, &in), 0);
	fclose(f);
	assert_string_equal(buf, "- REST API version: 1.1.1\n"
				 "- Implementation version: 1.1.0\n"
				 "- State Directory: /tmp/rn-runtime.0XuNHJ/rk\n"
				 "- Child PID: 27955\n"
				 "- Network Driver: none\n"
				 "  - DNS: []\n");
	free(buf);

	in.has_net = false;
	in.dns[1] = "fd00::3";
	f = capture(&buf, &len);
	assert_int_equal(ctlfmt_info_text(f, &in), 0);
	fclose(f);
	assert_null(strstr(buf, "Network Driver"));
	free(buf);
}

static void test_status_text(void **state)
{
	(void)state;
	assert_string_equal(ctlfmt_status_text(404), "Not Found");
	assert_string_equal(ctlfmt_status_text(405), "Method Not Allowed");
	assert_string_equal(ctlfmt_status_text(413), "Request Entity Too Large");
	assert_string_equal(ctlfmt_status_text(599), "");
}

static void test_spec_fields(void **state)
{
	struct apijson_spec f;
	struct ctlfmt_spec s;
	char err[256];
	char *json;
	json_t *o;

	(void)state;
	assert_int_equal(t_parse_spec("127.0.0.1:8080:80/tcp", &s, err, sizeof(err)), 0);
	ctlfmt_spec_fields(&s, &f);
	o = apijson_spec_encode(&f);
	json = gojson_dump(o, false);
	/* what rootlessctl sends: empty fields left out */
	assert_string_equal(json,
			    "{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":8080,"
			    "\"childPort\":80}");
	free(json);
	json_decref(o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_spec),  cmocka_unit_test(test_parse_spec_errors),
		cmocka_unit_test(test_ports_table), cmocka_unit_test(test_ports_table_wide),
		cmocka_unit_test(test_info_text),   cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_spec_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_apijson.c - unit tests for the REST API's JSON: rootlesskit's bytes and every bad input */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apijson.h"
#include "error.h"
#include "errtext.h"
#include "gojson.h"
#include "portmap.h"

/* Bytes rootlesskit 1.1.0 sent in the same situations (captured with curl) */
#define RK_INFO                                                                                    \
	"{\"apiVersion\":\"1.1.1\",\"version\":\"1.1.0\",\"stateDir\":\"/tmp/rk\","                \
	"\"childPID\":22340,\"networkDriver\":{\"driver\":\"slirp4netns\",\"dns\":[\"10.0.2.3\"]," \
	"\"childIP\":\"10.0.2.100\"},\"portDriver\":{\"driver\":\"builtin\",\"protos\":[\"tcp\","  \
	"\"tcp4\",\"tcp6\",\"udp\",\"udp4\",\"udp6\"]}}"
#define RK_PORTS                                                                                   \
	"[{\"id\":1,\"spec\":{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\",\"parentPort\":18080,"  \
	"\"childPort\":80}},{\"id\":4,\"spec\":{\"proto\":\"tcp6\",\"parentIP\":\"::1\","          \
	"\"parentPort\":18091,\"childPort\":80,\"childIP\":\"::1\"}}]"

/**
 * decode_spec() - Parse and decode a body as the server does
 * @body:	request body
 * @out:	decoded fields
 * @root:	the tree, released by the caller
 * @err:	message
 *
 * Return: 0 or -EINVAL
 */
static int decode_spec(const char *body, struct apijson_spec *out, json_t **root, char *err)
{
	*root = t_load(body, strlen(body), err, ERROR_MSGLEN);
	if (!*root)
		return -EINVAL;
	return t_spec_decode(*root, out, err, ERROR_MSGLEN);
}

/**
 * expect_spec_error() - A body must be refused with exactly this message
 * @body:	request body
 * @want:	message
 */
static void expect_spec_error(const char *body, const char *want)
{
	struct apijson_spec s;
	char err[ERROR_MSGLEN] = "";
	json_t *root = NULL;

	assert_int_equal(decode_spec(body, &s, &root, err), -EINVAL);
	assert_string_equal(err, want);
	json_decref(root);
}

static void test_load_eof(void **state)
{
	char err[ERROR_MSGLEN];

	(void)state;
	assert_null(t_load("", 0, err, sizeof(err)));
	assert_string_equal(err, "EOF");
	assert_null(t_load(" \r\n\t", 4, err, sizeof(err)));
	assert_string_equal(err, "EOF");
	assert_null(t_load("{\"proto\":", 9, err, sizeof(err)));
	assert_string_equal(err, "unexpected EOF");
	assert_null(t_load("[1,", 3, err, sizeof(err)));
	assert_string_equal(err, "unexpected EOF");
}

static void test_load_syntax(void **state)
{
	const char *bad[] = {"{x}",
			     "garbage",
			     "{\"a\" 1}",
			     "{\"a\":tru}",
			     "\x01",
			     "{\"a\":\"\xff\"}",
			     "{\"a\":\"x\\u0000\"}",
			     "}"};
	char err[ERROR_MSGLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_null(t_load(bad[i], strlen(bad[i]), err, sizeof(err)));
		assert_non_null(strstr(err, "invalid JSON at line 1"));
	}
}

static void test_load_nul_inside(void **state)
{
	static const char body[] = "{\"proto\":\"t\0cp\"}";
	char err[ERROR_MSGLEN] = "";

	(void)state;
	assert_null(t_load(body, sizeof(body) - 1, err, sizeof(err)));
	assert_non_null(strstr(err, "invalid JSON"));
}

static void test_load_trailing_ignored(void **state)
{
	struct apijson_spec s;
	char err[ERROR_MSGLEN];
	json_t *root;

	(void)state;
	/* Go's json.Decoder reads the first value and ignores the rest */
	assert_int_equal(decode_spec("{\"proto\":\"udp\"} xx", &s, &root, err), 0);
	assert_string_equal(s.proto, "udp");
	json_decref(root);
}

static void test_spec_decode_full(void **state)
{
	struct apijson_spec s;
	char err[ERROR_MSGLEN];
	json_t *root;

	(void)state;
	assert_int_equal(
		decode_spec("{\"proto\":\"tcp\",\"parentIP\":\"0.0.0.0\",\"parentPort\":8080,"
			    "\"childIP\":\"127.0.0.1\",\"childPort\":80,\"extra\":[1]}",
			    &s, &root, err),
		0);
	assert_string_equal(s.proto, "tcp");
	assert_string_equal(s.parent_ip, "0.0.0.0");
	assert_int_equal(s.parent_port, 8080);
	assert_string_equal(s.child_ip, "127.0.0.1");
	assert_int_equal(s.child_port, 80);
	json_decref(root);
}

static void test_spec_decode_absent_and_null(void **state)
{
	struct apijson_spec s;
	char err[ERROR_MSGLEN];
	json_t *root;

	(void)state;
	assert_int_equal(decode_spec("null", &s, &root, err), 0);
	assert_null(s.proto);
	assert_int_equal(s.parent_port, 0);
	json_decref(root);
	assert_int_equal(decode_spec("{\"proto\":null,\"parentPort\":null,\"childIP\":null}", &s,
				     &root, err),
			 0);
	assert_null(s.proto);
	assert_null(s.child_ip);
	assert_int_equal(s.parent_port, 0);
	json_decref(root);
	assert_int_equal(decode_spec("{}", &s, &root, err), 0);
	assert_null(s.parent_ip);
	json_decref(root);
}

static void test_spec_decode_case(void **state)
{
	struct apijson_spec s;
	char err[ERROR_MSGLEN];
	json_t *root;

	(void)state;
	/* Go matches keys case-insensitively when no field has the exact name */
	assert_int_equal(decode_spec("{\"PROTO\":\"tcp\",\"ParentPort\":1,\"CHILDIP\":\"::1\"}", &s,
				     &root, err),
			 0);
	assert_string_equal(s.proto, "tcp");
	assert_int_equal(s.parent_port, 1);
	assert_string_equal(s.child_ip, "::1");
	json_decref(root);
	/* later keys win */
	assert_int_equal(decode_spec("{\"proto\":\"tcp\",\"Proto\":\"udp\"}", &s, &root, err), 0);
	assert_string_equal(s.proto, "udp");
	json_decref(root);
}

static void test_spec_decode_type_errors(void **state)
{
	(void)state;
	expect_spec_error("[]", "json: cannot unmarshal array into Go value of type port.Spec");
	expect_spec_error("\"x\"", "json: cannot unmarshal string into Go value of type port.Spec");
	expect_spec_error("5", "json: cannot unmarshal number into Go value of type port.Spec");
	expect_spec_error("true", "json: cannot unmarshal bool into Go value of type port.Spec");
	expect_spec_error("{\"proto\":\"tcp\",\"parentPort\":\"a\",\"childPort\":80}",
			  "json: cannot unmarshal string into Go struct field Spec.parentPort of "
			  "type int");
	expect_spec_error("{\"proto\":\"tcp\",\"parentPort\":1.5}",
			  "json: cannot unmarshal number 1.5 into Go struct field Spec.parentPort "
			  "of type int");
	/* Go quotes the literal as written; jansson keeps the value, shown as %g shows it */
	expect_spec_error("{\"childPort\":1e3}", "json: cannot unmarshal number 1e+03 into Go "
						 "struct field Spec.childPort of type int");
	expect_spec_error("{\"childPort\":true}", "json: cannot unmarshal bool into Go struct "
						  "field Spec.childPort of type int");
	expect_spec_error("{\"childPort\":[80]}", "json: cannot unmarshal array into Go struct "
						  "field Spec.childPort of type int");
	expect_spec_error("{\"proto\":5}", "json: cannot unmarshal number into Go struct field "
					   "Spec.proto of type string");
	expect_spec_error("{\"proto\":false}", "json: cannot unmarshal bool into Go struct field "
					       "Spec.proto of type string");
	expect_spec_error("{\"parentIP\":{}}", "json: cannot unmarshal object into Go struct "
					       "field Spec.parentIP of type string");
	expect_spec_error("{\"childIP\":[\"::1\"]}", "json: cannot unmarshal array into Go "
						     "struct field Spec.childIP of type string");
	/* the first wrong field is reported */
	expect_spec_error("{\"childIP\":1,\"proto\":2}",
			  "json: cannot unmarshal number into Go "
			  "struct field Spec.childIP of type string");
}

static void test_spec_fields_validated(void **state)
{
	static const char *bad[] = {
		"{\"proto\":\"tcp\",\"parentPort\":0,\"childPort\":80}",
		"{\"proto\":\"tcp\",\"parentPort\":70000,\"childPort\":80}",
		"{\"proto\":\"tcp\",\"parentPort\":8080,\"childPort\":-1}",
		"{\"proto\":\"sctp\",\"parentPort\":8080,\"childPort\":80}",
		"{\"parentPort\":8080,\"childPort\":80}",
		"{\"proto\":\"tcp\",\"parentIP\":\"1.2.3\",\"parentPort\":8080,\"childPort\":80}",
		"{\"proto\":\"tcp\",\"childIP\":\"x\",\"parentPort\":8080,\"childPort\":80}",
		"{\"proto\":\"tcp4\",\"parentIP\":\"::1\",\"parentPort\":8080,\"childPort\":80}",
	};
	struct portspec ps;
	struct apijson_spec s;
	char err[ERROR_MSGLEN];
	json_t *root;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(decode_spec(bad[i], &s, &root, err), 0);
		err[0] = '\0';
		struct error e = {0};

		assert_int_equal(portspec_from_fields(s.proto, s.parent_ip, s.parent_port,
						      s.child_ip, s.child_port, &ps, &e),
				 -EINVAL);
		assert_true(strlen(error_str(&e, err, sizeof(err))) > 0);
		json_decref(root);
	}
	assert_int_equal(decode_spec("{\"proto\":\"tcp6\",\"parentIP\":\"::1\",\"parentPort\":8080,"
				     "\"childPort\":80}",
				     &s, &root, err),
			 0);
	assert_int_equal(portspec_from_fields(s.proto, s.parent_ip, s.parent_port, s.child_ip,
					      s.child_port, &ps, NULL),
			 0);
	assert_int_equal(ps.proto, PORTSPEC_TCP6);
	json_decref(root);
}

static void test_status_dump(void **state)
{
	struct apijson_status st = {
		.id = 1,
		.spec = {.proto = "tcp",
			 .parent_ip = "127.0.0.1",
			 .parent_port = 18080,
			 .child_port = 80},
	};
	char *s;

	(void)state;
	s = apijson_status_dump(&st);
	assert_string_equal(s, "{\"id\":1,\"spec\":{\"proto\":\"tcp\",\"parentIP\":\"127.0.0.1\","
			       "\"parentPort\":18080,\"childPort\":80}}");
	free(s);
	/* childIP comes after childPort, as in Go's struct; empty strings are left out */
	st.spec.child_ip = "10.0.2.100";
	st.spec.parent_ip = "";
	s = apijson_status_dump(&st);
	assert_string_equal(s, "{\"id\":1,\"spec\":{\"proto\":\"tcp\",\"parentPort\":18080,"
			       "\"childPort\":80,\"childIP\":\"10.0.2.100\"}}");
	free(s);
}

static void test_ports_dump(void **state)
{
	struct apijson_status st[2] = {
		{.id = 1,
		 .spec = {.proto = "tcp",
			  .parent_ip = "127.0.0.1",
			  .parent_port = 18080,
			  .child_port = 80}},
		{.id = 4,
		 .spec = {.proto = "tcp6",
			  .parent_ip = "::1",
			  .parent_port = 18091,
			  .child_port = 80,
			  .child_ip = "::1"}},
	};
	char *s;

	(void)state;
	s = apijson_ports_dump(st, 0);
	assert_string_equal(s, "null");
	free(s);
	s = apijson_ports_dump(st, 2);
	assert_string_equal(s, RK_PORTS);
	free(s);
}

static void test_info_dump(void **state)
{
	struct apijson_info in = {
		.api_version = "1.1.1", /* the version RK_INFO was captured with */
		.version = "1.1.0",
		.state_dir = "/tmp/rk",
		.child_pid = 22340,
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
	char *s;

	(void)state;
	s = apijson_info_dump(&in, false);
	assert_string_equal(s, RK_INFO);
	free(s);

	in.port_driver = "slirp4netns";
	in.protos[2] = "udp";
	in.protos[3] = "udp4";
	in.n_protos = 4;
	in.disallow_loopback_child_ip = true;
	in.has_net = false;
	s = apijson_info_dump(&in, false);
	assert_string_equal(s, "{\"apiVersion\":\"1.1.1\",\"version\":\"1.1.0\",\"stateDir\":"
			       "\"/tmp/rk\",\"childPID\":22340,\"portDriver\":{\"driver\":"
			       "\"slirp4netns\",\"protos\":[\"tcp\",\"tcp4\",\"udp\",\"udp4\"],"
			       "\"disallowLoopbackChildIP\":true}}");
	free(s);

	/* --net=none: driver only; no port driver: left out */
	in.has_net = true;
	in.net_driver = "none";
	in.n_dns = 0;
	in.child_ip = NULL;
	in.has_port = false;
	s = apijson_info_dump(&in, false);
	assert_string_equal(s, "{\"apiVersion\":\"1.1.1\",\"version\":\"1.1.0\",\"stateDir\":"
			       "\"/tmp/rk\",\"childPID\":22340,\"networkDriver\":{\"driver\":"
			       "\"none\"}}");
	free(s);
}

/*
 * API 1.1.2 (rootlesskit v3.0.2 and later, PR #607): NetworkDriverInfo gained
 * `IPv6 bool json:"ipv6,omitempty"` after DynamicChildIP, set by the slirp4netns, pasta and
 * gvisor-tap-vsock drivers from --ipv6. Go's encoding/json writes it last in networkDriver,
 * and only when true.
 */
static void test_info_dump_ipv6(void **state)
{
	struct apijson_info in = {
		.api_version = APIJSON_API_VERSION,
		.version = "3.1.0",
		.state_dir = "/tmp/rk",
		.child_pid = 22340,
		.has_net = true,
		.net_driver = "slirp4netns",
		.dns = {"10.0.2.3", "fd00::3"},
		.n_dns = 2,
		.child_ip = "10.0.2.100",
		.ipv6 = true,
		.has_port = true,
		.port_driver = "builtin",
		.protos = {"tcp", "tcp4", "tcp6", "udp", "udp4", "udp6"},
		.n_protos = 6,
	};
	static const char want[] =
		"{\"apiVersion\":\"1.1.2\",\"version\":\"3.1.0\",\"stateDir\":\"/tmp/rk\","
		"\"childPID\":22340,\"networkDriver\":{\"driver\":\"slirp4netns\",\"dns\":"
		"[\"10.0.2.3\",\"fd00::3\"],\"childIP\":\"10.0.2.100\",\"ipv6\":true},"
		"\"portDriver\":{\"driver\":\"builtin\",\"protos\":[\"tcp\",\"tcp4\",\"tcp6\","
		"\"udp\",\"udp4\",\"udp6\"]}}";
	struct apijson_info back;
	char err[ERROR_MSGLEN];
	json_t *root;
	char *s;

	(void)state;
	assert_string_equal(APIJSON_API_VERSION, "1.1.2");
	s = apijson_info_dump(&in, false);
	assert_string_equal(s, want);
	free(s);

	/* decoded back, the flag survives; Go matches the key case-insensitively */
	root = t_load(want, strlen(want), err, sizeof(err));
	assert_non_null(root);
	assert_int_equal(t_info_decode(root, &back, err, sizeof(err)), 0);
	assert_true(back.ipv6);
	json_decref(root);
	root = t_load("{\"networkDriver\":{\"IPv6\":true}}", 31, err, sizeof(err));
	assert_non_null(root);
	assert_int_equal(t_info_decode(root, &back, err, sizeof(err)), 0);
	assert_true(back.ipv6);
	json_decref(root);

	/* false is left out, as omitempty does */
	in.ipv6 = false;
	in.n_dns = 1;
	s = apijson_info_dump(&in, false);
	assert_null(strstr(s, "ipv6"));
	free(s);
}

static void test_info_indent(void **state)
{
	struct apijson_info in;
	char err[ERROR_MSGLEN];
	json_t *root;
	char *s;

	(void)state;
	root = t_load(RK_INFO, strlen(RK_INFO), err, sizeof(err));
	assert_non_null(root);
	assert_int_equal(t_info_decode(root, &in, err, sizeof(err)), 0);
	s = apijson_info_dump(&in, true);
	/* rootlessctl info --json (json.MarshalIndent with four spaces) */
	assert_string_equal(s, "{\n"
			       "    \"apiVersion\": \"1.1.1\",\n"
			       "    \"version\": \"1.1.0\",\n"
			       "    \"stateDir\": \"/tmp/rk\",\n"
			       "    \"childPID\": 22340,\n"
			       "    \"networkDriver\": {\n"
			       "        \"driver\": \"slirp4netns\",\n"
			       "        \"dns\": [\n"
			       "            \"10.0.2.3\"\n"
			       "        ],\n"
			       "        \"childIP\": \"10.0.2.100\"\n"
			       "    },\n"
			       "    \"portDriver\": {\n"
			       "        \"driver\": \"builtin\",\n"
			       "        \"protos\": [\n"
			       "            \"tcp\",\n"
			       "            \"tcp4\",\n"
			       "            \"tcp6\",\n"
			       "            \"udp\",\n"
			       "            \"udp4\",\n"
			       "            \"udp6\"\n"
			       "        ]\n"
			       "    }\n"
			       "}");
	free(s);
	json_decref(root);
}

static void test_info_decode_roundtrip(void **state)
{
	struct apijson_info in;
	char err[ERROR_MSGLEN];
	json_t *root;
	char *s;

	(void)state;
	root = t_load(RK_INFO, strlen(RK_INFO), err, sizeof(err));
	assert_non_null(root);
	assert_int_equal(t_info_decode(root, &in, err, sizeof(err)), 0);
	assert_true(in.has_net);
	assert_true(in.has_port);
	assert_int_equal(in.child_pid, 22340);
	assert_int_equal(in.n_dns, 1);
	assert_string_equal(in.dns[0], "10.0.2.3");
	assert_int_equal(in.n_protos, 6);
	assert_false(in.protos_null);
	s = apijson_info_dump(&in, false);
	assert_string_equal(s, RK_INFO);
	free(s);
	json_decref(root);
}

static void test_info_decode_errors(void **state)
{
	static const struct {
		const char *body, *want;
	} cases[] = {
		{"[]", "json: cannot unmarshal array into Go value of type api.Info"},
		{"{\"childPID\":\"1\"}",
		 "json: cannot unmarshal string into Go struct field Info.childPID of type int"},
		{"{\"networkDriver\":1}", "json: cannot unmarshal number into Go struct field "
					  "Info.networkDriver of type api.NetworkDriverInfo"},
		{"{\"networkDriver\":{\"dns\":\"x\"}}",
		 "json: cannot unmarshal string into Go struct field Info.networkDriver.dns of "
		 "type []net.IP"},
		{"{\"networkDriver\":{\"dns\":[1]}}",
		 "json: cannot unmarshal number into Go struct field Info.networkDriver.dns of "
		 "type string"},
		{"{\"portDriver\":{\"protos\":[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\","
		 "\"i\","
		 "\"j\",\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"]}}",
		 "Info.portDriver.protos: more than 16 entries"},
		{"{\"portDriver\":{\"disallowLoopbackChildIP\":\"yes\"}}",
		 "json: cannot unmarshal string into Go struct field "
		 "Info.portDriver.disallowLoopbackChildIP of type bool"},
		{"{\"networkDriver\":{\"ipv6\":1}}",
		 "json: cannot unmarshal number into Go struct field Info.networkDriver.ipv6 of "
		 "type bool"},
	};
	struct apijson_info in;
	char err[ERROR_MSGLEN];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *root = t_load(cases[i].body, strlen(cases[i].body), err, sizeof(err));

		assert_non_null(root);
		err[0] = '\0';
		assert_int_equal(t_info_decode(root, &in, err, sizeof(err)), -EINVAL);
		assert_string_equal(err, cases[i].want);
		json_decref(root);
	}
}

static void test_info_decode_nulls(void **state)
{
	static const char body[] = "{\"networkDriver\":null,\"portDriver\":{\"driver\":\"x\","
				   "\"protos\":null}}";
	struct apijson_info in;
	char err[ERROR_MSGLEN];
	json_t *root;
	char *s;

	(void)state;
	root = t_load(body, strlen(body), err, sizeof(err));
	assert_non_null(root);
	assert_int_equal(t_info_decode(root, &in, err, sizeof(err)), 0);
	assert_false(in.has_net);
	assert_true(in.has_port);
	assert_true(in.protos_null);
	s = apijson_info_dump(&in, false);
	assert_string_equal(
		s, "{\"apiVersion\":\"\",\"version\":\"\",\"stateDir\":\"\",\"childPID\":0,"
		   "\"portDriver\":{\"driver\":\"x\",\"protos\":null}}");
	free(s);
	json_decref(root);
}

static void test_status_decode(void **state)
{
	static const char body[] = "{\"id\":4,\"spec\":{\"proto\":\"tcp6\",\"parentIP\":\"::1\","
				   "\"parentPort\":18091,\"childPort\":80,\"childIP\":\"::1\"}}";
	struct apijson_status st;
	char err[ERROR_MSGLEN];
	json_t *root;
	char *s;

	(void)state;
	root = t_load(body, strlen(body), err, sizeof(err));
	assert_non_null(root);
	assert_int_equal(t_status_decode(root, &st, err, sizeof(err)), 0);
	assert_int_equal(st.id, 4);
	assert_string_equal(st.spec.proto, "tcp6");
	assert_int_equal(st.spec.parent_port, 18091);
	s = apijson_status_dump(&st);
	assert_string_equal(s, body);
	free(s);
	json_decref(root);

	root = t_load("{\"spec\":{\"parentPort\":\"x\"}}", 27, err, sizeof(err));
	assert_non_null(root);
	assert_int_equal(t_status_decode(root, &st, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "json: cannot unmarshal string into Go struct field "
				 "Status.spec.parentPort of type int");
	json_decref(root);
}

static void test_error_dump(void **state)
{
	char *s;

	(void)state;
	s = apijson_error_dump("unknown id: 5");
	assert_string_equal(s, "{\"message\":\"unknown id: 5\"}\n");
	free(s);
	/* Go escapes <, > and & and quotes */
	s = apijson_error_dump("port (>= 1024) & \"x\" <y>");
	assert_string_equal(s, "{\"message\":\"port (\\u003e= 1024) \\u0026 \\\"x\\\" "
			       "\\u003cy\\u003e\"}\n");
	free(s);
	/* invalid UTF-8 becomes U+FFFD per byte; valid multi-byte text is kept */
	s = apijson_error_dump("a\xff\xfe b \xc3\xa9 \xe2\x80\xa8");
	assert_string_equal(s, "{\"message\":\"a\xef\xbf\xbd\xef\xbf\xbd b \xc3\xa9 \\u2028\"}\n");
	free(s);
	s = apijson_error_dump("nl\n");
	assert_string_equal(s, "{\"message\":\"nl\\n\"}\n");
	free(s);
}

static void test_error_decode(void **state)
{
	char err[ERROR_MSGLEN];
	json_t *root;

	(void)state;
	root = t_load("{\"message\":\"conflict with ID 1\"}\n", 34, err, sizeof(err));
	assert_non_null(root);
	assert_string_equal(apijson_error_decode(root), "conflict with ID 1");
	json_decref(root);
	root = t_load("{\"message\":5}", 13, err, sizeof(err));
	assert_null(apijson_error_decode(root));
	json_decref(root);
	root = t_load("[]", 2, err, sizeof(err));
	assert_null(apijson_error_decode(root));
	json_decref(root);
	root = t_load("{}", 2, err, sizeof(err));
	assert_string_equal(apijson_error_decode(root), "");
	json_decref(root);
}

static void test_id_parse(void **state)
{
	char err[ERROR_MSGLEN];
	long long id;

	(void)state;
	assert_int_equal(t_id_parse("1", &id, err, sizeof(err)), 0);
	assert_int_equal(id, 1);
	assert_int_equal(t_id_parse("+7", &id, err, sizeof(err)), 0);
	assert_int_equal(id, 7);
	assert_int_equal(t_id_parse("-1", &id, err, sizeof(err)), 0);
	assert_int_equal(id, -1);
	assert_int_equal(t_id_parse("9223372036854775807", &id, err, sizeof(err)), 0);
	assert_true(id == INT64_MAX);
	assert_int_equal(t_id_parse("-9223372036854775808", &id, err, sizeof(err)), 0);
	assert_true(id == INT64_MIN);

	assert_int_equal(t_id_parse("abc", &id, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad id abc: strconv.Atoi: parsing \"abc\": invalid syntax");
	assert_int_equal(t_id_parse("99999999999999999999", &id, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "bad id 99999999999999999999: strconv.Atoi: parsing "
				 "\"99999999999999999999\": value out of range");
	assert_int_equal(t_id_parse("9223372036854775808", &id, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "value out of range"));
	assert_int_equal(t_id_parse("", &id, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "invalid syntax"));
	assert_int_equal(t_id_parse("-", &id, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "invalid syntax"));
	assert_int_equal(t_id_parse("1x", &id, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "invalid syntax"));
	assert_int_equal(t_id_parse(" 1", &id, err, sizeof(err)), -EINVAL);
	assert_int_equal(t_id_parse("1_0", &id, err, sizeof(err)), -EINVAL);
}

static void test_quote(void **state)
{
	char buf[64];

	(void)state;
	assert_string_equal(gojson_quote("a\"b\\", buf, sizeof(buf)), "\"a\\\"b\\\\\"");
	assert_string_equal(gojson_quote("\n\t\x01\x7f", buf, sizeof(buf)), "\"\\n\\t\\x01\\x7f\"");
	assert_string_equal(gojson_quote("\xc3\xa9\xff", buf, sizeof(buf)), "\"\xc3\xa9\\xff\"");
	/* cut to fit, still quoted */
	assert_string_equal(gojson_quote("abcdef", buf, 6), "\"abc\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_eof),
		cmocka_unit_test(test_load_syntax),
		cmocka_unit_test(test_load_nul_inside),
		cmocka_unit_test(test_load_trailing_ignored),
		cmocka_unit_test(test_spec_decode_full),
		cmocka_unit_test(test_spec_decode_absent_and_null),
		cmocka_unit_test(test_spec_decode_case),
		cmocka_unit_test(test_spec_decode_type_errors),
		cmocka_unit_test(test_spec_fields_validated),
		cmocka_unit_test(test_status_dump),
		cmocka_unit_test(test_ports_dump),
		cmocka_unit_test(test_info_dump),
		cmocka_unit_test(test_info_indent),
		cmocka_unit_test(test_info_dump_ipv6),
		cmocka_unit_test(test_info_decode_roundtrip),
		cmocka_unit_test(test_info_decode_errors),
		cmocka_unit_test(test_info_decode_nulls),
		cmocka_unit_test(test_status_decode),
		cmocka_unit_test(test_error_dump),
		cmocka_unit_test(test_error_decode),
		cmocka_unit_test(test_id_parse),
		cmocka_unit_test(test_quote),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

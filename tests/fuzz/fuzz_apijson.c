/* fuzz_apijson.c - fuzz harness: the API's JSON, as the server and the clients decode it */
/**
 * DOC: Theory of operation
 *
 * The input is a body. It is parsed as Go's decoder would (t_load()) and decoded every
 * way one arrives: as a POST /v1/ports spec, whose fields then go through
 * portspec_from_fields() as on the server; as a /v1/info answer, a /v1/ports answer (an
 * array of statuses, or one status from POST) and an error answer, as rootlessnetctl and
 * rootlessnet-docker-proxy decode them, each printed the way rootlessnetctl prints it. A
 * string value is also taken as a port ID ({id} of DELETE) and quoted as Go's %q.
 *
 * Besides the sanitizers' findings the harness checks that what decodes survives the trip
 * back: encoding a decoded value (as the server answers, or as the client sends a spec),
 * loading that text and decoding it again gives the same fields.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "apijson.h"
#include "ctlfmt.h"
#include "error.h"
#include "errtext.h"
#include "fuzz.h"
#include "gojson.h"
#include "portmap.h"
#include "util.h"

/* Ports of an array answer printed as a table at most */
#define APIJSON_FUZZ_MAX_LIST 64

static FILE *apijson_devnull;

/**
 * LLVMFuzzerInitialize() - Open the sink of printed output
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_LVL_DEBUG);
	apijson_devnull = fopen("/dev/null", "we");
	if (!apijson_devnull)
		abort();
	return 0;
}

/**
 * apijson_fuzz_same() - Whether two decoded strings are the same (absent equals "")
 * @a:		string or NULL
 * @b:		string or NULL
 *
 * Return: true if equal
 */
static bool apijson_fuzz_same(const char *a, const char *b)
{
	return !strcmp(a ? a : "", b ? b : "");
}

/**
 * apijson_fuzz_reload() - Load dumped text, which must be valid JSON
 * @text:	malloc'd text, freed here; NULL (out of memory) aborts
 *
 * Return: the value
 */
static json_t *apijson_fuzz_reload(char *text)
{
	char err[ERROR_MSGLEN];
	json_t *v;

	fuzz_assert(text, "nothing dumped");
	v = t_load(text, strlen(text), err, sizeof(err));
	fuzz_assert(v, "dumped text does not load: %s: %s", err, text);
	free(text);
	return v;
}

/**
 * apijson_fuzz_spec_same() - Compare two decoded specs
 * @a:		one
 * @b:		the other
 *
 * Return: true if every field is the same
 */
static bool apijson_fuzz_spec_same(const struct apijson_spec *a, const struct apijson_spec *b)
{
	return apijson_fuzz_same(a->proto, b->proto) &&
	       apijson_fuzz_same(a->parent_ip, b->parent_ip) &&
	       apijson_fuzz_same(a->child_ip, b->child_ip) && a->parent_port == b->parent_port &&
	       a->child_port == b->child_port;
}

/**
 * apijson_fuzz_spec() - A POST /v1/ports body, as the server takes it, and as a client sends it
 * @root:	the body
 *
 * Return: nothing; aborts on a broken promise
 */
static void apijson_fuzz_spec(const json_t *root)
{
	char err[ERROR_MSGLEN];
	struct apijson_spec s, again;
	struct portspec spec;
	json_t *o, *r;

	if (t_spec_decode(root, &s, err, sizeof(err))) {
		fuzz_assert(*err, "spec refused without a reason");
		return;
	}
	if (!portspec_from_fields(s.proto, s.parent_ip, s.parent_port, s.child_ip, s.child_port,
				  &spec, NULL)) {
		char fmt[PORTSPEC_FMTLEN];

		/* the server logs what it adds */
		portspec_format(&spec, fmt, sizeof(fmt));
	}
	/* the client's encoding (ctl_add_port()) */
	o = apijson_spec_encode(&s);
	fuzz_assert(o, "spec not encoded");
	r = apijson_fuzz_reload(gojson_dump(o, false));
	json_decref(o);
	fuzz_assert(!t_spec_decode(r, &again, err, sizeof(err)), "%s", err);
	fuzz_assert(apijson_fuzz_spec_same(&s, &again), "spec changed on the way back");
	json_decref(r);
}

/**
 * apijson_fuzz_status() - A POST /v1/ports answer (or an entry of GET /v1/ports)
 * @root:	the value
 * @out:	the decoded status
 *
 * Return: 0 if it decoded, else -EINVAL
 */
static int apijson_fuzz_status(const json_t *root, struct apijson_status *out)
{
	char err[ERROR_MSGLEN];
	struct apijson_status again;
	json_t *r;

	if (t_status_decode(root, out, err, sizeof(err))) {
		fuzz_assert(*err, "status refused without a reason");
		return -EINVAL;
	}
	r = apijson_fuzz_reload(apijson_status_dump(out));
	fuzz_assert(!t_status_decode(r, &again, err, sizeof(err)), "%s", err);
	fuzz_assert(again.id == out->id && apijson_fuzz_spec_same(&out->spec, &again.spec),
		    "status changed on the way back");
	json_decref(r);
	return 0;
}

/**
 * apijson_fuzz_list() - A GET /v1/ports answer, printed as rootlessnetctl list-ports does
 * @root:	the value
 *
 * Return: nothing; aborts on a broken promise
 */
static void apijson_fuzz_list(const json_t *root)
{
	struct apijson_status st[APIJSON_FUZZ_MAX_LIST];
	size_t n = 0;
	json_t *v;
	size_t i;

	if (!json_is_array(root))
		return;
	json_array_foreach(root, i, v)
	{
		if (n == ARRAY_SIZE(st) || apijson_fuzz_status(v, &st[n]))
			return;
		n++;
	}
	ctlfmt_ports_table(apijson_devnull, st, n);
	/* the server's answer for the same ports, which must be valid JSON */
	json_decref(apijson_fuzz_reload(apijson_ports_dump(st, n)));
}

/**
 * apijson_fuzz_info() - A GET /v1/info answer, printed as rootlessnetctl info does
 * @root:	the value
 *
 * Return: nothing; aborts on a broken promise
 */
static void apijson_fuzz_info(const json_t *root)
{
	struct apijson_info in, again;
	char err[ERROR_MSGLEN];

	if (t_info_decode(root, &in, err, sizeof(err))) {
		fuzz_assert(*err, "info refused without a reason");
		return;
	}
	fuzz_assert(in.n_dns <= APIJSON_MAX_DNS && in.n_protos <= APIJSON_MAX_PROTOS, "%zu %zu",
		    in.n_dns, in.n_protos);
	ctlfmt_info_text(apijson_devnull, &in);
	for (int indent = 0; indent < 2; indent++) {
		json_t *r = apijson_fuzz_reload(apijson_info_dump(&in, indent));

		fuzz_assert(!t_info_decode(r, &again, err, sizeof(err)), "%s", err);
		fuzz_assert(apijson_fuzz_same(in.api_version, again.api_version) &&
				    apijson_fuzz_same(in.version, again.version) &&
				    apijson_fuzz_same(in.state_dir, again.state_dir) &&
				    in.child_pid == again.child_pid &&
				    in.has_net == again.has_net && in.has_port == again.has_port,
			    "info changed on the way back");
		if (in.has_net) {
			fuzz_assert(apijson_fuzz_same(in.net_driver, again.net_driver) &&
					    apijson_fuzz_same(in.child_ip, again.child_ip) &&
					    in.dynamic_child_ip == again.dynamic_child_ip &&
					    in.ipv6 == again.ipv6 && in.n_dns == again.n_dns,
				    "networkDriver changed on the way back");
			for (size_t i = 0; i < in.n_dns; i++)
				fuzz_assert(apijson_fuzz_same(in.dns[i], again.dns[i]), "dns[%zu]",
					    i);
		}
		if (in.has_port) {
			fuzz_assert(apijson_fuzz_same(in.port_driver, again.port_driver) &&
					    in.protos_null == again.protos_null &&
					    in.n_protos == again.n_protos &&
					    in.disallow_loopback_child_ip ==
						    again.disallow_loopback_child_ip,
				    "portDriver changed on the way back");
			for (size_t i = 0; i < in.n_protos; i++)
				fuzz_assert(apijson_fuzz_same(in.protos[i], again.protos[i]),
					    "protos[%zu]", i);
		}
		json_decref(r);
	}
}

/**
 * apijson_fuzz_error() - An error answer, as rootlesskit's client reads it
 * @root:	the value
 *
 * Return: nothing; aborts on a broken promise
 */
static void apijson_fuzz_error(const json_t *root)
{
	const char *msg = apijson_error_decode(root);
	json_t *r;

	if (!msg)
		return;
	/* the server's error body for the same message */
	r = apijson_fuzz_reload(apijson_error_dump(msg));
	fuzz_assert(apijson_fuzz_same(apijson_error_decode(r), msg),
		    "message changed on the way back");
	json_decref(r);
}

/**
 * apijson_fuzz_string() - A string value as a port ID and through Go's %q
 * @s:		the string
 *
 * Return: nothing; aborts on a broken promise
 */
static void apijson_fuzz_string(const char *s)
{
	static const size_t lens[] = {0, 1, 2, 3, 4, 7, 64, 512};
	char err[ERROR_MSGLEN], q[512];
	long long id;

	if (t_id_parse(s, &id, err, sizeof(err)))
		fuzz_assert(*err, "id refused without a reason");
	for (size_t i = 0; i < ARRAY_SIZE(lens); i++) {
		memset(q, 'x', sizeof(q));
		gojson_quote(s, q, lens[i]);
		if (!lens[i])
			continue;
		fuzz_assert(memchr(q, '\0', lens[i]), "quote overran %zu bytes", lens[i]);
		fuzz_assert(lens[i] < 3 ||
				    (q[0] == '"' && q[strlen(q) - 1] == '"' && strlen(q) >= 2),
			    "quote of %zu bytes: %s", lens[i], q);
	}
}

/**
 * LLVMFuzzerTestOneInput() - A JSON body
 * @data:	input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[ERROR_MSGLEN] = "";
	struct apijson_status st;
	json_t *root;

	root = t_load((const char *)data, size, err, sizeof(err));
	if (!root) {
		fuzz_assert(*err, "refused without a reason");
		return 0;
	}
	apijson_fuzz_spec(root);
	apijson_fuzz_status(root, &st);
	apijson_fuzz_list(root);
	apijson_fuzz_info(root);
	apijson_fuzz_error(root);
	if (json_is_string(root))
		apijson_fuzz_string(json_string_value(root));
	json_decref(root);
	return 0;
}

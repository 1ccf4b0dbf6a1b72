/* apijson.c - the REST API's JSON: port specs and statuses, info, errors, as rootlesskit's Go */
/**
 * DOC: Theory of operation
 *
 * rootlesskit's API is Go's encoding/json over three structs, port.Spec, port.Status and
 * api.Info, plus its {"message":...} errors; clients (dockerd, rootlesskit-docker-proxy,
 * rootlessctl) see their exact bytes. This file describes those structs, field for field in
 * Go's declaration order with their omitempty rules, and leaves the Go behaviour itself to
 * gojson.c; it knows nothing of HTTP or of the port table. An empty port list is `null`
 * (Go's nil slice); an error body ends with the newline json.Encoder writes. Field values
 * (proto names, addresses, port ranges) are checked by the caller (portspec_from_fields()
 * on the server).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apijson.h"
#include "error.h"
#include "gojson.h"
#include "util.h"

static const struct gojson_field apijson_spec_fields[] = {
	GOJSON_FIELD(struct apijson_spec, "proto", proto, GOJSON_STR, "string"),
	GOJSON_FIELD(struct apijson_spec, "parentIP", parent_ip, GOJSON_STR, "string"),
	GOJSON_FIELD(struct apijson_spec, "parentPort", parent_port, GOJSON_INT, "int"),
	GOJSON_FIELD(struct apijson_spec, "childPort", child_port, GOJSON_INT, "int"),
	GOJSON_FIELD(struct apijson_spec, "childIP", child_ip, GOJSON_STR, "string"),
};

static const struct gojson_field apijson_status_fields[] = {
	GOJSON_FIELD(struct apijson_status, "id", id, GOJSON_INT, "int"),
	{.name = "spec",
	 .kind = GOJSON_OBJ,
	 .gotype = "port.Spec",
	 .off = offsetof(struct apijson_status, spec),
	 .n_off = SIZE_MAX,
	 .null_off = SIZE_MAX,
	 .sub = apijson_spec_fields,
	 .n_sub = ARRAY_SIZE(apijson_spec_fields)},
};

static const struct gojson_field apijson_netinfo_fields[] = {
	GOJSON_FIELD(struct apijson_info, "driver", net_driver, GOJSON_STR, "string"),
	{.name = "dns",
	 .kind = GOJSON_STRS,
	 .gotype = "[]net.IP",
	 .off = offsetof(struct apijson_info, dns),
	 .n_off = offsetof(struct apijson_info, n_dns),
	 .null_off = SIZE_MAX,
	 .max = APIJSON_MAX_DNS},
	GOJSON_FIELD(struct apijson_info, "childIP", child_ip, GOJSON_STR, "net.IP"),
	GOJSON_FIELD(struct apijson_info, "dynamicChildIP", dynamic_child_ip, GOJSON_BOOL, "bool"),
	GOJSON_FIELD(struct apijson_info, "ipv6", ipv6, GOJSON_BOOL, "bool"),
};

static const struct gojson_field apijson_portinfo_fields[] = {
	GOJSON_FIELD(struct apijson_info, "driver", port_driver, GOJSON_STR, "string"),
	{.name = "protos",
	 .kind = GOJSON_STRS,
	 .gotype = "[]string",
	 .off = offsetof(struct apijson_info, protos),
	 .n_off = offsetof(struct apijson_info, n_protos),
	 .null_off = offsetof(struct apijson_info, protos_null),
	 .max = APIJSON_MAX_PROTOS},
	GOJSON_FIELD(struct apijson_info, "disallowLoopbackChildIP", disallow_loopback_child_ip,
		     GOJSON_BOOL, "bool"),
};

static const struct gojson_field apijson_info_fields[] = {
	GOJSON_FIELD(struct apijson_info, "apiVersion", api_version, GOJSON_STR, "string"),
	GOJSON_FIELD(struct apijson_info, "version", version, GOJSON_STR, "string"),
	GOJSON_FIELD(struct apijson_info, "stateDir", state_dir, GOJSON_STR, "string"),
	GOJSON_FIELD(struct apijson_info, "childPID", child_pid, GOJSON_INT, "int"),
	{.name = "networkDriver",
	 .kind = GOJSON_OBJ,
	 .gotype = "api.NetworkDriverInfo",
	 .off = 0,
	 .n_off = offsetof(struct apijson_info, has_net),
	 .null_off = SIZE_MAX,
	 .sub = apijson_netinfo_fields,
	 .n_sub = ARRAY_SIZE(apijson_netinfo_fields)},
	{.name = "portDriver",
	 .kind = GOJSON_OBJ,
	 .gotype = "api.PortDriverInfo",
	 .off = 0,
	 .n_off = offsetof(struct apijson_info, has_port),
	 .null_off = SIZE_MAX,
	 .sub = apijson_portinfo_fields,
	 .n_sub = ARRAY_SIZE(apijson_portinfo_fields)},
};

/**
 * apijson_spec_decode() - Decode a port.Spec (POST /v1/ports body)
 * @root:	parsed body
 * @out:	fields, views into @root; absent ones NULL or 0
 * @e:		Go's message on failure
 *
 * Return: 0 or -EINVAL
 */
int apijson_spec_decode(const json_t *root, struct apijson_spec *out, struct error *e)
{
	memset(out, 0, sizeof(*out));
	return gojson_decode(root, "Spec", "port.Spec", apijson_spec_fields,
			     ARRAY_SIZE(apijson_spec_fields), out, e);
}

/**
 * apijson_status_decode() - Decode a port.Status (POST answer, GET /v1/ports entries)
 * @root:	the value
 * @out:	fields, views into @root
 * @e:		Go's message on failure
 *
 * Return: 0 or -EINVAL
 */
int apijson_status_decode(const json_t *root, struct apijson_status *out, struct error *e)
{
	memset(out, 0, sizeof(*out));
	return gojson_decode(root, "Status", "port.Status", apijson_status_fields,
			     ARRAY_SIZE(apijson_status_fields), out, e);
}

/**
 * apijson_info_decode() - Decode an api.Info (GET /v1/info answer)
 * @root:	the value
 * @out:	fields, views into @root
 * @e:		Go's message on failure
 *
 * Return: 0 or -EINVAL
 */
int apijson_info_decode(const json_t *root, struct apijson_info *out, struct error *e)
{
	memset(out, 0, sizeof(*out));
	out->protos_null = true;
	return gojson_decode(root, "Info", "api.Info", apijson_info_fields,
			     ARRAY_SIZE(apijson_info_fields), out, e);
}

/**
 * apijson_error_decode() - The message of an error body, as rootlesskit's client reads it
 * @root:	parsed body
 *
 * Return: the "message" string (a view into @root), or NULL if the body is not an ErrorJSON
 */
const char *apijson_error_decode(const json_t *root)
{
	const char *key;
	json_t *v;
	const char *msg = "";

	if (json_is_null(root))
		return msg;
	if (!json_is_object(root))
		return NULL;
	json_object_foreach((json_t *)root, key, v)
	{
		if (strcasecmp(key, "message") != 0)
			continue;
		if (json_is_string(v))
			msg = json_string_value(v);
		else if (!json_is_null(v))
			return NULL;
	}
	return msg;
}

/**
 * apijson_spec_encode() - Encode a port.Spec: proto, parentIP, parentPort, childPort, childIP
 * @s:		fields; empty strings and zero ports are left out (omitempty)
 *
 * Return: new object, or NULL when out of memory
 */
json_t *apijson_spec_encode(const struct apijson_spec *s)
{
	json_t *o = json_object();
	int ret = 0;

	if (!o)
		return NULL;
	if (s->proto && *s->proto)
		ret |= gojson_set(o, "proto", gojson_str(s->proto));
	if (s->parent_ip && *s->parent_ip)
		ret |= gojson_set(o, "parentIP", gojson_str(s->parent_ip));
	if (s->parent_port)
		ret |= gojson_set(o, "parentPort", json_integer(s->parent_port));
	if (s->child_port)
		ret |= gojson_set(o, "childPort", json_integer(s->child_port));
	if (s->child_ip && *s->child_ip)
		ret |= gojson_set(o, "childIP", gojson_str(s->child_ip));
	if (ret) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/**
 * apijson_status_encode() - Encode a port.Status: {"id":N,"spec":{...}}
 * @st:		status
 *
 * Return: new object, or NULL when out of memory
 */
static json_t *apijson_status_encode(const struct apijson_status *st)
{
	json_t *o = json_object();

	if (!o)
		return NULL;
	if (gojson_set(o, "id", json_integer(st->id)) ||
	    gojson_set(o, "spec", apijson_spec_encode(&st->spec))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/**
 * apijson_status_dump() - The body of a POST /v1/ports answer
 * @st:		status
 *
 * Return: malloc'd text, or NULL when out of memory
 */
char *apijson_status_dump(const struct apijson_status *st)
{
	return gojson_dump_new(apijson_status_encode(st), false);
}

/**
 * apijson_ports_dump() - The body of a GET /v1/ports answer
 * @st:		statuses
 * @n:		number of @st; 0 gives "null", as rootlesskit's nil slice
 *
 * Return: malloc'd text, or NULL when out of memory
 */
char *apijson_ports_dump(const struct apijson_status *st, size_t n)
{
	json_t *a;

	if (!n)
		return strdup("null");
	a = json_array();
	if (!a)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (json_array_append_new(a, apijson_status_encode(&st[i]))) {
			json_decref(a);
			return NULL;
		}
	}
	return gojson_dump_new(a, false);
}

/**
 * apijson_info_encode() - Encode an api.Info in Go's field order, omitempty honoured
 * @in:		info
 *
 * Return: new object, or NULL when out of memory
 */
static json_t *apijson_info_encode(const struct apijson_info *in)
{
	json_t *o = json_object(), *nd = NULL, *pd = NULL;
	int ret = 0;

	if (!o)
		return NULL;
	ret |= gojson_set(o, "apiVersion", gojson_str(in->api_version));
	ret |= gojson_set(o, "version", gojson_str(in->version));
	ret |= gojson_set(o, "stateDir", gojson_str(in->state_dir));
	ret |= gojson_set(o, "childPID", json_integer(in->child_pid));
	if (in->has_net) {
		nd = json_object();
		ret |= gojson_set(o, "networkDriver", nd);
		if (nd) {
			ret |= gojson_set(nd, "driver", gojson_str(in->net_driver));
			if (in->n_dns)
				ret |= gojson_set(nd, "dns", gojson_strs(in->dns, in->n_dns));
			if (in->child_ip && *in->child_ip)
				ret |= gojson_set(nd, "childIP", gojson_str(in->child_ip));
			if (in->dynamic_child_ip)
				ret |= gojson_set(nd, "dynamicChildIP", json_true());
			if (in->ipv6)
				ret |= gojson_set(nd, "ipv6", json_true());
		}
	}
	if (in->has_port) {
		pd = json_object();
		ret |= gojson_set(o, "portDriver", pd);
		if (pd) {
			ret |= gojson_set(pd, "driver", gojson_str(in->port_driver));
			ret |= gojson_set(pd, "protos",
					  in->protos_null ? json_null()
							  : gojson_strs(in->protos, in->n_protos));
			if (in->disallow_loopback_child_ip)
				ret |= gojson_set(pd, "disallowLoopbackChildIP", json_true());
		}
	}
	if (ret) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/**
 * apijson_info_dump() - The body of a GET /v1/info answer, or rootlessctl info --json
 * @in:		info
 * @indent:	indented with 4 spaces (rootlessctl's --json)
 *
 * Return: malloc'd text, or NULL when out of memory
 */
char *apijson_info_dump(const struct apijson_info *in, bool indent)
{
	return gojson_dump_new(apijson_info_encode(in), indent);
}

/**
 * apijson_error_dump() - An error body: {"message":...} and a newline (Go's json.Encoder)
 * @msg:	message
 *
 * Return: malloc'd text, or NULL when out of memory
 */
char *apijson_error_dump(const char *msg)
{
	json_t *o = json_object();
	cleanup_free char *s = NULL;
	char *out;
	size_t n;

	if (!o)
		return NULL;
	if (gojson_set(o, "message", gojson_str(msg))) {
		json_decref(o);
		return NULL;
	}
	s = gojson_dump_new(o, false);
	if (!s)
		return NULL;
	n = strlen(s);
	out = malloc(n + 2);
	if (!out)
		/* cleanup_free releases it */ // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
		return NULL;
	memcpy(out, s, n);
	out[n] = '\n';
	out[n + 1] = '\0';
	return out;
}

/**
 * apijson_id_parse() - Parse a port ID from a URL as Go's strconv.Atoi, rootlesskit's message
 * @s:		the {id} path element
 * @out:	the value
 * @e:		"bad id X: strconv.Atoi: parsing \"X\": invalid syntax|value out of range"
 *
 * Return: 0 or -EINVAL
 */
int apijson_id_parse(const char *s, long long *out, struct error *e)
{
	struct error why = {0};

	if (!gojson_atoi(s, out, &why))
		return 0;
	return error_plain(e, EINVAL, "bad id %s: %s", s, why.msg);
}

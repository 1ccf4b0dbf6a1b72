/* apijson.c - the REST API's JSON: port specs and statuses, info, errors, as rootlesskit's Go */
/**
 * DOC: Theory of operation
 *
 * rootlesskit's API is Go's encoding/json over a few structs (port.Spec, port.Status,
 * api.Info); clients (dockerd, rootlesskit-docker-proxy, rootlessctl) see its exact bytes.
 * This file reproduces them with jansson, with no knowledge of HTTP or of the port table:
 *
 * - Output: struct fields in Go's declaration order, `omitempty` fields left out when zero,
 *   compact, and Go's HTML-safe escaping of <, > and & (and U+2028/U+2029) applied to the
 *   dumped text; strings that are not valid UTF-8 get U+FFFD per bad byte, as Go does.
 *   An empty port list is `null` (Go's nil slice). Errors are {"message":...} plus the
 *   newline json.Encoder writes.
 * - Input: the first JSON value of the body (Go's Decoder ignores what follows); an empty
 *   body is "EOF", a cut one "unexpected EOF". Every field is type-checked: a JSON value of
 *   the wrong kind is refused with Go's UnmarshalTypeError text, null leaves a field absent,
 *   keys match exactly or else case-insensitively (later keys win), unknown keys are
 *   ignored. Field values (proto names, addresses, port ranges) are checked by the caller
 *   (portspec_from_fields() on the server).
 *
 * Decoded strings are views into the jansson tree, valid while the caller holds it.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "apijson.h"
#include "util.h"

/**
 * enum apijson_kind - how a struct field is decoded
 * @AJ_STR:	string, stored as const char *
 * @AJ_INT:	integer, stored as long long
 * @AJ_BOOL:	boolean, stored as bool
 * @AJ_STRS:	array of strings, stored in const char *[@max] with a size_t count
 * @AJ_OBJ:	object decoded with @sub into the same base
 */
enum apijson_kind {
	AJ_STR,
	AJ_INT,
	AJ_BOOL,
	AJ_STRS,
	AJ_OBJ,
};

/**
 * struct apijson_field - one field of a Go struct
 * @name:	JSON key
 * @kind:	decoding
 * @gotype:	Go type in messages
 * @off:	offset of the value in the base struct
 * @n_off:	AJ_STRS: offset of the size_t count; AJ_OBJ: offset of the bool "present"
 * @null_off:	AJ_STRS: offset of a bool set when the value is null, or SIZE_MAX
 * @max:	AJ_STRS: capacity
 * @sub:	AJ_OBJ: fields of the nested struct
 * @n_sub:	AJ_OBJ: number of @sub
 */
struct apijson_field {
	const char *name;
	enum apijson_kind kind;
	const char *gotype;
	size_t off;
	size_t n_off;
	size_t null_off;
	size_t max;
	const struct apijson_field *sub;
	size_t n_sub;
};

#define AJ_FIELD(st, key, member, k, t)                                                            \
	{                                                                                          \
		.name = (key), .kind = (k), .gotype = (t), .off = offsetof(st, member),            \
		.null_off = SIZE_MAX                                                               \
	}

static const struct apijson_field apijson_spec_fields[] = {
	AJ_FIELD(struct apijson_spec, "proto", proto, AJ_STR, "string"),
	AJ_FIELD(struct apijson_spec, "parentIP", parent_ip, AJ_STR, "string"),
	AJ_FIELD(struct apijson_spec, "parentPort", parent_port, AJ_INT, "int"),
	AJ_FIELD(struct apijson_spec, "childPort", child_port, AJ_INT, "int"),
	AJ_FIELD(struct apijson_spec, "childIP", child_ip, AJ_STR, "string"),
};

static const struct apijson_field apijson_status_fields[] = {
	AJ_FIELD(struct apijson_status, "id", id, AJ_INT, "int"),
	{.name = "spec",
	 .kind = AJ_OBJ,
	 .gotype = "port.Spec",
	 .off = offsetof(struct apijson_status, spec),
	 .n_off = SIZE_MAX,
	 .null_off = SIZE_MAX,
	 .sub = apijson_spec_fields,
	 .n_sub = ARRAY_SIZE(apijson_spec_fields)},
};

static const struct apijson_field apijson_netinfo_fields[] = {
	AJ_FIELD(struct apijson_info, "driver", net_driver, AJ_STR, "string"),
	{.name = "dns",
	 .kind = AJ_STRS,
	 .gotype = "[]net.IP",
	 .off = offsetof(struct apijson_info, dns),
	 .n_off = offsetof(struct apijson_info, n_dns),
	 .null_off = SIZE_MAX,
	 .max = APIJSON_MAX_DNS},
	AJ_FIELD(struct apijson_info, "childIP", child_ip, AJ_STR, "net.IP"),
	AJ_FIELD(struct apijson_info, "dynamicChildIP", dynamic_child_ip, AJ_BOOL, "bool"),
};

static const struct apijson_field apijson_portinfo_fields[] = {
	AJ_FIELD(struct apijson_info, "driver", port_driver, AJ_STR, "string"),
	{.name = "protos",
	 .kind = AJ_STRS,
	 .gotype = "[]string",
	 .off = offsetof(struct apijson_info, protos),
	 .n_off = offsetof(struct apijson_info, n_protos),
	 .null_off = offsetof(struct apijson_info, protos_null),
	 .max = APIJSON_MAX_PROTOS},
	AJ_FIELD(struct apijson_info, "disallowLoopbackChildIP", disallow_loopback_child_ip,
		 AJ_BOOL, "bool"),
};

static const struct apijson_field apijson_info_fields[] = {
	AJ_FIELD(struct apijson_info, "apiVersion", api_version, AJ_STR, "string"),
	AJ_FIELD(struct apijson_info, "version", version, AJ_STR, "string"),
	AJ_FIELD(struct apijson_info, "stateDir", state_dir, AJ_STR, "string"),
	AJ_FIELD(struct apijson_info, "childPID", child_pid, AJ_INT, "int"),
	{.name = "networkDriver",
	 .kind = AJ_OBJ,
	 .gotype = "api.NetworkDriverInfo",
	 .off = 0,
	 .n_off = offsetof(struct apijson_info, has_net),
	 .null_off = SIZE_MAX,
	 .sub = apijson_netinfo_fields,
	 .n_sub = ARRAY_SIZE(apijson_netinfo_fields)},
	{.name = "portDriver",
	 .kind = AJ_OBJ,
	 .gotype = "api.PortDriverInfo",
	 .off = 0,
	 .n_off = offsetof(struct apijson_info, has_port),
	 .null_off = SIZE_MAX,
	 .sub = apijson_portinfo_fields,
	 .n_sub = ARRAY_SIZE(apijson_portinfo_fields)},
};

/**
 * apijson_msg() - Write a message into a caller's buffer
 * @err:	buffer, may be NULL
 * @errlen:	size of @err
 * @fmt:	printf format
 *
 * Return: nothing
 */
static void __attribute__((format(printf, 3, 4)))
apijson_msg(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || !errlen)
		return;
	va_start(ap, fmt);
	/* clang-analyzer misreads this va_list */ // NOLINTNEXTLINE(clang-analyzer-valist.Uninitialized)
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

/**
 * apijson_load() - Parse the first JSON value of a body, as Go's json.Decoder.Decode
 * @buf:	body, not NUL-terminated
 * @len:	bytes in @buf
 * @err:	Go's text on failure ("EOF", "unexpected EOF") or jansson's for a syntax error
 * @errlen:	size of @err
 *
 * Return: the value (caller's reference), or NULL
 */
json_t *apijson_load(const char *buf, size_t len, char *err, size_t errlen)
{
	json_error_t e;
	json_t *v;
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r')
			break;
	}
	if (i == len) {
		apijson_msg(err, errlen, "EOF");
		return NULL;
	}
	v = json_loadb(buf, len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &e);
	if (v)
		return v;
	if (json_error_code(&e) == json_error_premature_end_of_input)
		apijson_msg(err, errlen, "unexpected EOF");
	else
		apijson_msg(err, errlen, "invalid JSON at line %d, column %d: %s", e.line, e.column,
			    e.text);
	return NULL;
}

/**
 * apijson_kind_name() - Go's name for the kind of a JSON value, in UnmarshalTypeError
 * @v:		value
 * @literal:	for a number, append its text as Go does for numbers into integers
 * @buf:	room for the name
 * @len:	size of @buf
 *
 * Return: @buf
 */
static const char *apijson_kind_name(const json_t *v, bool literal, char *buf, size_t len)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		snprintf(buf, len, "string");
		break;
	case JSON_INTEGER:
		if (literal)
			snprintf(buf, len, "number %" JSON_INTEGER_FORMAT, json_integer_value(v));
		else
			snprintf(buf, len, "number");
		break;
	case JSON_REAL:
		if (literal) {
			double d = json_real_value(v);
			int prec;

			/* the shortest text that reads back as the same number */
			for (prec = 1; prec < 17; prec++) {
				snprintf(buf, len, "number %.*g", prec, d);
				if (strtod(buf + 7, NULL) == d)
					break;
			}
			if (prec == 17)
				snprintf(buf, len, "number %.17g", d);
		} else {
			snprintf(buf, len, "number");
		}
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		snprintf(buf, len, "bool");
		break;
	case JSON_ARRAY:
		snprintf(buf, len, "array");
		break;
	case JSON_OBJECT:
		snprintf(buf, len, "object");
		break;
	default:
		snprintf(buf, len, "null");
		break;
	}
	return buf;
}

/**
 * apijson_type_error() - Go's UnmarshalTypeError for a struct field
 * @v:		the JSON value found
 * @path:	struct and field path, e.g. "Spec.parentPort"
 * @f:		the field
 * @err:	message buffer
 * @errlen:	size of @err
 *
 * Return: -EINVAL
 */
static int apijson_type_error(const json_t *v, const char *path, const struct apijson_field *f,
			      char *err, size_t errlen)
{
	char kind[64];

	apijson_kind_name(v, f->kind == AJ_INT, kind, sizeof(kind));
	apijson_msg(err, errlen, "json: cannot unmarshal %s into Go struct field %s of type %s",
		    kind, path, f->gotype);
	return -EINVAL;
}

static int apijson_obj_decode(const json_t *o, const char *path, const struct apijson_field *f,
			      size_t nf, char *base, char *err, size_t errlen);

/**
 * apijson_field_decode() - Decode one field's value
 * @v:		the value (not null)
 * @path:	struct and field path for messages
 * @f:		the field
 * @base:	struct to fill
 * @err:	message buffer
 * @errlen:	size of @err
 *
 * Return: 0, or -EINVAL with Go's message
 */
static int apijson_field_decode(const json_t *v, const char *path, const struct apijson_field *f,
				char *base, char *err, size_t errlen)
{
	switch (f->kind) {
	case AJ_STR:
		if (!json_is_string(v))
			return apijson_type_error(v, path, f, err, errlen);
		*(const char **)(base + f->off) = json_string_value(v);
		return 0;
	case AJ_INT:
		if (!json_is_integer(v))
			return apijson_type_error(v, path, f, err, errlen);
		*(long long *)(base + f->off) = json_integer_value(v);
		return 0;
	case AJ_BOOL:
		if (!json_is_boolean(v))
			return apijson_type_error(v, path, f, err, errlen);
		*(bool *)(base + f->off) = json_is_true(v);
		return 0;
	case AJ_STRS: {
		const char **arr = (const char **)(base + f->off);
		size_t *n = (size_t *)(base + f->n_off);
		const json_t *e;
		size_t i;

		if (!json_is_array(v))
			return apijson_type_error(v, path, f, err, errlen);
		if (json_array_size(v) > f->max) {
			apijson_msg(err, errlen, "%s: more than %zu entries", path, f->max);
			return -EINVAL;
		}
		json_array_foreach(v, i, e)
		{
			if (!json_is_string(e)) {
				char kind[64];

				apijson_msg(err, errlen,
					    "json: cannot unmarshal %s into Go struct field %s of "
					    "type %s",
					    apijson_kind_name(e, false, kind, sizeof(kind)), path,
					    "string");
				return -EINVAL;
			}
			arr[i] = json_string_value(e);
		}
		*n = json_array_size(v);
		if (f->null_off != SIZE_MAX)
			*(bool *)(base + f->null_off) = false;
		return 0;
	}
	case AJ_OBJ:
		if (!json_is_object(v))
			return apijson_type_error(v, path, f, err, errlen);
		if (f->n_off != SIZE_MAX)
			*(bool *)(base + f->n_off) = true;
		return apijson_obj_decode(v, path, f->sub, f->n_sub, base + f->off, err, errlen);
	}
	return -EINVAL;
}

/**
 * apijson_obj_decode() - Decode an object's keys into a struct, as Go's decoder
 * @o:		the object
 * @path:	Go struct name and the path so far ("Spec", "Info.networkDriver")
 * @f:		fields of the struct
 * @nf:		number of @f
 * @base:	struct to fill
 * @err:	message buffer
 * @errlen:	size of @err
 *
 * Keys are taken in document order; a key names a field exactly or else case-insensitively;
 * unknown keys are ignored; null leaves the field as it is (a null slice is marked null).
 *
 * Return: 0, or -EINVAL with the first type error
 */
static int apijson_obj_decode(const json_t *o, const char *path, const struct apijson_field *f,
			      size_t nf, char *base, char *err, size_t errlen)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)o, key, v)
	{
		const struct apijson_field *hit = NULL;
		char sub[160];
		int ret;

		for (size_t i = 0; i < nf && !hit; i++) {
			if (!strcmp(key, f[i].name))
				hit = &f[i];
		}
		for (size_t i = 0; i < nf && !hit; i++) {
			if (!strcasecmp(key, f[i].name))
				hit = &f[i];
		}
		if (!hit)
			continue;
		if (json_is_null(v)) {
			if (hit->kind == AJ_STRS) {
				*(size_t *)(base + hit->n_off) = 0;
				if (hit->null_off != SIZE_MAX)
					*(bool *)(base + hit->null_off) = true;
			} else if (hit->kind == AJ_OBJ && hit->n_off != SIZE_MAX) {
				*(bool *)(base + hit->n_off) = false;
			}
			continue;
		}
		snprintf(sub, sizeof(sub), "%s.%s", path, hit->name);
		ret = apijson_field_decode(v, sub, hit, base, err, errlen);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * apijson_top_decode() - Decode a top-level value into a struct
 * @root:	the value
 * @name:	Go struct name for field paths ("Spec")
 * @gotype:	Go type for a value of the wrong kind ("port.Spec")
 * @f:		fields
 * @nf:		number of @f
 * @base:	struct to fill (zeroed by the caller)
 * @err:	message buffer
 * @errlen:	size of @err
 *
 * Return: 0 (null decodes to the zero struct, as in Go), or -EINVAL
 */
static int apijson_top_decode(const json_t *root, const char *name, const char *gotype,
			      const struct apijson_field *f, size_t nf, void *base, char *err,
			      size_t errlen)
{
	if (json_is_null(root))
		return 0;
	if (!json_is_object(root)) {
		char kind[64];

		apijson_msg(err, errlen, "json: cannot unmarshal %s into Go value of type %s",
			    apijson_kind_name(root, false, kind, sizeof(kind)), gotype);
		return -EINVAL;
	}
	return apijson_obj_decode(root, name, f, nf, base, err, errlen);
}

/**
 * apijson_spec_decode() - Decode a port.Spec (POST /v1/ports body)
 * @root:	parsed body
 * @out:	fields, views into @root; absent ones NULL or 0
 * @err:	Go's message on failure
 * @errlen:	size of @err
 *
 * Return: 0 or -EINVAL
 */
int apijson_spec_decode(const json_t *root, struct apijson_spec *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	return apijson_top_decode(root, "Spec", "port.Spec", apijson_spec_fields,
				  ARRAY_SIZE(apijson_spec_fields), out, err, errlen);
}

/**
 * apijson_status_decode() - Decode a port.Status (POST answer, GET /v1/ports entries)
 * @root:	the value
 * @out:	fields, views into @root
 * @err:	Go's message on failure
 * @errlen:	size of @err
 *
 * Return: 0 or -EINVAL
 */
int apijson_status_decode(const json_t *root, struct apijson_status *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	return apijson_top_decode(root, "Status", "port.Status", apijson_status_fields,
				  ARRAY_SIZE(apijson_status_fields), out, err, errlen);
}

/**
 * apijson_info_decode() - Decode an api.Info (GET /v1/info answer)
 * @root:	the value
 * @out:	fields, views into @root
 * @err:	Go's message on failure
 * @errlen:	size of @err
 *
 * Return: 0 or -EINVAL
 */
int apijson_info_decode(const json_t *root, struct apijson_info *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->protos_null = true;
	return apijson_top_decode(root, "Info", "api.Info", apijson_info_fields,
				  ARRAY_SIZE(apijson_info_fields), out, err, errlen);
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
 * apijson_utf8_len() - Length of the valid UTF-8 sequence at @s
 * @s:		bytes
 * @n:		bytes available
 *
 * Return: 1..4, or 0 if the bytes there are not a valid sequence
 */
static size_t apijson_utf8_len(const unsigned char *s, size_t n)
{
	uint32_t cp;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/**
 * apijson_jstr() - A JSON string for any C string, invalid UTF-8 bytes as U+FFFD (Go's rule)
 * @s:		string, NULL taken as ""
 *
 * Return: new reference, or NULL when out of memory
 */
static json_t *apijson_jstr(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	cleanup_free char *fixed = NULL;
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		size_t l = apijson_utf8_len(p + i, n - i);

		if (!l)
			break;
		i += l;
		if (i == n)
			return json_string((const char *)p);
	}
	if (!n)
		return json_string("");
	fixed = malloc(n * 3 + 1);
	if (!fixed)
		return NULL;
	for (size_t i = 0; i < n;) {
		size_t l = apijson_utf8_len(p + i, n - i);

		if (l) {
			memcpy(fixed + o, p + i, l);
			o += l;
			i += l;
		} else {
			memcpy(fixed + o, "\xef\xbf\xbd", 3);
			o += 3;
			i++;
		}
	}
	fixed[o] = '\0';
	/* cleanup_free releases it */ // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
	return json_string(fixed);
}

/**
 * apijson_set() - Add a key to an object, taking the value's reference
 * @o:		object
 * @key:	key
 * @v:		value, may be NULL (out of memory)
 *
 * Return: 0, or -ENOMEM
 */
static int apijson_set(json_t *o, const char *key, json_t *v)
{
	if (!v)
		return -ENOMEM;
	return json_object_set_new(o, key, v) ? -ENOMEM : 0;
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
		ret |= apijson_set(o, "proto", apijson_jstr(s->proto));
	if (s->parent_ip && *s->parent_ip)
		ret |= apijson_set(o, "parentIP", apijson_jstr(s->parent_ip));
	if (s->parent_port)
		ret |= apijson_set(o, "parentPort", json_integer(s->parent_port));
	if (s->child_port)
		ret |= apijson_set(o, "childPort", json_integer(s->child_port));
	if (s->child_ip && *s->child_ip)
		ret |= apijson_set(o, "childIP", apijson_jstr(s->child_ip));
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
	if (apijson_set(o, "id", json_integer(st->id)) ||
	    apijson_set(o, "spec", apijson_spec_encode(&st->spec))) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/**
 * apijson_go_escape() - Apply Go's HTML-safe escaping to dumped JSON
 * @s:		JSON text (from jansson: <, >, & and U+2028/9 only occur inside strings)
 *
 * Return: new text, or NULL when out of memory
 */
static char *apijson_go_escape(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = malloc(n * 6 + 1);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const unsigned char c = (unsigned char)s[i];

		if (c == '<' || c == '>' || c == '&') {
			o += (size_t)sprintf(out + o, "\\u%04x", c);
		} else if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
			   ((unsigned char)s[i + 2] == 0xa8 || (unsigned char)s[i + 2] == 0xa9)) {
			o += (size_t)sprintf(out + o, "\\u20%02x",
					     (unsigned char)s[i + 2] == 0xa8 ? 0x28 : 0x29);
			i += 2;
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
	return out;
}

/**
 * apijson_dump() - Dump a value as Go's json.Marshal (or MarshalIndent with 4 spaces)
 * @v:		value
 * @indent:	indent as rootlessctl's --json output
 *
 * Return: malloc'd text, or NULL when out of memory
 */
char *apijson_dump(const json_t *v, bool indent)
{
	size_t flags = JSON_ENCODE_ANY | JSON_PRESERVE_ORDER;
	cleanup_free char *raw = NULL;

	flags |= indent ? JSON_INDENT(4) : JSON_COMPACT;
	raw = json_dumps(v, flags);
	if (!raw)
		return NULL;
	return apijson_go_escape(raw);
}

/**
 * apijson_dump_new() - Dump a new value and drop it
 * @v:		value (reference taken), may be NULL (out of memory)
 * @indent:	indented
 *
 * Return: malloc'd text, or NULL
 */
static char *apijson_dump_new(json_t *v, bool indent)
{
	char *s;

	if (!v)
		return NULL;
	s = apijson_dump(v, indent);
	json_decref(v);
	return s;
}

/**
 * apijson_status_dump() - The body of a POST /v1/ports answer
 * @st:		status
 *
 * Return: malloc'd text, or NULL when out of memory
 */
char *apijson_status_dump(const struct apijson_status *st)
{
	return apijson_dump_new(apijson_status_encode(st), false);
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
	return apijson_dump_new(a, false);
}

/**
 * apijson_strs() - A JSON array of strings
 * @s:		strings
 * @n:		number of @s
 *
 * Return: new array, or NULL when out of memory
 */
static json_t *apijson_strs(const char *const *s, size_t n)
{
	json_t *a = json_array();

	if (!a)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *e = apijson_jstr(s[i]);

		if (!e || json_array_append_new(a, e)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
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
	ret |= apijson_set(o, "apiVersion", apijson_jstr(in->api_version));
	ret |= apijson_set(o, "version", apijson_jstr(in->version));
	ret |= apijson_set(o, "stateDir", apijson_jstr(in->state_dir));
	ret |= apijson_set(o, "childPID", json_integer(in->child_pid));
	if (in->has_net) {
		nd = json_object();
		ret |= apijson_set(o, "networkDriver", nd);
		if (nd) {
			ret |= apijson_set(nd, "driver", apijson_jstr(in->net_driver));
			if (in->n_dns)
				ret |= apijson_set(nd, "dns", apijson_strs(in->dns, in->n_dns));
			if (in->child_ip && *in->child_ip)
				ret |= apijson_set(nd, "childIP", apijson_jstr(in->child_ip));
			if (in->dynamic_child_ip)
				ret |= apijson_set(nd, "dynamicChildIP", json_true());
		}
	}
	if (in->has_port) {
		pd = json_object();
		ret |= apijson_set(o, "portDriver", pd);
		if (pd) {
			ret |= apijson_set(pd, "driver", apijson_jstr(in->port_driver));
			ret |= apijson_set(pd, "protos",
					   in->protos_null
						   ? json_null()
						   : apijson_strs(in->protos, in->n_protos));
			if (in->disallow_loopback_child_ip)
				ret |= apijson_set(pd, "disallowLoopbackChildIP", json_true());
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
	return apijson_dump_new(apijson_info_encode(in), indent);
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
	if (apijson_set(o, "message", apijson_jstr(msg))) {
		json_decref(o);
		return NULL;
	}
	s = apijson_dump_new(o, false);
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
 * apijson_quote() - Go's %q of a string (strconv.Quote), simplified to ASCII escapes
 * @s:		string
 * @buf:	output
 * @len:	size of @buf; output is cut to fit
 *
 * Printable ASCII and valid UTF-8 sequences are kept; " and \ are escaped; control
 * characters use Go's short escapes or \xHH; invalid bytes are \xHH.
 *
 * Return: @buf
 */
const char *apijson_quote(const char *s, char *buf, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), o = 0;

	if (len < 3) {
		if (len)
			buf[0] = '\0';
		return buf;
	}
	buf[o++] = '"';
	for (size_t i = 0; i < n;) {
		char tmp[8];
		size_t l = apijson_utf8_len(p + i, n - i), tl;

		if (p[i] == '"' || p[i] == '\\') {
			tmp[0] = '\\';
			tmp[1] = (char)p[i];
			tl = 2;
		} else if (p[i] >= 0x20 && p[i] < 0x7f) {
			tmp[0] = (char)p[i];
			tl = 1;
		} else if (p[i] >= 0x80 && l) {
			memcpy(tmp, p + i, l);
			tl = l;
		} else {
			char e = 0;

			switch (p[i]) {
			case '\a':
				e = 'a';
				break;
			case '\b':
				e = 'b';
				break;
			case '\f':
				e = 'f';
				break;
			case '\n':
				e = 'n';
				break;
			case '\r':
				e = 'r';
				break;
			case '\t':
				e = 't';
				break;
			case '\v':
				e = 'v';
				break;
			}
			if (e)
				tl = (size_t)snprintf(tmp, sizeof(tmp), "\\%c", e);
			else
				tl = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", p[i]);
			l = 1;
		}
		if (o + tl + 2 > len)
			break;
		memcpy(buf + o, tmp, tl);
		o += tl;
		i += (p[i] >= 0x80 && l) ? l : 1;
	}
	buf[o++] = '"';
	buf[o] = '\0';
	return buf;
}

/**
 * apijson_atoi() - Parse a decimal integer as Go's strconv.Atoi, with its error text
 * @s:		text
 * @out:	the value
 * @err:	"strconv.Atoi: parsing \"X\": invalid syntax" or "...: value out of range"
 * @errlen:	size of @err
 *
 * Return: 0 or -EINVAL
 */
int apijson_atoi(const char *s, long long *out, char *err, size_t errlen)
{
	const char *p = s, *why = NULL;
	bool neg = false;
	uint64_t n = 0;

	if (*p == '+' || *p == '-')
		neg = *p++ == '-';
	if (!*p)
		why = "invalid syntax";
	for (; *p && !why; p++) {
		unsigned int d;

		if (*p < '0' || *p > '9') {
			why = "invalid syntax";
			break;
		}
		d = (unsigned int)(*p - '0');
		if (n > (UINT64_MAX - d) / 10) {
			why = "value out of range";
			break;
		}
		n = n * 10 + d;
	}
	if (!why && ((neg && n > (uint64_t)INT64_MAX + 1) || (!neg && n > (uint64_t)INT64_MAX)))
		why = "value out of range";
	if (why) {
		char q[256];

		apijson_msg(err, errlen, "strconv.Atoi: parsing %s: %s",
			    apijson_quote(s, q, sizeof(q)), why);
		return -EINVAL;
	}
	*out = neg ? (long long)(0 - n) : (long long)n;
	return 0;
}

/**
 * apijson_id_parse() - Parse a port ID from a URL as Go's strconv.Atoi, rootlesskit's message
 * @s:		the {id} path element
 * @out:	the value
 * @err:	"bad id X: strconv.Atoi: parsing \"X\": invalid syntax|value out of range"
 * @errlen:	size of @err
 *
 * Return: 0 or -EINVAL
 */
int apijson_id_parse(const char *s, long long *out, char *err, size_t errlen)
{
	char why[APIJSON_MSGLEN];

	if (!apijson_atoi(s, out, why, sizeof(why)))
		return 0;
	apijson_msg(err, errlen, "bad id %s: %s", s, why);
	return -EINVAL;
}

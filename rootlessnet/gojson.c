/* gojson.c - Go's encoding/json and strconv as rootlesskit's clients see their bytes */
/**
 * DOC: Theory of operation
 *
 * rootlesskit's API is Go's encoding/json over a few structs; its clients see its exact
 * bytes and messages. This file is the Go half, with jansson underneath and nothing of
 * rootlesskit's structs (apijson.c has those):
 *
 * - Decoding (gojson_load(), gojson_decode()): the first JSON value of a body (Go's Decoder
 *   ignores what follows); an empty body is "EOF", a cut one "unexpected EOF". A struct is
 *   described by a table of &struct gojson_field; every field is type-checked and a value of
 *   the wrong kind is refused with Go's UnmarshalTypeError text, null leaves a field absent,
 *   keys match exactly or else case-insensitively (later keys win), unknown keys are
 *   ignored. Decoded strings are views into the jansson tree, valid while it is held.
 * - Encoding (gojson_str(), gojson_dump()): compact, in the order fields are added, with
 *   Go's HTML-safe escaping of <, > and & (and U+2028/U+2029) applied to the dumped text;
 *   strings that are not valid UTF-8 get U+FFFD per bad byte, as Go does.
 * - strconv: Atoi with its messages (gojson_atoi()), %q (gojson_quote()).
 *
 * Errors are plain struct errors (EINVAL) whose words are Go's.
 */
#include "config.h"

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "gojson.h"
#include "util.h"

/**
 * gojson_load() - Parse the first JSON value of a body, as Go's json.Decoder.Decode
 * @buf:	body, not NUL-terminated
 * @len:	bytes in @buf
 * @e:		Go's text on failure ("EOF", "unexpected EOF") or jansson's for a syntax error
 *
 * Return: the value (caller's reference), or NULL
 */
json_t *gojson_load(const char *buf, size_t len, struct error *e)
{
	json_error_t je;
	json_t *v;
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r')
			break;
	}
	if (i == len) {
		error_plain(e, EINVAL, "EOF");
		return NULL;
	}
	v = json_loadb(buf, len, JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK, &je);
	if (v)
		return v;
	if (json_error_code(&je) == json_error_premature_end_of_input)
		error_plain(e, EINVAL, "unexpected EOF");
	else
		error_plain(e, EINVAL, "invalid JSON at line %d, column %d: %s", je.line, je.column,
			    je.text);
	return NULL;
}

/**
 * gojson_kind_name() - Go's name for the kind of a JSON value, in UnmarshalTypeError
 * @v:		value
 * @literal:	for a number, append its text as Go does for numbers into integers
 * @buf:	room for the name
 * @len:	size of @buf
 *
 * Return: @buf
 */
static const char *gojson_kind_name(const json_t *v, bool literal, char *buf, size_t len)
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
 * gojson_type_error() - Go's UnmarshalTypeError for a struct field
 * @v:		the JSON value found
 * @path:	struct and field path, e.g. "Spec.parentPort"
 * @f:		the field
 * @e:		what is wrong
 *
 * Return: -EINVAL
 */
static int gojson_type_error(const json_t *v, const char *path, const struct gojson_field *f,
			     struct error *e)
{
	char kind[64];

	gojson_kind_name(v, f->kind == GOJSON_INT, kind, sizeof(kind));
	return error_plain(e, EINVAL,
			   "json: cannot unmarshal %s into Go struct field %s of type %s", kind,
			   path, f->gotype);
}

static int gojson_obj_decode(const json_t *o, const char *path, const struct gojson_field *f,
			     size_t nf, char *base, struct error *e);

/**
 * gojson_field_decode() - Decode one field's value
 * @v:		the value (not null)
 * @path:	struct and field path for messages
 * @f:		the field
 * @base:	struct to fill
 * @e:		what is wrong
 *
 * Return: 0, or -EINVAL with Go's message
 */
static int gojson_field_decode(const json_t *v, const char *path, const struct gojson_field *f,
			       char *base, struct error *e)
{
	switch (f->kind) {
	case GOJSON_STR:
		if (!json_is_string(v))
			return gojson_type_error(v, path, f, e);
		*(const char **)(base + f->off) = json_string_value(v);
		return 0;
	case GOJSON_INT:
		if (!json_is_integer(v))
			return gojson_type_error(v, path, f, e);
		*(long long *)(base + f->off) = json_integer_value(v);
		return 0;
	case GOJSON_BOOL:
		if (!json_is_boolean(v))
			return gojson_type_error(v, path, f, e);
		*(bool *)(base + f->off) = json_is_true(v);
		return 0;
	case GOJSON_STRS: {
		const char **arr = (const char **)(base + f->off);
		size_t *n = (size_t *)(base + f->n_off);
		const json_t *el;
		size_t i;

		if (!json_is_array(v))
			return gojson_type_error(v, path, f, e);
		if (json_array_size(v) > f->max)
			return error_plain(e, EINVAL, "%s: more than %zu entries", path, f->max);
		json_array_foreach(v, i, el)
		{
			if (!json_is_string(el)) {
				char kind[64];

				return error_plain(
					e, EINVAL,
					"json: cannot unmarshal %s into Go struct field %s "
					"of type %s",
					gojson_kind_name(el, false, kind, sizeof(kind)), path,
					"string");
			}
			arr[i] = json_string_value(el);
		}
		*n = json_array_size(v);
		if (f->null_off != SIZE_MAX)
			*(bool *)(base + f->null_off) = false;
		return 0;
	}
	case GOJSON_OBJ:
		if (!json_is_object(v))
			return gojson_type_error(v, path, f, e);
		if (f->n_off != SIZE_MAX)
			*(bool *)(base + f->n_off) = true;
		return gojson_obj_decode(v, path, f->sub, f->n_sub, base + f->off, e);
	}
	return -EINVAL;
}

/**
 * gojson_obj_decode() - Decode an object's keys into a struct, as Go's decoder
 * @o:		the object
 * @path:	Go struct name and the path so far ("Spec", "Info.networkDriver")
 * @f:		fields of the struct
 * @nf:		number of @f
 * @base:	struct to fill
 * @e:		what is wrong
 *
 * Keys are taken in document order; a key names a field exactly or else case-insensitively;
 * unknown keys are ignored; null leaves the field as it is (a null slice is marked null).
 *
 * Return: 0, or -EINVAL with the first type error
 */
static int gojson_obj_decode(const json_t *o, const char *path, const struct gojson_field *f,
			     size_t nf, char *base, struct error *e)
{
	const char *key;
	json_t *v;

	json_object_foreach((json_t *)o, key, v)
	{
		const struct gojson_field *hit = NULL;
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
			if (hit->kind == GOJSON_STRS) {
				*(size_t *)(base + hit->n_off) = 0;
				if (hit->null_off != SIZE_MAX)
					*(bool *)(base + hit->null_off) = true;
			} else if (hit->kind == GOJSON_OBJ && hit->n_off != SIZE_MAX) {
				*(bool *)(base + hit->n_off) = false;
			}
			continue;
		}
		snprintf(sub, sizeof(sub), "%s.%s", path, hit->name);
		ret = gojson_field_decode(v, sub, hit, base, e);
		if (ret)
			return ret;
	}
	return 0;
}

/**
 * gojson_decode() - Decode a top-level value into a struct
 * @root:	the value
 * @name:	Go struct name for field paths ("Spec")
 * @gotype:	Go type for a value of the wrong kind ("port.Spec")
 * @f:		fields
 * @nf:		number of @f
 * @base:	struct to fill (zeroed by the caller)
 * @e:		what is wrong
 *
 * Return: 0 (null decodes to the zero struct, as in Go), or -EINVAL
 */
int gojson_decode(const json_t *root, const char *name, const char *gotype,
		  const struct gojson_field *f, size_t nf, void *base, struct error *e)
{
	if (json_is_null(root))
		return 0;
	if (!json_is_object(root)) {
		char kind[64];

		return error_plain(e, EINVAL, "json: cannot unmarshal %s into Go value of type %s",
				   gojson_kind_name(root, false, kind, sizeof(kind)), gotype);
	}
	return gojson_obj_decode(root, name, f, nf, base, e);
}

/**
 * gojson_utf8_len() - Length of the valid UTF-8 sequence at @s
 * @s:		bytes
 * @n:		bytes available
 *
 * Return: 1..4, or 0 if the bytes there are not a valid sequence
 */
static size_t gojson_utf8_len(const unsigned char *s, size_t n)
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
 * gojson_str() - A JSON string for any C string, invalid UTF-8 bytes as U+FFFD (Go's rule)
 * @s:		string, NULL taken as ""
 *
 * Return: new reference, or NULL when out of memory
 */
json_t *gojson_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");
	size_t n = strlen((const char *)p);
	cleanup_free char *fixed = NULL;
	size_t o = 0;

	for (size_t i = 0; i < n;) {
		size_t l = gojson_utf8_len(p + i, n - i);

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
		size_t l = gojson_utf8_len(p + i, n - i);

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
 * gojson_set() - Add a key to an object, taking the value's reference
 * @o:		object
 * @key:	key
 * @v:		value, may be NULL (out of memory)
 *
 * Return: 0, or -ENOMEM
 */
int gojson_set(json_t *o, const char *key, json_t *v)
{
	if (!v)
		return -ENOMEM;
	return json_object_set_new(o, key, v) ? -ENOMEM : 0;
}

/**
 * gojson_go_escape() - Apply Go's HTML-safe escaping to dumped JSON
 * @s:		JSON text (from jansson: <, >, & and U+2028/9 only occur inside strings)
 *
 * Return: new text, or NULL when out of memory
 */
static char *gojson_go_escape(const char *s)
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
 * gojson_dump() - Dump a value as Go's json.Marshal (or MarshalIndent with 4 spaces)
 * @v:		value
 * @indent:	indent as rootlessctl's --json output
 *
 * Return: malloc'd text, or NULL when out of memory
 */
char *gojson_dump(const json_t *v, bool indent)
{
	size_t flags = JSON_ENCODE_ANY | JSON_PRESERVE_ORDER;
	cleanup_free char *raw = NULL;

	flags |= indent ? JSON_INDENT(4) : JSON_COMPACT;
	raw = json_dumps(v, flags);
	if (!raw)
		return NULL;
	return gojson_go_escape(raw);
}

/**
 * gojson_dump_new() - Dump a new value and drop it
 * @v:		value (reference taken), may be NULL (out of memory)
 * @indent:	indented
 *
 * Return: malloc'd text, or NULL
 */
char *gojson_dump_new(json_t *v, bool indent)
{
	char *s;

	if (!v)
		return NULL;
	s = gojson_dump(v, indent);
	json_decref(v);
	return s;
}

/**
 * gojson_strs() - A JSON array of strings
 * @s:		strings
 * @n:		number of @s
 *
 * Return: new array, or NULL when out of memory
 */
json_t *gojson_strs(const char *const *s, size_t n)
{
	json_t *a = json_array();

	if (!a)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		json_t *e = gojson_str(s[i]);

		if (!e || json_array_append_new(a, e)) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/**
 * gojson_quote() - Go's %q of a string (strconv.Quote), simplified to ASCII escapes
 * @s:		string
 * @buf:	output
 * @len:	size of @buf; output is cut to fit
 *
 * Printable ASCII and valid UTF-8 sequences are kept; " and \ are escaped; control
 * characters use Go's short escapes or \xHH; invalid bytes are \xHH.
 *
 * Return: @buf
 */
const char *gojson_quote(const char *s, char *buf, size_t len)
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
		size_t l = gojson_utf8_len(p + i, n - i), tl;

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
 * gojson_atoi() - Parse a decimal integer as Go's strconv.Atoi, with its error text
 * @s:		text
 * @out:	the value
 * @e:		"strconv.Atoi: parsing \"X\": invalid syntax" or "...: value out of range"
 *
 * Return: 0 or -EINVAL
 */
int gojson_atoi(const char *s, long long *out, struct error *e)
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

		return error_plain(e, EINVAL, "strconv.Atoi: parsing %s: %s",
				   gojson_quote(s, q, sizeof(q)), why);
	}
	*out = neg ? (long long)(0 - n) : (long long)n;
	return 0;
}

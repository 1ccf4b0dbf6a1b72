/* gojson.h - Go's encoding/json and strconv as rootlesskit's clients see their bytes */
#ifndef RN_GOJSON_H
#define RN_GOJSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct error;

/**
 * enum gojson_kind - how a struct field is decoded
 * @GOJSON_STR:	string, stored as const char *
 * @GOJSON_INT:	integer, stored as long long
 * @GOJSON_BOOL:	boolean, stored as bool
 * @GOJSON_STRS:	array of strings, stored in const char *[@max] with a size_t count
 * @GOJSON_OBJ:	object decoded with @sub into the same base
 */
enum gojson_kind {
	GOJSON_STR,
	GOJSON_INT,
	GOJSON_BOOL,
	GOJSON_STRS,
	GOJSON_OBJ,
};

/**
 * struct gojson_field - one field of a Go struct
 * @name:	JSON key
 * @kind:	decoding
 * @gotype:	Go type in messages
 * @off:	offset of the value in the base struct
 * @n_off:	GOJSON_STRS: offset of the size_t count; GOJSON_OBJ: offset of the bool "present"
 * @null_off:	GOJSON_STRS: offset of a bool set when the value is null, or SIZE_MAX
 * @max:	GOJSON_STRS: capacity
 * @sub:	GOJSON_OBJ: fields of the nested struct
 * @n_sub:	GOJSON_OBJ: number of @sub
 */
struct gojson_field {
	const char *name;
	enum gojson_kind kind;
	const char *gotype;
	size_t off;
	size_t n_off;
	size_t null_off;
	size_t max;
	const struct gojson_field *sub;
	size_t n_sub;
};

#define GOJSON_FIELD(st, key, member, k, t)                                                        \
	{                                                                                          \
		.name = (key), .kind = (k), .gotype = (t), .off = offsetof(st, member),            \
		.null_off = SIZE_MAX                                                               \
	}

json_t *gojson_load(const char *buf, size_t len, struct error *e);
int gojson_decode(const json_t *root, const char *name, const char *gotype,
		  const struct gojson_field *f, size_t nf, void *base, struct error *e);

json_t *gojson_str(const char *s);
json_t *gojson_strs(const char *const *s, size_t n);
int gojson_set(json_t *o, const char *key, json_t *v);
char *gojson_dump(const json_t *v, bool indent);
char *gojson_dump_new(json_t *v, bool indent);

int gojson_atoi(const char *s, long long *out, struct error *e);
const char *gojson_quote(const char *s, char *buf, size_t len);

#endif /* RN_GOJSON_H */

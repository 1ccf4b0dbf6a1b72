/* errtext.h - for tests: library calls whose struct error comes back as text */
#ifndef RN_TEST_ERRTEXT_H
#define RN_TEST_ERRTEXT_H

/*
 * Test cases compare messages as text: each t_NAME() calls NAME() with a struct error of its
 * own and puts the message in the caller's buffer (NULL, 0: not wanted). Include the
 * headers of the calls used first; static inline, so that a test uses only what it needs.
 */
#include <stdbool.h>
#include <stddef.h>

#include "apijson.h"
#include "ctlfmt.h"
#include "dproxy.h"
#include "error.h"
#include "gojson.h"
#include "portmap.h"
#include "portspec.h"

static inline void t_text(const struct error *e, char *buf, size_t len)
{
	if (buf && len)
		error_str(e, buf, len);
}

static inline json_t *t_load(const char *buf, size_t len, char *err, size_t errlen)
{
	struct error e = {0};
	json_t *v = gojson_load(buf, len, &e);

	t_text(&e, err, errlen);
	return v;
}

static inline int t_spec_decode(const json_t *root, struct apijson_spec *out, char *err,
				size_t errlen)
{
	struct error e = {0};
	int r = apijson_spec_decode(root, out, &e);

	t_text(&e, err, errlen);
	return r;
}

static inline int t_status_decode(const json_t *root, struct apijson_status *out, char *err,
				  size_t errlen)
{
	struct error e = {0};
	int r = apijson_status_decode(root, out, &e);

	t_text(&e, err, errlen);
	return r;
}

static inline int t_info_decode(const json_t *root, struct apijson_info *out, char *err,
				size_t errlen)
{
	struct error e = {0};
	int r = apijson_info_decode(root, out, &e);

	t_text(&e, err, errlen);
	return r;
}

static inline int t_id_parse(const char *s, long long *out, char *err, size_t errlen)
{
	struct error e = {0};
	int r = apijson_id_parse(s, out, &e);

	t_text(&e, err, errlen);
	return r;
}

static inline int t_parse_args(int argc, char **argv, struct dproxy_args *a, char *err,
			       size_t errlen)
{
	struct error e = {0};
	int r = dproxy_parse_args(argc, argv, a, &e);

	t_text(&e, err, errlen);
	return r;
}

static inline int t_parse_spec(const char *s, struct ctlfmt_spec *out, char *err, size_t errlen)
{
	struct error e = {0};
	int r = ctlfmt_parse_spec(s, out, &e);

	t_text(&e, err, errlen);
	return r;
}

static inline int t_from_fields(const char *proto, const char *pip, long long pport,
				const char *cip, long long cport, struct portspec *s, char *err,
				size_t len)
{
	struct error e = {0};
	int r = portspec_from_fields(proto, pip, pport, cip, cport, s, &e);

	t_text(&e, err, len);
	return r;
}

static inline int t_parse_publish(const char *in, struct portspec *s, char *err, size_t len)
{
	struct error e = {0};
	int r = portspec_parse_publish(in, s, &e);

	t_text(&e, err, len);
	return r;
}

static inline int t_resolve(const struct portspec *s, const struct portmap_caps *c,
			    struct portmap_plan *p, char *err, size_t len)
{
	struct error e = {0};
	int r = portmap_resolve(s, c, p, &e);

	t_text(&e, err, len);
	return r;
}

static inline bool t_conflict(const struct portspec *a, const struct portspec *b,
			      const struct portmap_caps *c, char *why, size_t len)
{
	struct error e = {0};
	bool r = portmap_conflict(a, b, c, &e);

	t_text(&e, why, len);
	return r;
}

#endif /* RN_TEST_ERRTEXT_H */

/* ctlfmt.h - rootlessctl's text: port spec arguments, ID arguments, tables and info output */
#ifndef RN_CTLFMT_H
#define RN_CTLFMT_H

#include <stddef.h>
#include <stdio.h>

#include "apijson.h"

struct error;

/* Room for one text field of a parsed port spec argument */
#define CTLFMT_FIELDLEN 128

/**
 * struct ctlfmt_spec - a port spec argument, parsed as rootlessctl's portutil.ParsePortSpec
 * @proto:	proto text
 * @parent_ip:	parent IP text, "" when none
 * @child_ip:	child IP text, "" when none
 * @parent_port: parent port
 * @child_port:	child port
 */
struct ctlfmt_spec {
	char proto[CTLFMT_FIELDLEN];
	char parent_ip[CTLFMT_FIELDLEN];
	char child_ip[CTLFMT_FIELDLEN];
	long long parent_port;
	long long child_port;
};

int ctlfmt_parse_spec(const char *s, struct ctlfmt_spec *out, struct error *e);
void ctlfmt_spec_fields(const struct ctlfmt_spec *s, struct apijson_spec *out);
int ctlfmt_ports_table(FILE *f, const struct apijson_status *st, size_t n);
int ctlfmt_info_text(FILE *f, const struct apijson_info *in);
const char *ctlfmt_status_text(long code);

#endif /* RN_CTLFMT_H */

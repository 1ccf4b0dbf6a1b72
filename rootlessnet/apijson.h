/* apijson.h - the REST API's JSON: port specs and statuses, info, errors, as rootlesskit's Go */
#ifndef RN_APIJSON_H
#define RN_APIJSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct error;

/* The REST API version rootlesskit v3.0.2 and later serve ("1.1.2": networkDriver.ipv6) */
#define APIJSON_API_VERSION "1.1.2"
/* Most DNS addresses and protos kept from a decoded info */
#define APIJSON_MAX_DNS	   8
#define APIJSON_MAX_PROTOS 16

/**
 * struct apijson_spec - rootlesskit's port.Spec, field for field (strings NULL when absent)
 * @proto:		"proto"
 * @parent_ip:		"parentIP"
 * @parent_port:	"parentPort", 0 when absent
 * @child_port:		"childPort", 0 when absent
 * @child_ip:		"childIP"
 */
struct apijson_spec {
	const char *proto;
	const char *parent_ip;
	long long parent_port;
	long long child_port;
	const char *child_ip;
};

/**
 * struct apijson_status - rootlesskit's port.Status
 * @id:		"id"
 * @spec:	"spec"
 */
struct apijson_status {
	long long id;
	struct apijson_spec spec;
};

/**
 * struct apijson_info - rootlesskit's api.Info (GET /v1/info)
 * @api_version:	"apiVersion"
 * @version:		"version", the implementation's
 * @state_dir:		"stateDir"
 * @child_pid:		"childPID"
 * @has_net:		"networkDriver" present
 * @net_driver:		networkDriver.driver
 * @dns:		networkDriver.dns, omitted when empty
 * @n_dns:		entries in @dns
 * @child_ip:		networkDriver.childIP, NULL to omit
 * @dynamic_child_ip:	networkDriver.dynamicChildIP, omitted when false
 * @ipv6:		networkDriver.ipv6 (API 1.1.2), omitted when false
 * @has_port:		"portDriver" present
 * @port_driver:	portDriver.driver
 * @protos:		portDriver.protos
 * @n_protos:		entries in @protos
 * @protos_null:	portDriver.protos is null (Go's nil slice), not []
 * @disallow_loopback_child_ip: portDriver.disallowLoopbackChildIP, omitted when false
 */
struct apijson_info {
	const char *api_version;
	const char *version;
	const char *state_dir;
	long long child_pid;
	bool has_net;
	const char *net_driver;
	const char *dns[APIJSON_MAX_DNS];
	size_t n_dns;
	const char *child_ip;
	bool dynamic_child_ip;
	bool ipv6;
	bool has_port;
	const char *port_driver;
	const char *protos[APIJSON_MAX_PROTOS];
	size_t n_protos;
	bool protos_null;
	bool disallow_loopback_child_ip;
};

/*
 * Decoding into views of @root, parsed with gojson_load() (strings stay valid while @root is
 * held). Each field is type-checked; errors read as Go's ("json: cannot unmarshal string into Go struct field
 * Spec.parentPort of type int"). JSON null leaves a field absent. Return 0 or -EINVAL.
 */
int apijson_spec_decode(const json_t *root, struct apijson_spec *out, struct error *e);
int apijson_status_decode(const json_t *root, struct apijson_status *out, struct error *e);
int apijson_info_decode(const json_t *root, struct apijson_info *out, struct error *e);
const char *apijson_error_decode(const json_t *root);

/* Encoding to malloc'd text with Go's bytes (compact, <>& escaped); NULL when out of memory */
char *apijson_status_dump(const struct apijson_status *st);
char *apijson_ports_dump(const struct apijson_status *st, size_t n);
char *apijson_info_dump(const struct apijson_info *in, bool indent);
char *apijson_error_dump(const char *msg);
json_t *apijson_spec_encode(const struct apijson_spec *s);

/* DELETE /v1/ports/{id}: Go's strconv.Atoi with rootlesskit's "bad id" message */
int apijson_id_parse(const char *s, long long *out, struct error *e);

#endif /* RN_APIJSON_H */

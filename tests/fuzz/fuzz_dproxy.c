/* fuzz_dproxy.c - fuzz harness: docker-proxy's flags as dockerd passes them, and the API proto */
/**
 * DOC: Theory of operation
 *
 * dockerd (20.10 to 27, rootless) runs rootlessnet-docker-proxy with docker-proxy's flags
 * for each published port. The input is those arguments, separated by NUL bytes, after a
 * fixed argv[0]. What t_parse_args() accepts is turned into the API proto as
 * dproxy_publish() does (dproxy_api_proto(), in its buffer and in shorter ones) and into the
 * spec it would send, checked by portspec_from_fields() as the server checks it. The
 * harness checks that a parse gives every field, and that the proto names a family exactly
 * when it fits its buffer.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "dproxy.h"
#include "error.h"
#include "errtext.h"
#include "fuzz.h"
#include "portmap.h"
#include "util.h"

/* Arguments taken from one input at most */
#define DPROXY_FUZZ_MAX_ARGS 64

/**
 * LLVMFuzzerInitialize() - Log everything (formatting is part of what is fuzzed)
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: 0
 */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	log_set_level(LOG_LVL_DEBUG);
	return 0;
}

/**
 * dproxy_fuzz_proto() - The API proto of the parsed flags, in a buffer of @len bytes
 * @a:		flags
 * @len:	buffer size, at most 16 (dproxy_publish()'s)
 * @out:	the proto, 16 bytes
 *
 * Return: dproxy_api_proto()'s answer; aborts on a broken promise
 */
static int dproxy_fuzz_proto(const struct dproxy_args *a, size_t len, char out[16])
{
	size_t plen = strlen(a->proto);
	bool family = plen && (a->proto[plen - 1] == '4' || a->proto[plen - 1] == '6');
	size_t need = plen + (family ? 0 : 1) + 1;
	int ret;

	memset(out, 'x', 16);
	ret = dproxy_api_proto(a->proto, a->host_ip, out, len);
	fuzz_assert(ret == 0 || ret == -ENAMETOOLONG, "dproxy_api_proto: %d", ret);
	fuzz_assert(!ret == (need <= len), "proto \"%s\" in %zu bytes: %d", a->proto, len, ret);
	if (len)
		fuzz_assert(memchr(out, '\0', len), "proto overran %zu bytes", len);
	if (!ret) {
		fuzz_assert(!strncmp(out, a->proto, plen) && strlen(out) == need - 1,
			    "proto \"%s\" became \"%s\"", a->proto, out);
		fuzz_assert(out[need - 2] == '4' || out[need - 2] == '6', "\"%s\" names no family",
			    out);
	}
	return ret;
}

/**
 * LLVMFuzzerTestOneInput() - docker-proxy's arguments, NUL-separated
 * @data:	input
 * @size:	its length
 *
 * Return: 0
 */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cleanup_free char *buf = fuzz_strndup(data, size);
	char *argv[DPROXY_FUZZ_MAX_ARGS + 2] = {"rootlessnet-docker-proxy"};
	char err[512], proto[16], short_proto[16];
	struct portspec spec;
	struct dproxy_args a;
	int argc = 1;

	if (size)
		argc += (int)fuzz_split(buf, size, '\0', argv + 1, DPROXY_FUZZ_MAX_ARGS);
	argv[argc] = NULL;
	err[0] = '\0';
	if (t_parse_args(argc, argv, &a, err, sizeof(err))) {
		fuzz_assert(*err, "refused without a message");
		return 0;
	}
	fuzz_assert(a.container_ip && a.host_ip && a.proto, "a flag without a value");
	for (size_t len = 0; len < 6; len++)
		dproxy_fuzz_proto(&a, len, short_proto);
	if (dproxy_fuzz_proto(&a, sizeof(proto), proto))
		return 0;
	/* the spec dproxy_publish() sends, as the server checks it */
	portspec_from_fields(proto, a.host_ip, a.host_port, "127.0.0.1", a.host_port, &spec, NULL);
	return 0;
}

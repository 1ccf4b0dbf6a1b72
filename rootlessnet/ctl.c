/* ctl.c - client of the RootlessKit REST API over its unix socket (libcurl) */
/**
 * DOC: Theory of operation
 *
 * The same requests as rootlesskit's pkg/api/client, made with libcurl over the unix socket
 * (CURLOPT_UNIX_SOCKET_PATH, host "rootlesskit", API "v1"). The requests of a command share
 * a connection cache (a curl share handle), so several add-ports or remove-ports arguments
 * share a connection; each request gets an easy handle of its own, because libcurl before
 * 8.1.0 (Debian 12 has 7.88) keeps a dangling pointer to the previous request's last header
 * in a reused handle and reads freed memory when the next answer starts with a folded header
 * line (its commit "headers: clear (possibly) lingering pointer in init").
 *
 * Errors read as rootlessctl's: a missing socket is "stat PATH: no such file or directory"
 * (the client stats it first), a refused connection "Get \"http://rootlesskit/v1/info\":
 * dial unix PATH: connect: connection refused", and an answer outside 2xx is the server's
 * {"message"} when its body (first 64 KiB) is one, else "unexpected HTTP status Not Found,
 * body=\"...\"" (httputil.HTTPStatusError). Answers are decoded by apijson.c, as Go's
 * json.Decoder would.
 */
#include "config.h"

#include <curl/curl.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "apijson.h"
#include "ctl.h"
#include "ctlfmt.h"
#include "error.h"
#include "gojson.h"
#include "log.h"
#include "util.h"

/* What rootlesskit's client reads of an error answer */
#define CTL_ERROR_BODY_MAX ((size_t)64 * 1024)
/* Largest answer taken (a port list of thousands of entries fits) */
#define CTL_BODY_MAX ((size_t)16 * 1024 * 1024)
/* Root of the API's URLs */
#define CTL_URL "http://rootlesskit/v1"

/**
 * struct ctl - a client
 * @share:	connection cache shared by every request (keep-alive)
 * @path:	socket path
 */
struct ctl {
	CURLSH *share;
	char *path;
};

/**
 * struct ctl_buf - an answer's body
 * @data:	bytes, NUL-terminated
 * @len:	bytes in @data
 * @too_big:	the answer passed CTL_BODY_MAX and was cut
 */
struct ctl_buf {
	char *data;
	size_t len;
	bool too_big;
};

/**
 * ctl_strerror() - error_errstr() as Go's syscall.Errno prints it (first letter lower case)
 * @e:		errno value
 * @buf:	output
 * @len:	size of @buf
 *
 * Return: @buf
 */
static const char *ctl_strerror(int e, char *buf, size_t len)
{
	snprintf(buf, len, "%s", error_errstr(e));
	if (buf[0])
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return buf;
}

/**
 * ctl_open() - Make a client for a socket
 * @socket_path: api.sock
 * @out:	the client
 * @e:		"stat PATH: ..." if the socket is not there
 *
 * Return: 0, or -errno
 */
int ctl_open(const char *socket_path, struct ctl **out, struct error *e)
{
	struct stat st;
	struct ctl *c;

	if (stat(socket_path, &st) < 0) {
		int ret = -errno;
		char why[128];

		return error_plain(e, ret, "stat %s: %s", socket_path,
				   ctl_strerror(-ret, why, sizeof(why)));
	}
	if (curl_global_init(CURL_GLOBAL_DEFAULT)) {
		return error_plain(e, ENOMEM, "libcurl could not be initialised");
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->path = strdup(socket_path)) || !(c->share = curl_share_init()) ||
	    curl_share_setopt(c->share, CURLSHOPT_SHARE, CURL_LOCK_DATA_CONNECT) != CURLSHE_OK) {
		ctl_close(c);
		return error_plain(e, ENOMEM, "out of memory");
	}
	*out = c;
	return 0;
}

/**
 * ctl_close() - Close a client's connection and free it
 * @c:		client, may be NULL
 *
 * Return: nothing
 */
void ctl_close(struct ctl *c)
{
	if (!c)
		return;
	if (c->share)
		curl_share_cleanup(c->share);
	free(c->path);
	free(c);
	curl_global_cleanup();
}

/**
 * ctl_write_cb() - libcurl's write callback: collect the body
 * @ptr:	bytes
 * @size:	1
 * @nmemb:	count
 * @data:	struct ctl_buf
 *
 * Return: bytes taken; fewer (an error for libcurl) past CTL_BODY_MAX
 */
static size_t ctl_write_cb(char *ptr, size_t size, size_t nmemb, void *data)
{
	struct ctl_buf *b = data;
	size_t n = size * nmemb;
	char *p;

	if (n > CTL_BODY_MAX - b->len) {
		b->too_big = true;
		return 0;
	}
	p = realloc(b->data, b->len + n + 1);
	if (!p)
		return 0;
	memcpy(p + b->len, ptr, n);
	b->data = p;
	b->len += n;
	b->data[b->len] = '\0';
	return n;
}

/**
 * ctl_status_error() - rootlesskit's client message for an answer outside 2xx
 * @code:	status
 * @body:	the answer's body
 * @len:	bytes in @body
 * @e:		message
 *
 * Return: -EPROTO
 */
static int ctl_status_error(long code, const char *body, size_t len, struct error *e)
{
	cleanup_free char *q = NULL;
	size_t qlen;

	if (len > CTL_ERROR_BODY_MAX)
		len = CTL_ERROR_BODY_MAX;
	if (len && len < CTL_ERROR_BODY_MAX) {
		json_t *root = json_loadb(body, len, JSON_DECODE_ANY, NULL);
		const char *msg = root ? apijson_error_decode(root) : NULL;

		if (msg) {
			error_plain(e, EPROTO, "%s", msg);
			json_decref(root);
			return -EPROTO;
		}
		json_decref(root);
	}
	qlen = len * 4 + 3;
	q = malloc(qlen);
	if (q) {
		cleanup_free char *b = strndup(body ? body : "", len);

		if (b)
			gojson_quote(b, q, qlen);
	}
	/* cleanup_free releases it */ // NOLINTNEXTLINE(clang-analyzer-unix.Malloc)
	return error_plain(e, EPROTO, "unexpected HTTP status %s, body=%s",
			   ctlfmt_status_text(code), q ? q : "\"\"");
}

/**
 * ctl_do() - Make one request
 * @c:		client
 * @method:	"GET", "POST" or "DELETE"
 * @path:	path under /v1
 * @body:	JSON body for POST, or NULL
 * @resp:	the answer's body (2xx only), freed by the caller
 * @e:		message on failure
 *
 * Return: 0 for a 2xx answer, -EPROTO for another answer (server's message in @err),
 *	   -EIO if the request failed
 */
static int ctl_do(struct ctl *c, const char *method, const char *path, const char *body,
		  struct ctl_buf *resp, struct error *e)
{
	struct curl_slist *hdrs = NULL, *h;
	struct ctl_buf b = {0};
	char url[256], op[16];
	long code = 0, os_err = 0;
	CURLcode res;
	CURL *curl;

	snprintf(url, sizeof(url), CTL_URL "%s", path);
	/* Go's url.Error names the method as "Get", "Post", "Delete" */
	snprintf(op, sizeof(op), "%s", method);
	for (size_t i = 1; op[i]; i++)
		op[i] = (char)tolower((unsigned char)op[i]);

	curl = curl_easy_init();
	if (!curl) {
		return error_plain(e, ENOMEM, "%s \"%s\": out of memory", op, url);
	}
	h = curl_slist_append(hdrs, "Expect:");
	if (h)
		hdrs = h;
	if (body) {
		h = curl_slist_append(hdrs, "Content-Type: application/json");
		if (h)
			hdrs = h;
	}
	curl_easy_setopt(curl, CURLOPT_SHARE, c->share);
	curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, c->path);
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, ctl_write_cb);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &b);
	if (body) {
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	} else if (strcmp(method, "GET") != 0) {
		curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
	}
	debug("%s %s%s%s", method, url, body ? " " : "", body ? body : "");
	res = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_OS_ERRNO, &os_err);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &code);
	/* the connection stays in the share's cache for the next request */
	curl_easy_cleanup(curl);
	curl_slist_free_all(hdrs);
	if (res != CURLE_OK) {
		if (res == CURLE_COULDNT_CONNECT && os_err) {
			char why[128];

			error_plain(e, EIO, "%s \"%s\": dial unix %s: connect: %s", op, url,
				    c->path, ctl_strerror((int)os_err, why, sizeof(why)));
		} else if (b.too_big) {
			error_plain(e, EIO, "%s \"%s\": answer larger than %zu bytes", op, url,
				    CTL_BODY_MAX);
		} else {
			error_plain(e, EIO, "%s \"%s\": %s", op, url, curl_easy_strerror(res));
		}
		free(b.data);
		return -EIO;
	}
	debug("%ld %s", code, b.data ? b.data : "");
	if (code / 100 != 2) {
		int ret = ctl_status_error(code, b.data, b.len, e);

		free(b.data);
		return ret;
	}
	*resp = b;
	return 0;
}

/**
 * ctl_info() - GET /v1/info
 * @c:		client
 * @root:	the parsed answer, released by the caller
 * @out:	decoded info, views into *@root
 * @e:		message on failure
 *
 * Return: 0, or -errno
 */
int ctl_info(struct ctl *c, json_t **root, struct apijson_info *out, struct error *e)
{
	struct ctl_buf b = {0};
	int ret = ctl_do(c, "GET", "/info", NULL, &b, e);

	if (ret)
		return ret;
	*root = gojson_load(b.data ? b.data : "", b.len, e);
	free(b.data);
	if (!*root)
		return -EINVAL;
	return apijson_info_decode(*root, out, e);
}

/**
 * ctl_list_ports() - GET /v1/ports
 * @c:		client
 * @root:	the parsed answer, released by the caller
 * @out:	malloc'd statuses, views into *@root (NULL when there are none)
 * @n:		number of @out
 * @e:		message on failure
 *
 * Return: 0, or -errno
 */
int ctl_list_ports(struct ctl *c, json_t **root, struct apijson_status **out, size_t *n,
		   struct error *e)
{
	struct ctl_buf b = {0};
	struct apijson_status *st;
	int ret = ctl_do(c, "GET", "/ports", NULL, &b, e);

	*out = NULL;
	*n = 0;
	if (ret)
		return ret;
	*root = gojson_load(b.data ? b.data : "", b.len, e);
	free(b.data);
	if (!*root)
		return -EINVAL;
	if (json_is_null(*root))
		return 0;
	if (!json_is_array(*root)) {
		char kind[32];

		snprintf(kind, sizeof(kind), "%s",
			 json_is_object(*root)	  ? "object"
			 : json_is_string(*root)  ? "string"
			 : json_is_boolean(*root) ? "bool"
						  : "number");
		return error_plain(e, EINVAL,
				   "json: cannot unmarshal %s into Go value of type []port.Status",
				   kind);
	}
	if (!json_array_size(*root))
		return 0;
	st = calloc(json_array_size(*root), sizeof(*st));
	if (!st) {
		return error_plain(e, ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < json_array_size(*root); i++) {
		ret = apijson_status_decode(json_array_get(*root, i), &st[i], e);
		if (ret) {
			free(st);
			return ret;
		}
	}
	*out = st;
	*n = json_array_size(*root);
	return 0;
}

/**
 * ctl_add_port() - POST /v1/ports
 * @c:		client
 * @spec:	the port
 * @root:	the parsed answer, released by the caller
 * @out:	the server's status for it, views into *@root
 * @e:		message on failure
 *
 * Return: 0, or -errno
 */
int ctl_add_port(struct ctl *c, const struct apijson_spec *spec, json_t **root,
		 struct apijson_status *out, struct error *e)
{
	json_t *o = apijson_spec_encode(spec);
	cleanup_free char *body = NULL;
	struct ctl_buf b = {0};
	int ret;

	if (o)
		body = gojson_dump(o, false);
	json_decref(o);
	if (!body) {
		return error_plain(e, ENOMEM, "out of memory");
	}
	ret = ctl_do(c, "POST", "/ports", body, &b, e);
	if (ret)
		return ret;
	*root = gojson_load(b.data ? b.data : "", b.len, e);
	free(b.data);
	if (!*root)
		return -EINVAL;
	return apijson_status_decode(*root, out, e);
}

/**
 * ctl_remove_port() - DELETE /v1/ports/{id}
 * @c:		client
 * @id:		port ID
 * @e:		message on failure
 *
 * Return: 0, or -errno
 */
int ctl_remove_port(struct ctl *c, long long id, struct error *e)
{
	struct ctl_buf b = {0};
	char path[64];
	int ret;

	snprintf(path, sizeof(path), "/ports/%lld", id);
	ret = ctl_do(c, "DELETE", path, NULL, &b, e);
	free(b.data);
	return ret;
}

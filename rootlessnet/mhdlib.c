/* mhdlib.c - libmicrohttpd, loaded with dlopen() when the API gets its first client */
/**
 * DOC: Theory of operation
 *
 * Debian's libmicrohttpd links GnuTLS, and with it nettle, hogweed, gmp, p11-kit, libidn2,
 * libunistring, libtasn1 and libffi: linked into rootlessnet they were mapped and relocated
 * at every start (about 1 ms) and their relocated pages were copied into every helper
 * process, although most runs never see an API client, and a run of `rootlessnet true`
 * none. api.sock is still made and listened on before the command starts (api.c), so a
 * client's connect() succeeds at once; the library is loaded when apiconn.c accepts the
 * first client, and the daemon started then. The calls go through &mhdlib, whose members
 * have the library's own prototypes (typeof), so the compiler checks every call as before.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mhdlib.h"

struct mhdlib mhdlib;

/**
 * mhdlib_sym() - Look up one symbol
 * @h:		the library
 * @name:	its name
 * @ok:		set to false when it is missing
 *
 * Return: the address, or NULL
 */
static void *mhdlib_sym(void *h, const char *name, bool *ok)
{
	void *p = dlsym(h, name);

	if (!p)
		*ok = false;
	return p;
}

/**
 * mhdlib_load() - Load libmicrohttpd (once; later calls answer at once)
 * @why:	what failed (dlerror()'s text, or a missing symbol), static, when it fails
 *
 * Return: 0, or -ELIBACC when the library or one of its functions cannot be found
 */
int mhdlib_load(const char **why)
{
	static const char *failed;
	static bool loaded;
	struct mhdlib m;
	bool ok = true;
	void *h;

	if (loaded)
		return 0;
	if (failed) {
		*why = failed;
		return -ELIBACC;
	}
	h = dlopen(RN_MHD_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		static char msg[256];
		const char *dl = dlerror();

		snprintf(msg, sizeof(msg), "%s", dl ? dl : RN_MHD_SONAME " cannot be loaded");
		failed = *why = msg;
		return -ELIBACC;
	}
	m.start_daemon = (__typeof__(m.start_daemon))mhdlib_sym(h, "MHD_start_daemon", &ok);
	m.stop_daemon = (__typeof__(m.stop_daemon))mhdlib_sym(h, "MHD_stop_daemon", &ok);
	m.get_daemon_info =
		(__typeof__(m.get_daemon_info))mhdlib_sym(h, "MHD_get_daemon_info", &ok);
	m.run = (__typeof__(m.run))mhdlib_sym(h, "MHD_run", &ok);
	m.get_timeout = (__typeof__(m.get_timeout))mhdlib_sym(h, "MHD_get_timeout", &ok);
	m.add_connection = (__typeof__(m.add_connection))mhdlib_sym(h, "MHD_add_connection", &ok);
	m.get_connection_info =
		(__typeof__(m.get_connection_info))mhdlib_sym(h, "MHD_get_connection_info", &ok);
	m.lookup_connection_value = (__typeof__(m.lookup_connection_value))mhdlib_sym(
		h, "MHD_lookup_connection_value", &ok);
	m.create_response_from_buffer = (__typeof__(m.create_response_from_buffer))mhdlib_sym(
		h, "MHD_create_response_from_buffer", &ok);
	m.add_response_header =
		(__typeof__(m.add_response_header))mhdlib_sym(h, "MHD_add_response_header", &ok);
	m.queue_response = (__typeof__(m.queue_response))mhdlib_sym(h, "MHD_queue_response", &ok);
	m.destroy_response =
		(__typeof__(m.destroy_response))mhdlib_sym(h, "MHD_destroy_response", &ok);
	if (!ok) {
		dlclose(h);
		failed = *why = RN_MHD_SONAME " lacks a function the API needs";
		return -ELIBACC;
	}
	mhdlib = m;
	loaded = true;
	return 0;
}

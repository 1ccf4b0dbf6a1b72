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
 *
 * Unloading. Loaded, the library and GnuTLS cost the parent about 2.7 MB of PSS (their
 * relocated pages, GnuTLS's global state): more than all of rootlessnet's processes take
 * without it (2.2 MB), for an API that dockerd calls at start and at each published port.
 * So apiconn.c stops the daemon once no client has been connected for APICONN_UNLOAD_S, and
 * mhdlib_unload() closes the library (GnuTLS and the others go with it, but p11-kit, which
 * is linked -z nodelete, stays with libffi) and gives the freed heap back (malloc_trim()).
 * The next client loads it again: its first answer takes 1.5 to 3 ms instead of 0.05.
 */
#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "mhdlib.h"

struct mhdlib mhdlib;
/* the library's handle while it is loaded */
static void *mhdlib_handle;

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
 * mhdlib_load() - Load libmicrohttpd (once until mhdlib_unload(); later calls answer at once)
 * @why:	what failed (dlerror()'s text, or a missing symbol), static, when it fails
 *
 * Return: 0, or -ELIBACC when the library or one of its functions cannot be found
 */
int mhdlib_load(const char **why)
{
	static const char *failed;
	struct mhdlib m;
	bool ok = true;
	void *h;

	if (mhdlib_handle)
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
	mhdlib_handle = h;
	return 0;
}

/**
 * mhdlib_unload() - Close libmicrohttpd, which no daemon uses any more, and trim the heap
 *
 * The caller has stopped every daemon it started: nothing of the library may be used
 * after this, until mhdlib_load() again.
 *
 * Return: true if the library was loaded (and is now closed), false if it was not
 */
bool mhdlib_unload(void)
{
	void *h = mhdlib_handle;

	if (!h)
		return false;
	mhdlib_handle = NULL;
	memset(&mhdlib, 0, sizeof(mhdlib));
	dlclose(h);
	malloc_trim(0);
	return true;
}

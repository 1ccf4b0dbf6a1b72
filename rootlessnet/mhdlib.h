/* mhdlib.h - libmicrohttpd, loaded with dlopen() when the API gets its first client */
#ifndef RN_MHDLIB_H
#define RN_MHDLIB_H

#include <stdbool.h>

#include <microhttpd.h>

/**
 * struct mhdlib - the libmicrohttpd functions the API uses, with the library's own types
 * @start_daemon:	MHD_start_daemon()
 * @stop_daemon:	MHD_stop_daemon()
 * @get_daemon_info:	MHD_get_daemon_info()
 * @run:		MHD_run()
 * @get_timeout:	MHD_get_timeout()
 * @add_connection:	MHD_add_connection()
 * @get_connection_info: MHD_get_connection_info()
 * @lookup_connection_value: MHD_lookup_connection_value()
 * @create_response_from_buffer: MHD_create_response_from_buffer()
 * @add_response_header: MHD_add_response_header()
 * @queue_response:	MHD_queue_response()
 * @destroy_response:	MHD_destroy_response()
 */
struct mhdlib {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_run) *run;
	__typeof__(MHD_get_timeout) *get_timeout;
	__typeof__(MHD_add_connection) *add_connection;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
};

/* filled by mhdlib_load(); only used once it returned 0 */
extern struct mhdlib mhdlib;

int mhdlib_load(const char **why);
bool mhdlib_unload(void);

#endif /* RN_MHDLIB_H */

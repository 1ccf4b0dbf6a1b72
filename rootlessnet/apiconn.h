/* apiconn.h - the API's clients: accepting them, request deadlines, evicting the idle */
#ifndef RN_APICONN_H
#define RN_APICONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

struct loop;
struct apiconn;

/* a client has this long to send a whole request (line, headers, body) */
#define APICONN_REQUEST_S 5
/* and this long between requests on a kept-alive connection */
#define APICONN_IDLE_S 30
/* clients served at once; a new one past that closes the longest idle (or slowest) one */
#define APICONN_MAX 256
/* with no client for this long, libmicrohttpd is stopped and unloaded (mhdlib.c) */
#define APICONN_UNLOAD_S 5

/**
 * struct apiconn_ops - what apiconn.c asks of the server (api.c)
 * @run:	let libmicrohttpd do what became ready
 * @start:	load and start libmicrohttpd (the first client is here); NULL if it could not
 *		(then each client is closed, and it is called again at the next)
 * @stop:	stop the daemon if it holds no connection; false if it still does
 */
struct apiconn_ops {
	void (*run)(void *data);
	struct MHD_Daemon *(*start)(void *data);
	bool (*stop)(void *data);
};

/**
 * enum apiconn_state - where a client is
 * @APICONN_NEW:	connected, no request yet
 * @APICONN_BUSY:	a request is being read or answered
 * @APICONN_IDLE:	between requests (keep-alive)
 * @APICONN_CUT:	closed by us, waiting for libmicrohttpd to notice
 */
enum apiconn_state {
	APICONN_NEW,
	APICONN_BUSY,
	APICONN_IDLE,
	APICONN_CUT,
};

/**
 * struct apiconn_entry - one client
 * @state:	where it is
 * @since_ns:	when it got there
 * @fd:		its socket (libmicrohttpd's)
 * @prev:	queue link
 * @next:	queue link
 */
struct apiconn_entry {
	enum apiconn_state state;
	uint64_t since_ns;
	int fd;
	struct apiconn_entry *prev, *next;
};

/**
 * struct apiconn_queue - clients in one kind of state, oldest first
 * @head:	oldest
 * @tail:	newest
 */
struct apiconn_queue {
	struct apiconn_entry *head, *tail;
};

/**
 * struct apiconn_table - every client, by the deadline that applies to it
 * @slow:	NEW and BUSY clients: APICONN_REQUEST_S from @since_ns
 * @idle:	IDLE clients: APICONN_IDLE_S from @since_ns
 * @count:	clients, CUT ones included (they still hold a descriptor)
 */
struct apiconn_table {
	struct apiconn_queue slow;
	struct apiconn_queue idle;
	size_t count;
};

void apiconn_table_add(struct apiconn_table *t, struct apiconn_entry *e, uint64_t now_ns);
void apiconn_table_set(struct apiconn_table *t, struct apiconn_entry *e, enum apiconn_state st,
		       uint64_t now_ns);
void apiconn_table_remove(struct apiconn_table *t, struct apiconn_entry *e);
struct apiconn_entry *apiconn_table_expired(const struct apiconn_table *t, uint64_t now_ns);
struct apiconn_entry *apiconn_table_victim(const struct apiconn_table *t);
uint64_t apiconn_table_deadline(const struct apiconn_table *t);

int apiconn_listen(const char *path, int *out);
int apiconn_new(struct loop *l, const struct apiconn_ops *ops, void *data, struct apiconn **out);
int apiconn_attach(struct apiconn *ac, int listen_fd);
void apiconn_notify(void *cls, struct MHD_Connection *conn, void **socket_context,
		    enum MHD_ConnectionNotificationCode toe);
void *apiconn_uri(void *cls, const char *uri, struct MHD_Connection *conn);
void apiconn_request_done(struct apiconn *ac, struct MHD_Connection *conn);
size_t apiconn_count(const struct apiconn *ac);
void apiconn_free(struct apiconn *ac);

#endif /* RN_APICONN_H */

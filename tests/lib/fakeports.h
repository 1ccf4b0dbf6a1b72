/* fakeports.h - for tests: ports.h's table with the real checks, binding nothing */
#ifndef RN_TEST_FAKEPORTS_H
#define RN_TEST_FAKEPORTS_H

#include <stddef.h>

#include "portmap.h"
#include "ports.h"

/* entries the table holds at most */
#define FAKEPORTS_MAX 1024

/**
 * struct ports - the test table: a program that links fakeports.c gets these ports_*()
 *		  instead of ports.c's (the API server is tested without namespaces or
 *		  binding the host's ports)
 * @caps:	driver capabilities
 * @e:		entries, in ID order
 * @n:		entries used
 * @next_id:	next ID to give
 */
struct ports {
	struct portmap_caps caps;
	struct ports_entry e[FAKEPORTS_MAX];
	size_t n;
	unsigned int next_id;
};

void fakeports_reset(struct ports *p);

#endif /* RN_TEST_FAKEPORTS_H */

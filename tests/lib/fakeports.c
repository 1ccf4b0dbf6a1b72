/* fakeports.c - for tests: ports.h's table with the real checks, binding nothing */
/**
 * DOC: Theory of operation
 *
 * The API server (api.c) reaches the port table through ports.h only. The API harness and
 * the HTTP fuzzer link this file, whose definitions the linker takes instead of ports.c's:
 * a table that keeps ports as ports.c does (IDs from 1, never reused; each request checked
 * against every existing one with portmap_conflict(), then resolved with portmap_resolve(),
 * whose skip reasons are logged) but opens nothing. The server's answers can so be checked
 * apart from the port drivers, and a fuzzer never binds the host's ports.
 */
#include "config.h"

#include <errno.h>
#include <string.h>

#include "error.h"
#include "fakeports.h"
#include "log.h"
#include "portmap.h"
#include "ports.h"

/**
 * fakeports_reset() - Forget every port; IDs start from 1 again
 * @p:		table
 *
 * Return: nothing
 */
void fakeports_reset(struct ports *p)
{
	p->n = 0;
	p->next_id = 1;
}

/**
 * ports_add() - Record a port after the checks the real table makes, in its order
 * @p:		table, NULL for no driver
 * @spec:	request
 * @id:		its ID
 * @e:		what failed
 *
 * Return: 0, -ENODEV, -EEXIST, -EINVAL, -EAFNOSUPPORT or -ENOSPC
 */
int ports_add(struct ports *p, const struct portspec *spec, unsigned int *id, struct error *e)
{
	struct portmap_plan plan;
	int ret;

	if (!p)
		return error_plain(e, ENODEV, "no PortDriver is available");
	for (size_t i = 0; i < p->n; i++) {
		struct error why = {0};

		if (!portmap_conflict(spec, &p->e[i].spec, &p->caps, &why))
			continue;
		if (!why.errnum)
			return error_plain(e, EEXIST, "conflict with ID %u", p->e[i].id);
		error_wrap(&why, "conflict with ID %u", p->e[i].id);
		if (e)
			*e = why;
		return -EEXIST;
	}
	ret = portmap_resolve(spec, &p->caps, &plan, e);
	if (ret)
		return ret;
	if (p->n == FAKEPORTS_MAX)
		return error_plain(e, ENOSPC, "too many ports");
	for (size_t i = 0; i < plan.n_skip; i++)
		warn("%s", plan.skip[i].reason);
	p->e[p->n].id = p->next_id++;
	p->e[p->n].spec = *spec;
	*id = p->e[p->n++].id;
	return 0;
}

/**
 * ports_remove() - Forget a port
 * @p:		table, NULL for no driver
 * @id:		its ID
 *
 * Return: 0, -ENODEV or -ENOENT
 */
int ports_remove(struct ports *p, unsigned int id)
{
	if (!p)
		return -ENODEV;
	for (size_t i = 0; i < p->n; i++) {
		if (p->e[i].id != id)
			continue;
		memmove(&p->e[i], &p->e[i + 1], (p->n - i - 1) * sizeof(p->e[0]));
		p->n--;
		return 0;
	}
	return -ENOENT;
}

/**
 * ports_foreach() - Call @cb for each port in ID order
 * @p:		table, NULL for no driver
 * @cb:		callback; a negative return stops the walk
 * @data:	its argument
 *
 * Return: 0, the callback's negative value, or -ENODEV
 */
int ports_foreach(struct ports *p, ports_iter_cb cb, void *data)
{
	if (!p)
		return -ENODEV;
	for (size_t i = 0; i < p->n; i++) {
		int ret = cb(&p->e[i], data);

		if (ret < 0)
			return ret;
	}
	return 0;
}

/**
 * ports_count() - Number of ports
 * @p:		table, may be NULL
 *
 * Return: the count
 */
size_t ports_count(const struct ports *p)
{
	return p ? p->n : 0;
}

/**
 * ports_driver_name() - The driver's name
 * @p:		table, may be NULL
 *
 * Return: the name, NULL without a driver
 */
const char *ports_driver_name(const struct ports *p)
{
	return p ? p->caps.driver : NULL;
}

/**
 * ports_caps() - The driver's capabilities
 * @p:		table, may be NULL
 *
 * Return: the capabilities, NULL without a driver
 */
const struct portmap_caps *ports_caps(const struct ports *p)
{
	return p ? &p->caps : NULL;
}

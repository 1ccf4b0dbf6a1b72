/* dproxy-main.c - rootlessnet-docker-proxy entry point */
#include "config.h"

#include "dproxy.h"

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	docker-proxy's flags
 *
 * Return: exit status
 */
int main(int argc, char **argv)
{
	return dproxy_main(argc, argv);
}

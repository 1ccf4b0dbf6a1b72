/* main.c - rootlessnet entry point */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

/**
 * main() - Entry point
 * @argc:	argument count
 * @argv:	arguments
 *
 * Return: exit status
 */
int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		printf("rootlessnet version %s\n", PACKAGE_VERSION);
		return 0;
	}
	die("usage: rootlessnet --version (the command runner is not built yet)");
}

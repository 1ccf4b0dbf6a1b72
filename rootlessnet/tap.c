/* tap.c - the tap device inside the namespace: open /dev/net/tun, read and write frames */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>

#include "tap.h"
#include "util.h"

/**
 * tap_open() - Create a tap device in the current network namespace
 * @ifname:	interface name, at most IFNAMSIZ - 1 characters
 *
 * The device is an Ethernet tap without the packet information header (IFF_TAP |
 * IFF_NO_PI): each read() returns one frame, each write() sends one. The fd is blocking and
 * close-on-exec; the device goes away when the last fd to it is closed.
 *
 * Return: the tap fd, -ENAMETOOLONG for a long name, or -errno from open/ioctl
 */
int tap_open(const char *ifname)
{
	cleanup_close int fd = -1;
	struct ifreq ifr;

	if (strlen(ifname) >= IFNAMSIZ)
		return -ENAMETOOLONG;
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	strncpy(ifr.ifr_name, ifname, IFNAMSIZ - 1);
	if (ioctl(fd, TUNSETIFF, &ifr) < 0)
		return -errno;
	return steal_fd(&fd);
}

/**
 * tap_set_nonblock() - Make an fd non-blocking
 * @fd:		file descriptor
 *
 * Return: 0 or -errno
 */
int tap_set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0)
		return -errno;
	if (!(fl & O_NONBLOCK) && fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -errno;
	return 0;
}

/* conf.h - the run configuration: rootlesskit's flags checked, defaulted and resolved, once */
#ifndef RN_CONF_H
#define RN_CONF_H

#include <net/if.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>

#include "topo.h"

struct cli_result;
struct portspec;

/* --mtu for slirp4netns: 0 means the default; libslirp takes at most 65521 */
#define CONF_MTU_DEFAULT 65520
#define CONF_MTU_MAX	 65521
/* pasta's largest MTU: 65535 less the 802.3 header */
#define CONF_MTU_MAX_PASTA 65520

enum conf_net {
	CONF_NET_HOST = 0, /* rootlesskit's default */
	CONF_NET_NONE,
	CONF_NET_SLIRP4NETNS,
	CONF_NET_PASTA,
};

enum conf_port_driver {
	CONF_PORT_NONE = 0,
	CONF_PORT_BUILTIN,
	CONF_PORT_SLIRP4NETNS,
	CONF_PORT_IMPLICIT, /* pasta forwards every port the namespace listens on */
};

enum conf_tristate {
	CONF_AUTO = 0,
	CONF_TRUE,
	CONF_FALSE,
};

enum conf_subid_source {
	CONF_SUBID_AUTO = 0,
	CONF_SUBID_DYNAMIC,
	CONF_SUBID_STATIC,
};

/**
 * struct conf - one run's configuration, from conf_parse(): checked, with every default
 *		 applied and what follows from the flags derived (conf_derive())
 * @state_dir:		absolute state directory (made by the parent when not given)
 * @state_dir_given:	--state-dir was on the command line
 * @net:		--net
 * @mtu:		--mtu; 0 becomes 65520 for slirp4netns and pasta (0 otherwise)
 * @cidr:		--cidr network address (host order not used: struct in_addr)
 * @cidr_prefix:	--cidr prefix length
 * @ifname:		--ifname (tap0)
 * @disable_host_loopback: --disable-host-loopback
 * @ipv6:		--ipv6
 * @detach_netns:	--detach-netns
 * @sandbox:		--slirp4netns-sandbox
 * @seccomp:		--slirp4netns-seccomp
 * @pasta_binary:	--pasta-binary ("pasta", looked up in PATH)
 * @port_driver:	--port-driver
 * @source_ip_transparent: --source-ip-transparent (default true): the builtin driver shows
 *			the service its clients' own addresses
 * @publish:		--publish/-p specs, in order, as given (for messages)
 * @n_publish:		number of @publish
 * @copy_up:		--copy-up directories
 * @n_copy_up:		number of @copy_up
 * @propagation:	--propagation (rprivate, rslave, rshared, ...), as given
 * @pidns:		--pidns
 * @cgroupns:		--cgroupns
 * @utsns:		--utsns
 * @ipcns:		--ipcns
 * @reaper:		--reaper
 * @evacuate_cgroup2:	--evacuate-cgroup2 group name, or NULL
 * @subid_source:	--subid-source
 * @debug:		--debug
 * @argv:		the command and its arguments (NULL-terminated)
 * @argc:		number of @argv entries
 * @cidr_given:		--cidr was on the command line (@cidr holds 10.0.2.0/24 otherwise)
 * @ifname_given:	--ifname was on the command line (@ifname is "tap0" otherwise)
 * @reaper_on:		--reaper resolved: auto means true with --pidns
 * @parent_euid:	effective uid of the top process (ROOTLESSKIT_PARENT_EUID)
 * @parent_egid:	effective gid of the top process (ROOTLESSKIT_PARENT_EGID)
 * @topo:		the user-mode network's addresses, from @cidr
 * @specs:		@publish parsed, @n_publish of them
 * @propagation_flags:	@propagation as mount flags (MS_REC | MS_SLAVE, ...)
 */
struct conf {
	char *state_dir;
	bool state_dir_given;
	enum conf_net net;
	unsigned int mtu;
	struct in_addr cidr;
	unsigned int cidr_prefix;
	char ifname[IFNAMSIZ];
	bool disable_host_loopback;
	bool ipv6;
	bool detach_netns;
	enum conf_tristate sandbox;
	enum conf_tristate seccomp;
	char *pasta_binary;
	enum conf_port_driver port_driver;
	bool source_ip_transparent;
	char **publish;
	size_t n_publish;
	char **copy_up;
	size_t n_copy_up;
	char *propagation;
	bool pidns;
	bool cgroupns;
	bool utsns;
	bool ipcns;
	enum conf_tristate reaper;
	char *evacuate_cgroup2;
	enum conf_subid_source subid_source;
	bool debug;
	char **argv;
	int argc;
	bool cidr_given;
	bool ifname_given;
	bool reaper_on;
	unsigned int parent_euid;
	unsigned int parent_egid;
	struct topo topo;
	struct portspec *specs;
	unsigned long propagation_flags;
};

int conf_parse(int argc, char **argv, struct conf *c, struct cli_result *res);
int conf_derive(struct conf *c, struct cli_result *res);
int conf_propagation_flags(const char *name, unsigned long *flags);
void conf_derived_free(struct conf *c);
void conf_free(struct conf *c);
const char *conf_net_name(int net);
const char *conf_port_driver_name(int driver);

#endif /* RN_CONF_H */

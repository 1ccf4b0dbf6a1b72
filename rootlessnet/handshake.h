/* handshake.h - the parent/child start-up messages on the SOCK_SEQPACKET channel */
#ifndef RN_HANDSHAKE_H
#define RN_HANDSHAKE_H

/**
 * enum handshake_type - start-up messages, in the order they are sent
 * @HANDSHAKE_MAPS:	parent -> child: uid_map and gid_map are written
 * @HANDSHAKE_READY:	child -> parent: mounts and netns_child_setup() are done
 * @HANDSHAKE_GO:	parent -> child: network, ports, child_pid and API are up: run it
 */
enum handshake_type {
	HANDSHAKE_MAPS = 0x524e0001,
	HANDSHAKE_READY = 0x524e0002,
	HANDSHAKE_GO = 0x524e0003,
};

int handshake_send(int fd, enum handshake_type type);
int handshake_wait(int fd, enum handshake_type type);
const char *handshake_name(enum handshake_type type);

#endif /* RN_HANDSHAKE_H */

/* sandbox.h - confine the network process: empty read-only root, one capability, no_new_privs */
#ifndef RN_SANDBOX_H
#define RN_SANDBOX_H

#include <stdbool.h>

int sandbox_enter(void);
int sandbox_drop_caps(void);

#endif /* RN_SANDBOX_H */

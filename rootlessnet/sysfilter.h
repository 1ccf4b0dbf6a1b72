/* sysfilter.h - the network process's seccomp filter (libseccomp): kill on dangerous calls */
#ifndef RN_SYSFILTER_H
#define RN_SYSFILTER_H

#include <stddef.h>

int sysfilter_install(void);
size_t sysfilter_blocked(const char *const **names);

#endif /* RN_SYSFILTER_H */

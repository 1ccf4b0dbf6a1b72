/* cgroup2.h - --evacuate-cgroup2: move our cgroup2 group's processes into a subgroup */
#ifndef RN_CGROUP2_H
#define RN_CGROUP2_H

int cgroup2_evacuate(const char *name);

#endif /* RN_CGROUP2_H */

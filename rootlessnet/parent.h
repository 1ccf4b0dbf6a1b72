/* parent.h - the parent: state dir, clone, maps, start-up of the modules, then the event loop */
#ifndef RN_PARENT_H
#define RN_PARENT_H

struct conf;

int parent_run(struct conf *c);

#endif /* RN_PARENT_H */

/* path.h - lexical cleaning of absolute paths */
#ifndef RN_PATH_H
#define RN_PATH_H

#include <stddef.h>

char *path_clean(char *path);
int path_clean_plain(const char *in, char *out, size_t len);

#endif /* RN_PATH_H */

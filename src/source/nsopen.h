/* nsopen.h - opening a namespace file (/run/netns/NAME) without trusting
 * what is there.
 *
 * /run/netns/NAME is normally an nsfs bind mount made by `ip netns add`.
 * Anything else may sit at that path: a FIFO (a plain open() for reading
 * then blocks forever), a directory, a regular file left after its bind
 * mount went away, a socket, a device. nsopen() looks first through an
 * O_PATH descriptor (which never blocks and has no side effect on any file
 * type), says what the file is when it is not a namespace, and only then
 * opens it for setns(). */
#ifndef SOCKVIEW_NSOPEN_H
#define SOCKVIEW_NSOPEN_H

#include <stddef.h>

/* The file type of mode as a word for messages ("a FIFO", "a directory").
 * Translated. */
const char *nsopen_type_name(unsigned mode);

/* Opens path (following symlinks, as `ip netns` does) read-only and
 * close-on-exec if it is a namespace file (nsfs). Returns the fd, or -1
 * with errno (ENOENT, EACCES..., or EINVAL when it is not a namespace)
 * and, for EINVAL, a translated reason in why ("it is a FIFO, not a
 * namespace file: ..."). */
int nsopen(const char *path, char *why, size_t whylen);

#endif

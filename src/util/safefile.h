/* safefile.h - reading and replacing a user's own small files safely.
 *
 * sockview keeps a few files of its own under the user's XDG directories
 * (the filter history, the settings). Reading one must not block (a FIFO
 * planted there), follow a symlink, or take an unbounded amount of memory;
 * writing one must never leave a half-written file nor write through a
 * symlink. These two functions are the one way the program does both.
 * Errors are returned as -1 with errno; nothing here prints. */
#ifndef SOCKVIEW_SAFEFILE_H
#define SOCKVIEW_SAFEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/* Reads the regular file at path into out (appended), at most max bytes.
 * Refuses, with errno: ELOOP a symlink, EINVAL another kind of file (FIFO,
 * device, directory), EFBIG a file larger than max, and what open() or
 * read() say. Returns 0, or -1 (out then holds nothing new). */
int safefile_read(const char *path, size_t max, struct buf *out);

/* Replaces the file at path with the len bytes at data: written to a new
 * temporary file beside it (O_EXCL, O_NOFOLLOW, mode 0600), flushed to disk,
 * then renamed over path. The missing directories leading to path are made
 * with mode 0700. A symlink at path is replaced, never followed. Returns 0,
 * or -1 with errno (path is then as it was). */
int safefile_replace(const char *path, const void *data, size_t len);

/* Where a user's file lives under an XDG base directory: $ENV/REL when the
 * variable ENV holds an absolute path, else $HOME/HOME_REL/REL (HOME_REL:
 * ".local/state", ".config"). False if neither is usable or the path does
 * not fit in len bytes. */
bool safefile_xdg_path(char *out, size_t len, const char *env, const char *home_rel,
		       const char *rel);

#endif

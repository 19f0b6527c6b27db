/* recdir.h - the files of --record-dump, made so that no one else's
 * symlink or file can receive them.
 *
 * sockview often runs as root, and the directory it records into may be
 * one that others can write (/tmp). A planted symlink (DIR/tcp-inet.bin ->
 * /etc/shadow) or a planted hard link must not make root append dump bytes
 * to another file. So:
 *   - the directory must be safe: not writable by group or others unless
 *     sticky (then others cannot remove or rename our files), and owned by
 *     us or by root;
 *   - a file is created with O_CREAT|O_EXCL|O_NOFOLLOW (never through a
 *     symlink, never an existing file), mode 0600;
 *   - an existing file (the next refresh appends to the same recording) is
 *     opened with O_NOFOLLOW and kept only if it is a regular file of ours
 *     with one link. */
#ifndef SOCKVIEW_RECDIR_H
#define SOCKVIEW_RECDIR_H

#include <stddef.h>

/* Checks that dir is a directory safe to record into. Returns 0, or -1
 * with errno (EPERM for an unsafe directory, else open()'s) and a
 * translated reason in why. */
int recdir_check(const char *dir, char *why, size_t whylen);

/* Opens dir/name for appending as described above; returns the fd, or -1
 * with errno (EPERM: unsafe directory; ELOOP: a symlink; EEXIST: a file
 * that is not ours or has other links). */
int recdir_open_file(const char *dir, const char *name);

#endif

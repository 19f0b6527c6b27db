/* histfile.h - the filter history kept between runs (core; file I/O).
 *
 * The expressions typed at the filter prompt are saved, one per line,
 * oldest first, in $XDG_STATE_HOME/sockview/filter-history (by default
 * ~/.local/state/sockview/filter-history), a file only its owner can read,
 * replaced atomically. The live view loads it at start and saves it after
 * each filter applied and at exit; a file that cannot be read or written
 * only means no history. Lines from the file are data from outside: they
 * are bounded, and shown escaped like anything typed. */
#ifndef SOCKVIEW_HISTFILE_H
#define SOCKVIEW_HISTFILE_H

#include <stdbool.h>
#include <stddef.h>

struct filter_hist;

/* The history file's path into out (len bytes); false if neither
 * XDG_STATE_HOME nor HOME is set to an absolute path, or it is too long. */
bool histfile_path(char *out, size_t len);
/* Adds the lines of the file at path to h, oldest first. Lines longer
 * than the line editor takes, or with a NUL byte, are skipped. Returns the
 * number added; 0 if the file does not exist; -1 with errno on another
 * error. */
int histfile_load(struct filter_hist *h, const char *path);
/* Writes h to path (its directory made 0700 if missing; the file 0600),
 * through a temporary file renamed over it. Entries with a line break are
 * left out. Returns 0, or -1 with errno. */
int histfile_save(const struct filter_hist *h, const char *path);

#endif

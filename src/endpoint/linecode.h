/* linecode.h - a typed line as the bytes a client sends: escapes decoded
 * (\x00, \r, \n...) when asked, and the line ending the user chose (LF,
 * CRLF as `ncat -C` sends, or none). Pure: no I/O, no allocation beyond the
 * output buffer. */
#ifndef SOCKVIEW_LINECODE_H
#define SOCKVIEW_LINECODE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

enum ep_eol {
	EP_EOL_LF,   /* "\n" (the default) */
	EP_EOL_CRLF, /* "\r\n": HTTP, SMTP, ncat -C */
	EP_EOL_NONE, /* nothing added */
	EP_EOL_N_
};

/* Appends to out the bytes of the line in[0..len) followed by the line
 * ending. With escapes, a backslash starts one of \\ \n \r \t \0 \a \e
 * \xHH (exactly two hex digits); anything else after a backslash (or a
 * backslash at the end) is an error. Returns 0, or -1 with *bad set to the
 * offset of the faulty backslash (out is then left as it was). */
int linecode_encode(const char *in, size_t len, bool escapes, enum ep_eol eol, struct buf *out,
		    size_t *bad);

/* The translated name of a line ending: "LF", "CRLF", "none". */
const char *linecode_eol_name(enum ep_eol eol);

#endif

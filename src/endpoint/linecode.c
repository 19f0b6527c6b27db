/* linecode.c - typed lines to bytes (linecode.h). */
#include "config.h"

#include "i18n.h"
#include "linecode.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Encodes into t (a fresh buffer); -1 with *bad on a faulty escape. */
static int encode(const char *in, size_t len, bool escapes, enum ep_eol eol, struct buf *out,
		  size_t *bad)
{
	size_t i = 0;

	while (i < len) {
		size_t run = i;
		char c;

		if (!escapes) {
			i = len;
		} else {
			while (i < len && in[i] != '\\')
				i++;
		}
		if (i > run && buf_append(out, in + run, i - run) < 0)
			goto fail_at_run;
		if (i >= len)
			break;
		/* a backslash */
		if (i + 1 >= len)
			goto fail;
		switch (in[i + 1]) {
		case '\\': c = '\\'; break;
		case 'n': c = '\n'; break;
		case 'r': c = '\r'; break;
		case 't': c = '\t'; break;
		case '0': c = '\0'; break;
		case 'a': c = '\a'; break;
		case 'e': c = 0x1b; break;
		case 'x': {
			int hi, lo;

			if (i + 3 >= len)
				goto fail;
			hi = hexval(in[i + 2]);
			lo = hexval(in[i + 3]);
			if (hi < 0 || lo < 0)
				goto fail;
			c = (char)(hi << 4 | lo);
			if (buf_append(out, &c, 1) < 0)
				goto fail;
			i += 4;
			continue;
		}
		default:
			goto fail;
		}
		if (buf_append(out, &c, 1) < 0)
			goto fail;
		i += 2;
	}
	switch (eol) {
	case EP_EOL_CRLF:
		if (buf_append(out, "\r\n", 2) < 0)
			goto fail_end;
		break;
	case EP_EOL_NONE:
		break;
	default:
		if (buf_append(out, "\n", 1) < 0)
			goto fail_end;
		break;
	}
	return 0;
fail_at_run:
fail:
	*bad = i;
	return -1;
fail_end:
	*bad = len;
	return -1;
}

int linecode_encode(const char *in, size_t len, bool escapes, enum ep_eol eol, struct buf *out,
		    size_t *bad)
{
	struct buf t = BUF_INIT;
	int r = encode(in, len, escapes, eol, &t, bad);

	if (r == 0 && t.len && buf_append(out, t.data, t.len) < 0) {
		*bad = len;
		r = -1;
	}
	buf_free(&t);
	return r;
}

const char *linecode_eol_name(enum ep_eol eol)
{
	switch (eol) {
	case EP_EOL_CRLF: return "CRLF";
	case EP_EOL_NONE: return _("none");
	default: return "LF";
	}
}

/* lineedit.c - the one-line text editor. */
#include "config.h"

#include <string.h>

#include "keys.h"
#include "lineedit.h"

void lineedit_set(struct lineedit *e, const char *text)
{
	size_t n = strlen(text);

	if (n >= sizeof(e->text)) {
		/* cut on a character boundary */
		n = sizeof(e->text) - 1;
		while (n > 0 && ((unsigned char)text[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(e->text, text, n);
	e->text[n] = '\0';
	e->len = n;
	e->cur = n;
}

void lineedit_clear(struct lineedit *e)
{
	e->text[0] = '\0';
	e->len = 0;
	e->cur = 0;
}


static size_t utf8_prev(const char *s, size_t i)
{
	while (i > 0 && ((unsigned char)s[--i] & 0xc0) == 0x80)
		;
	return i;
}

static size_t utf8_next(const char *s, size_t len, size_t i)
{
	if (i < len)
		i++;
	while (i < len && ((unsigned char)s[i] & 0xc0) == 0x80)
		i++;
	return i;
}

size_t lineedit_utf8_encode(unsigned c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xc0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		if (c >= 0xd800 && c <= 0xdfff)
			return 0;
		out[0] = (char)(0xe0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	if (c < 0x110000) {
		out[0] = (char)(0xf0 | (c >> 18));
		out[1] = (char)(0x80 | ((c >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((c >> 6) & 0x3f));
		out[3] = (char)(0x80 | (c & 0x3f));
		return 4;
	}
	return 0;
}

static void edit_delete(struct lineedit *e, size_t from, size_t to)
{
	memmove(e->text + from, e->text + to, e->len - to + 1);
	e->len -= to - from;
	if (e->cur > to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
}

bool lineedit_key(struct lineedit *e, int key, bool *handled)
{
	char enc[4];
	size_t n;

	*handled = true;
	switch (key) {
	case KC_LEFT:
		e->cur = utf8_prev(e->text, e->cur);
		return false;
	case KC_RIGHT:
		e->cur = utf8_next(e->text, e->len, e->cur);
		return false;
	case KC_HOME:
	case KC_CTRL('a'):
		e->cur = 0;
		return false;
	case KC_END:
	case KC_CTRL('e'):
		e->cur = e->len;
		return false;
	case KC_BACKSPACE:
	case 0x7f:
	case KC_CTRL('h'):
		if (!e->cur)
			return false;
		edit_delete(e, utf8_prev(e->text, e->cur), e->cur);
		return true;
	case KC_DELETE:
	case KC_CTRL('d'):
		if (e->cur >= e->len)
			return false;
		edit_delete(e, e->cur, utf8_next(e->text, e->len, e->cur));
		return true;
	case KC_CTRL('u'):
		if (!e->cur)
			return false;
		edit_delete(e, 0, e->cur);
		return true;
	case KC_CTRL('k'):
		if (e->cur >= e->len)
			return false;
		edit_delete(e, e->cur, e->len);
		return true;
	case KC_CTRL('w'): {
		size_t i = e->cur;

		while (i > 0 && e->text[i - 1] == ' ')
			i--;
		while (i > 0 && e->text[i - 1] != ' ')
			i--;
		if (i == e->cur)
			return false;
		edit_delete(e, i, e->cur);
		return true;
	}
	default:
		break;
	}
	if (key < 0x20 || key == 0x7f || (key >= 0x80 && key < 0xa0) || key >= KC_SPECIAL) {
		*handled = false;
		return false;
	}
	n = lineedit_utf8_encode((unsigned)key, enc);
	if (!n || e->len + n >= sizeof(e->text))
		return false;
	memmove(e->text + e->cur + n, e->text + e->cur, e->len - e->cur + 1);
	memcpy(e->text + e->cur, enc, n);
	e->len += n;
	e->cur += n;
	return true;
}

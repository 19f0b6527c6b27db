/* lineedit.c - the one-line text editor. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "keys.h"
#include "lineedit.h"
#include "utf8.h"

void lineedit_set(struct lineedit *e, const char *text)
{
	size_t n = strlen(text);

	e->over = n > LINEEDIT_TEXT_MAX;
	if (e->over)
		n = utf8_floor(text, LINEEDIT_TEXT_MAX); /* cut on a character boundary */
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
	e->over = false;
}

bool lineedit_over(const struct lineedit *e)
{
	return e->over;
}

static void edit_delete(struct lineedit *e, size_t from, size_t to)
{
	memmove(e->text + from, e->text + to, e->len - to + 1);
	e->len -= to - from;
	e->over = false; /* what is left is what the user made of it */
	if (e->cur > to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
}

bool lineedit_key(struct lineedit *e, int key, bool *handled)
{
	char enc[UTF8_MAX];
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
	n = utf8_encode((uint32_t)key, enc);
	if (!n)
		return false;
	/* once something was refused, what follows is refused too: the text
	 * must not go on without the piece that did not fit */
	if (e->over || e->len + n > LINEEDIT_TEXT_MAX) {
		e->over = true;
		return false;
	}
	memmove(e->text + e->cur + n, e->text + e->cur, e->len - e->cur + 1);
	memcpy(e->text + e->cur, enc, n);
	e->len += n;
	e->cur += n;
	return true;
}

/* ui_term.c - terminal set-up, input and painting with curses. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "escape.h"
#include "i18n.h"
#include "keys.h"
#include "ui_caps.h"
#include "ui_color.h"
#include "ui_crash.h"
#include "ui_term.h"
#include "xalloc.h"

struct ui_term {
	SCREEN *scr;
	attr_t attrs[VS_MAX_];
	bool cursor_shown;
	bool clear_next;
	bool reenter; /* continued after a stop: take the terminal again */
};

/* Never runs: SIGTSTP stays blocked for the loop's signalfd. It is there so
 * that curses, finding a handler already set, leaves SIGTSTP alone: its own
 * handling sets SIG_IGN at moments, and that discards a SIGTSTP waiting in
 * the signalfd (a kill -TSTP then does nothing). */
static bool is_foreground(void);

static void tstp_placeholder(int sig)
{
	(void)sig;
}

struct ui_term *ui_term_open(bool color, char *err, size_t errlen)
{
	const char *term = getenv("TERM");
	struct ui_term *t;
	SCREEN *scr;

	if (!term || !*term) {
		snprintf(err, errlen, "%s", _("TERM is not set: cannot drive the terminal"));
		return NULL;
	}
	{
		struct sigaction sa, old;

		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = tstp_placeholder;
		sigemptyset(&sa.sa_mask);
		/* SIG_IGN (a shell without job control): keep it */
		if (sigaction(SIGTSTP, NULL, &old) == 0 && old.sa_handler == SIG_DFL)
			sigaction(SIGTSTP, &sa, NULL);
	}
	ui_crash_save_modes(STDIN_FILENO);
	scr = newterm(NULL, stdout, stdin);
	if (!scr) {
		snprintf(err, errlen, _("unknown terminal type '%s' (TERM): cannot drive the terminal"),
			 term);
		return NULL;
	}
	set_term(scr);
	/* a terminal that cannot move the cursor (TERM=dumb) would get a
	 * garbled screen: refuse it like an unknown one */
	{
		if (!ui_caps_can_move()) {
			endwin();
			delscreen(scr);
			snprintf(err, errlen,
				 _("terminal type '%s' (TERM) cannot move the cursor: cannot drive it"),
				 term);
			return NULL;
		}
	}
	t = xcalloc(1, sizeof(*t));
	t->scr = scr;
	cbreak();   /* Ctrl-C stays a signal, handled by the loop */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	leaveok(stdscr, FALSE);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
		  NULL);
	mouseinterval(150);
	ui_color_init(t->attrs, color && has_colors());
	ui_term_resize(t);
	ui_crash_arm(STDOUT_FILENO);
	return t;
}

void ui_term_close(struct ui_term *t)
{
	char *rmcup;

	if (!t)
		return;
	ui_crash_disarm();
	/* Ended while in the background (kill -TERM, then kill -CONT): the
	 * terminal is the shell's now, and touching it would only stop us
	 * again (SIGTTOU) instead of letting us exit. */
	if (!is_foreground()) {
		delscreen(t->scr);
		free(t);
		return;
	}
	/* A terminal without an alternate screen (vt100) would keep the
	 * table, with the shell's prompt written over its last line: leave
	 * it blank instead. */
	rmcup = tigetstr("rmcup");
	if ((rmcup == NULL || rmcup == (char *)-1 || !*rmcup) && !isendwin()) {
		erase();
		refresh();
	}
	curs_set(1);
	endwin();
	delscreen(t->scr);
	free(t);
}

void ui_term_emergency(void)
{
	if (stdscr && !isendwin())
		endwin();
}

void ui_term_resize(struct ui_term *t)
{
	struct winsize ws;

	(void)t;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	t->clear_next = true;
}

/* Stops the process with sig (SIGTSTP or SIGTTOU) as if it had its default
 * action, and returns once continued. The loop keeps these signals blocked
 * for its signalfd and curses may have a handler for SIGTSTP: both are set
 * aside for the moment of the stop. whole_group: stop the whole job (what the
 * terminal does for Ctrl-Z), else only this process. In an orphaned process
 * group the kernel discards the stop and this returns at once. */
static void stop_self(int sig, bool whole_group)
{
	struct sigaction dfl, old;
	sigset_t set, oldmask;

	memset(&dfl, 0, sizeof(dfl));
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	if (sigaction(sig, &dfl, &old) < 0)
		return;
	/* whoever started us asked not to be stopped by this signal */
	if (old.sa_handler == SIG_IGN) {
		sigaction(sig, &old, NULL);
		return;
	}
	sigemptyset(&set);
	sigaddset(&set, sig);
	sigprocmask(SIG_UNBLOCK, &set, &oldmask);
	/* a signal to ourselves is delivered before kill() returns: we stop
	 * here, and go on from here when continued */
	kill(whole_group ? 0 : getpid(), sig);
	sigprocmask(SIG_SETMASK, &oldmask, NULL);
	sigaction(sig, &old, NULL);
}

static bool is_foreground(void)
{
	pid_t fg = tcgetpgrp(STDIN_FILENO);

	/* no controlling terminal to share (fg < 0): nobody to disturb */
	return fg < 0 || fg == getpgrp();
}

/* A background job must not touch the terminal: without TOSTOP its writes
 * pass and land in the middle of the shell's screen. */
bool ui_term_wait_foreground(struct ui_term *t)
{
	if (is_foreground())
		return true;
	stop_self(SIGTTOU, false);
	t->reenter = true;
	return is_foreground();
}

void ui_term_suspend(struct ui_term *t, bool whole_group)
{
	/* the shell has the terminal meanwhile: a crash leaves it alone */
	ui_crash_disarm();
	if (!isendwin())
		endwin();
	/* Stop like any job. In an orphaned process group the kernel
	 * discards the stop and we simply go on. */
	stop_self(SIGTSTP, whole_group);
	/* continued (fg or bg): the next draw takes the screen again, if we
	 * are in the foreground by then */
	t->reenter = true;
}

void ui_term_continued(struct ui_term *t)
{
	/* Stopped by SIGSTOP, which nobody can catch: the terminal was not
	 * left, but a shell may have written on our screen or changed the
	 * modes meanwhile. The next draw starts afresh. */
	t->reenter = true;
	ui_crash_arm(STDOUT_FILENO);
}

void ui_term_size(const struct ui_term *t, int *width, int *height)
{
	(void)t;
	*width = COLS > 0 ? COLS : 0;
	*height = LINES > 0 ? LINES : 0;
}

static int map_key(int ch)
{
	switch (ch) {
	case KEY_UP: return KC_UP;
	case KEY_DOWN: return KC_DOWN;
	case KEY_LEFT: return KC_LEFT;
	case KEY_RIGHT: return KC_RIGHT;
	case KEY_PPAGE: return KC_PGUP;
	case KEY_NPAGE: return KC_PGDN;
	case KEY_HOME: return KC_HOME;
	case KEY_END: return KC_END;
	case KEY_ENTER: return KC_ENTER;
	case '\r':
	case '\n': return KC_ENTER;
	case 0x1b: return KC_ESC;
	case KEY_BACKSPACE:
	case 0x7f:
	case 0x08: return KC_BACKSPACE;
	case KEY_DC: return KC_DELETE;
	case '\t': return KC_TAB;
	case KEY_BTAB: return KC_BTAB;
	case KEY_RESIZE: return KC_RESIZE;
	default: break;
	}
	if (ch >= KEY_F(1) && ch <= KEY_F(12))
		return KC_F1 + (ch - KEY_F(1));
	if (ch >= KEY_MIN)
		return KC_NONE; /* a key sockview does not use */
	return ch;
}

/* Decodes the bytes of one UTF-8 character whose first byte is c0; the rest
 * are read without waiting. Invalid input gives U+FFFD.
 * Not utf8_decode() (utf8.h), on purpose: the bytes come one by one from
 * getch(), and after each one this must decide whether it belongs to the
 * character or starts the next key (then it goes back with ungetch()); a
 * buffer decoder sees all the bytes at once. The rule is also more lenient
 * than utf8_decode()'s: lead bytes are classified by their bit pattern
 * (C0, C1 and F5-F7 included) and the value is not checked, so an overlong
 * form or a surrogate arrives as its code point (lineedit drops surrogates
 * and values past U+10FFFF, since utf8_encode() refuses them). */
static int read_utf8(int c0)
{
	int need, cp;

	if (c0 < 0x80)
		return c0;
	if ((c0 & 0xe0) == 0xc0) {
		need = 1;
		cp = c0 & 0x1f;
	} else if ((c0 & 0xf0) == 0xe0) {
		need = 2;
		cp = c0 & 0x0f;
	} else if ((c0 & 0xf8) == 0xf0) {
		need = 3;
		cp = c0 & 0x07;
	} else {
		return 0xfffd;
	}
	while (need-- > 0) {
		int c = getch();

		if (c == ERR || (c & 0xc0) != 0x80) {
			if (c != ERR)
				ungetch(c);
			return 0xfffd;
		}
		cp = (cp << 6) | (c & 0x3f);
	}
	return cp;
}

bool ui_term_read(struct ui_term *t, struct ui_event *ev)
{
	int ch = getch();

	(void)t;
	memset(ev, 0, sizeof(*ev));
	if (ch == ERR)
		return false;
	if (ch == KEY_MOUSE) {
		MEVENT me;

		ev->key = KC_MOUSE;
		if (getmouse(&me) != OK)
			return true; /* mouse = NONE: ignored */
		ev->x = me.x;
		ev->y = me.y;
		if (me.bstate & BUTTON1_DOUBLE_CLICKED)
			ev->mouse = UI_MOUSE_DOUBLE;
		else if (me.bstate & BUTTON1_CLICKED)
			ev->mouse = UI_MOUSE_CLICK;
		else if (me.bstate & BUTTON4_PRESSED)
			ev->mouse = UI_MOUSE_WHEEL_UP;
		else if (me.bstate & BUTTON5_PRESSED)
			ev->mouse = UI_MOUSE_WHEEL_DOWN;
		return true;
	}
	/* getch() hands over the bytes of a multibyte character one by one;
	 * text for the prompt is UTF-8 (in other locales, bytes >= 0x80 are
	 * not taken as text) */
	if (ch >= 0x80 && ch < 0x100 && esc_charset_from_locale() == ESC_UTF8)
		ch = read_utf8(ch);
	else if (ch >= 0x80 && ch < 0x100)
		ch = KC_NONE;
	ev->key = map_key(ch);
	return true;
}

void ui_term_clear(struct ui_term *t)
{
	t->clear_next = true;
}

void ui_term_draw(struct ui_term *t, const struct view *v)
{
	static const char spaces[] = "                                                                ";

	if (!ui_term_wait_foreground(t))
		return; /* cannot be stopped (orphaned job): do not scribble */
	if (t->reenter) {
		/* endwin then refresh: curses sets our terminal modes again,
		 * enters the alternate screen, keypad and mouse modes, and the
		 * cursor state; clear_next repaints every cell */
		if (!isendwin())
			endwin();
		t->reenter = false;
		ui_term_resize(t);
	}
	if (t->clear_next) {
		clearok(curscr, TRUE);
		t->clear_next = false;
	}
	for (int y = 0; y < v->height && y < LINES; y++) {
		const struct view_line *l = &v->lines[y];
		size_t x = 0;

		move(y, 0);
		for (size_t i = 0; i < l->n; i++) {
			const struct view_span *sp = &v->spans[l->first + i];

			attrset(t->attrs[sp->style]);
			addnstr(view_span_text(v, sp), (int)sp->len);
			x += sp->width;
		}
		attrset(t->attrs[l->fill]);
		while (x < (size_t)v->width && x < (size_t)COLS) {
			size_t n = (size_t)COLS - x;

			if (n > sizeof(spaces) - 1)
				n = sizeof(spaces) - 1;
			/* the last cell of the screen: addnstr returns ERR there
			 * (the cursor cannot advance) but the cell is drawn */
			addnstr(spaces, (int)n);
			x += n;
		}
	}
	attrset(A_NORMAL);
	if (v->cursor_on) {
		if (!t->cursor_shown)
			curs_set(1);
		t->cursor_shown = true;
		move(v->cursor_y, v->cursor_x);
	} else {
		if (t->cursor_shown)
			curs_set(0);
		t->cursor_shown = false;
	}
	refresh();
}

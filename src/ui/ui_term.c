/* ui_term.c - terminal set-up, input and painting with curses. */
#include "config.h"

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "clock.h"
#include "escape.h"
#include "i18n.h"
#include "keyin.h"
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
	struct keyin *in; /* the key decoder: what stdin sent */
};

/* Bytes read from stdin at once; how long an Esc waits for the rest of a
 * sequence (what curses' ESCDELAY was set to). */
#define UI_READ_MAX 65536
#define UI_ESC_DELAY_MS 25

/* Never runs: SIGTSTP stays blocked for the loop's signalfd. It is there so
 * that curses, finding a handler already set, leaves SIGTSTP alone: its own
 * handling sets SIG_IGN at moments, and that discards a SIGTSTP waiting in
 * the signalfd (a kill -TSTP then does nothing). */
static bool is_foreground(void);
static void define_keys(struct keyin *k);

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
	/* text is UTF-8 (in other locales, bytes >= 0x80 are not taken as text) */
	t->in = keyin_new(esc_charset_from_locale() == ESC_UTF8);
	define_keys(t->in);
	cbreak();   /* Ctrl-C stays a signal, handled by the loop */
	noecho();
	nonl();
	/* keypad: the terminal's application mode (smkx), which the key
	 * strings of terminfo are for; the keys are read by keyin.c */
	keypad(stdscr, TRUE);
	curs_set(0);
	leaveok(stdscr, FALSE);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED,
		  NULL);
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
		keyin_free(t->in);
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
	keyin_free(t->in);
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

/* The terminal's own strings for the keys sockview uses (terminfo), for
 * the decoder; the usual CSI and SS3 forms are known to it anyway. */
static void define_keys(struct keyin *k)
{
	static const struct {
		const char *cap;
		int key;
	} caps[] = {
		{ "kcuu1", KC_UP },   { "kcud1", KC_DOWN }, { "kcub1", KC_LEFT },
		{ "kcuf1", KC_RIGHT }, { "kpp", KC_PGUP },  { "knp", KC_PGDN },
		{ "khome", KC_HOME }, { "kend", KC_END },   { "kent", KC_ENTER },
		{ "kdch1", KC_DELETE }, { "kcbt", KC_BTAB }, { "kf1", KC_F1 },
		{ "kf2", KC_F2 },     { "kf3", KC_F3 },     { "kf4", KC_F4 },
		{ "kf5", KC_F5 },     { "kf6", KC_F6 },     { "kf7", KC_F7 },
		{ "kf8", KC_F8 },     { "kf9", KC_F9 },     { "kf10", KC_F10 },
		{ "kf11", KC_F11 },   { "kf12", KC_F12 },
	};

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		const char *s = tigetstr(caps[i].cap);

		if (s && s != (char *)-1)
			keyin_define(k, s, caps[i].key);
	}
}

/* Reads what stdin has now, without waiting, into the decoder. Returns the
 * number of bytes (0: nothing there, or the end of the input). */
static size_t read_available(struct ui_term *t)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	char buf[UI_READ_MAX];
	ssize_t n;

	if (poll(&pfd, 1, 0) <= 0 || !(pfd.revents & POLLIN))
		return 0;
	n = read(STDIN_FILENO, buf, sizeof(buf));
	if (n <= 0)
		return 0;
	keyin_feed(t->in, buf, (size_t)n);
	return (size_t)n;
}

bool ui_term_read(struct ui_term *t, struct ui_event *ev, bool may_read)
{
	struct key_event ke;

	memset(ev, 0, sizeof(*ev));
	/* The bytes are read here, in blocks, and decoded by keyin.c: curses'
	 * getch() makes two system calls per byte, and its key codes share
	 * their numbers with characters (U+0107 would be KEY_BACKSPACE). */
	for (;;) {
		if (keyin_next(t->in, &ke, clock_now_ms()))
			break;
		if (may_read && read_available(t))
			continue;
		if (!keyin_partial(t->in))
			return false;
		/* an Esc: the start of a sequence, or the Esc key when
		 * nothing follows soon */
		{
			struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };

			if (poll(&pfd, 1, UI_ESC_DELAY_MS) > 0 && (pfd.revents & POLLIN) &&
			    read_available(t))
				continue;
		}
		keyin_flush(t->in);
	}
	ev->key = ke.key;
	ev->x = ke.x;
	ev->y = ke.y;
	switch (ke.mouse) {
	case KM_CLICK: ev->mouse = UI_MOUSE_CLICK; break;
	case KM_DOUBLE: ev->mouse = UI_MOUSE_DOUBLE; break;
	case KM_WHEEL_UP: ev->mouse = UI_MOUSE_WHEEL_UP; break;
	case KM_WHEEL_DOWN: ev->mouse = UI_MOUSE_WHEEL_DOWN; break;
	case KM_NONE: ev->mouse = UI_MOUSE_NONE; break;
	}
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

/* test_keys.c - the key table is the one source of the help and the footer:
 * every key a help line or a footer hint shows is bound to what it says,
 * every action a key triggers is in the help, and the names read as
 * before. The checks parse the shown text back into key codes, so they do
 * not trust the code that made it. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "app.h"
#include "endpoint.h"
#include "epman.h"
#include "keys.h"
#include "loop.h"
#include "procmap.h"
#include "screen.h"
#include "uitest.h"

#define NOW 500000

/* Every key code the terminal layer may hand over, besides text above
 * ASCII (which nothing binds). */
static int next_key(int k)
{
	if (k < 0x7f)
		return k + 1;
	if (k == 0x7f)
		return KC_SPECIAL;
	return k + 1 < KC_MAX_ ? k + 1 : KC_NONE;
}

/* The key whose name is name (brief: the footer's names), or KC_NONE. */
static int key_named(const char *name, bool brief)
{
	char buf[32];

	for (int k = 1; k != KC_NONE; k = next_key(k)) {
		keys_name(k, brief, buf, sizeof(buf));
		if (!strcmp(buf, name))
			return k;
	}
	return KC_NONE;
}

static bool set_has(const struct key_set *ks, enum action act)
{
	for (size_t i = 0; i < KEYS_SET_MAX && ks->act[i] != ACT_NONE; i++)
		if (ks->act[i] == act)
			return true;
	return false;
}

static size_t set_len(const struct key_set *ks)
{
	size_t n = 0;

	if (ks->act[0] != ACT_NONE)
		while (n < KEYS_SET_MAX && ks->act[n] != ACT_NONE)
			n++;
	else
		while (n < KEYS_SET_MAX && ks->key[n] != KC_NONE)
			n++;
	return n;
}

/* The help line naming act, or NULL. */
static const struct key_help *help_of(enum action act)
{
	size_t n;
	const struct key_help *kh = keys_help(&n);

	for (size_t i = 0; i < n; i++)
		if (set_has(&kh[i].keys, act))
			return &kh[i];
	return NULL;
}

static const char *help_text(const struct key_help *h)
{
	static char buf[64];

	assert_non_null(h);
	keys_help_text(&h->keys, buf, sizeof(buf));
	return buf;
}

/* Each key a help line shows is bound to one of its actions, or, for the
 * few lines naming key codes, goes where the line says. */
static void test_help_keys_bound(void **state)
{
	size_t n, raw = 0;
	const struct key_help *kh = keys_help(&n);

	(void)state;
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		const struct key_set *ks = &kh[i].keys;
		char text[64], *save = NULL;
		bool seen[KEYS_SET_MAX] = { false };
		size_t shown = 0;

		/* actions or key codes, never both */
		assert_true((ks->act[0] != ACT_NONE) != (ks->key[0] != KC_NONE));
		assert_int_equal(kh[i].reader == KR_TABLE, ks->act[0] != ACT_NONE);
		keys_help_text(ks, text, sizeof(text));
		for (char *tok = strtok_r(text, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
			int k = key_named(tok, false);

			if (k == KC_NONE)
				fail_msg("help line %zu shows \"%s\", no key's name", i, tok);
			shown++;
			switch (kh[i].reader) {
			case KR_TABLE: {
				enum action act = keys_action(k);

				if (!set_has(ks, act))
					fail_msg("help line %zu shows %s, bound to action %d", i, tok,
						 (int)act);
				for (size_t j = 0; j < KEYS_SET_MAX; j++)
					if (ks->act[j] == act)
						seen[j] = true;
				break;
			}
			case KR_PANE:
				/* the pane gets it: the table does not take it there */
				assert_int_equal(keys_input_action(k), ACT_NONE);
				break;
			case KR_TERMINAL:
				assert_int_equal(keys_action(k), ACT_NONE);
				break;
			case KR_PROMPT:
				/* a function key, so it gets to the prompt's reader
				 * (prompt_key), which opens the filter's page */
				assert_int_equal(keys_prompt_action(k), ACT_HELP);
				break;
			}
		}
		assert_int_equal(shown >= set_len(ks), true);
		if (kh[i].reader == KR_TABLE) {
			/* every action of the line has a key in it */
			for (size_t j = 0; j < set_len(ks); j++)
				if (!seen[j])
					fail_msg("help line %zu: action %d has no key", i, (int)ks->act[j]);
		} else {
			raw++;
		}
	}
	/* the exceptions stay few: the pane's Enter, PgUp/PgDn, Ctrl-D and
	 * Ctrl-P, the filter prompt's F1, Ctrl-Z, the mouse */
	assert_true(raw <= 7);
}

/* Every action a key triggers from the table screen is in the help. */
static void test_help_covers_table(void **state)
{
	(void)state;
	for (int k = 1; k != KC_NONE; k = next_key(k)) {
		enum action act = keys_action(k);
		char name[32];

		if (act == ACT_NONE)
			continue;
		keys_name(k, false, name, sizeof(name));
		if (!help_of(act))
			fail_msg("key %s does action %d, which the help lacks", name, (int)act);
	}
}

/* The help reads as it always did. */
static void test_help_names(void **state)
{
	static const char *const want[] = {
		"q F10", "? h F1", "t u x w", "0 L M", "4 6", "l", "/ F3", "f F4", "F1", "s F6", "r",
		"Up Down j k", "PgUp PgDn Home End", "Enter", "p", "Space", "+ -", "c F5",
		"N", "n F2", "Tab S-Tab", "Enter", "PgUp PgDn", "Ctrl-D", "Ctrl-P", "Esc", "F7", "F8",
		"F11 Ctrl-O", "F12 Ctrl-X", "Ctrl-T", "P", "F9", "Ctrl-L", "g", "S", "e", "E", "T",
		"Ctrl-Z", "mouse",
	};
	size_t n;
	const struct key_help *kh = keys_help(&n);

	(void)state;
	assert_int_equal(n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < n; i++)
		assert_string_equal(help_text(&kh[i]), want[i]);
	assert_string_equal(help_text(help_of(ACT_QUIT)), "q F10");
	assert_string_equal(help_text(help_of(ACT_HELP)), "? h F1");
	assert_string_equal(help_text(help_of(ACT_DOWN)), "Up Down j k");
	assert_string_equal(help_text(help_of(ACT_END)), "PgUp PgDn Home End");
	/* a pane reads Esc itself (app_pane_key): it must be ACT_BACK's key */
	assert_string_equal(help_text(help_of(ACT_BACK)), "Esc");
	assert_int_equal(keys_input_action(KC_ESC), ACT_BACK);
}

static void test_names(void **state)
{
	char b[32];

	(void)state;
	keys_name(KC_CTRL('o'), false, b, sizeof(b));
	assert_string_equal(b, "Ctrl-O");
	keys_name(KC_CTRL('o'), true, b, sizeof(b));
	assert_string_equal(b, "^O");
	keys_name(KC_DOWN, true, b, sizeof(b));
	assert_string_equal(b, "Dn");
	keys_name(KC_F10, true, b, sizeof(b));
	assert_string_equal(b, "F10");
	keys_name(' ', false, b, sizeof(b));
	assert_string_equal(b, "Space");
	{
		struct key_set pg = KEYS_RAW(KC_PGUP, KC_PGDN);
		struct key_set fk = KEYS_RAW(KC_F7, KC_F8);
		struct key_set range = { .key = { '1', '5' }, .sep = '-' };

		keys_hint_text(&pg, b, sizeof(b));
		assert_string_equal(b, "PgUp/Dn");
		keys_hint_text(&fk, b, sizeof(b));
		assert_string_equal(b, "F7/F8");
		keys_hint_text(&range, b, sizeof(b));
		assert_string_equal(b, "1-5");
	}
	/* nothing overflows */
	keys_name(KC_BACKSPACE, false, b, 4);
	assert_string_equal(b, "Bac");
}

/* ---- the footer of every screen ---- */

struct fx {
	struct app *a;
	struct procmap *pm;
	struct loop *l;
	struct epman *em;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct options o;
	struct snapshot *s;

	ut_options(&o);
	f->a = app_new(&o, ESC_UTF8);
	f->pm = procmap_new();
	s = app_spare_snapshot(f->a);
	ut_inet(s, SP_TCP, SS_LISTEN, "127.0.0.1", 8080, "0.0.0.0", 0, 1, 101);
	ut_inet(s, SP_TCP, SS_ESTABLISHED, "127.0.0.1", 8080, "127.0.0.1", 40000, 2, 102);
	ut_finish(s, NOW);
	app_commit_snapshot(f->a, f->pm, NOW);
	f->l = loop_new();
	f->em = epman_new(f->l);
	app_set_epman(f->a, f->em);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	epman_free(f->em);
	loop_free(f->l);
	app_free(f->a);
	procmap_free(f->pm);
	free(f);
	return 0;
}

/* How a screen turns keys into actions, for the hints' checks. */
enum ctx {
	CTX_TABLE,      /* keys_action, letters included */
	CTX_PROMPT,     /* the form: keys_prompt_action, the rest is the form's */
	CTX_PANE_INPUT, /* a pane with an input line: keys_input_action */
	CTX_PANE,       /* a pane without one: it reads its keys, then the table */
};

static enum action ctx_action(enum ctx c, int key)
{
	switch (c) {
	case CTX_PROMPT:
		return keys_prompt_action(key);
	case CTX_PANE_INPUT:
		return keys_input_action(key);
	case CTX_TABLE:
	case CTX_PANE:
		break;
	}
	return keys_action(key);
}

/* The key token tok names, taking the footer's shortening into account
 * ("PgUp/Dn": "Dn" may be "PgDn" after "PgUp"). want is the action it
 * must do (ACT_NONE: any key). */
static int hint_key(const char *tok, const char *prev, enum ctx c, enum action want)
{
	char name[64];

	/* the longest prefix first: after "PgUp", "Dn" is "PgDn" */
	for (size_t p = strlen(prev) + 1; p-- > 0;) {
		int k;

		snprintf(name, sizeof(name), "%.*s%s", (int)p, prev, tok);
		k = key_named(name, true);
		if (k != KC_NONE && (want == ACT_NONE || ctx_action(c, k) == want))
			return k;
	}
	return KC_NONE;
}

/* Checks the hints of the screen shown; returns "key label ..." as shown
 * (labels untranslated) in out. */
static void check_hints(const struct app *a, enum ctx c, char *out, size_t outlen)
{
	size_t n = 0;
	const struct hint *h = screen_of(a->mode)->hints(a, &n);

	out[0] = '\0';
	assert_true(n > 0);
	for (size_t i = 0; i < n; i++) {
		const struct key_set *ks = &h[i].keys;
		char text[32], prev[32] = "", seps[2] = { ks->sep ? ks->sep : '/', '\0' };
		char *save = NULL;
		size_t j = 0, len = strlen(out);

		assert_true((ks->act[0] != ACT_NONE) != (ks->key[0] != KC_NONE));
		keys_hint_text(ks, text, sizeof(text));
		snprintf(out + len, outlen - len, "%s%s %s", i ? " " : "", text, h[i].label);
		/* one key may be the separator itself ("/ Search") */
		for (char *tok = set_len(ks) == 1 ? text : strtok_r(text, seps, &save); tok;
		     tok = set_len(ks) == 1 ? NULL : strtok_r(NULL, seps, &save), j++) {
			enum action want = ks->act[0] != ACT_NONE ? ks->act[j] : ACT_NONE;
			int k;

			assert_true(j < set_len(ks));
			k = hint_key(tok, prev, c, want);
			if (k == KC_NONE)
				fail_msg("screen %s: hint \"%s\" shows %s, not bound to action %d",
					 screen_of(a->mode)->name, h[i].label, tok, (int)want);
			if (ks->act[0] == ACT_NONE && (c == CTX_PROMPT || c == CTX_PANE_INPUT))
				/* a key the screen reads itself must get there */
				assert_int_equal(ctx_action(c, k), ACT_NONE);
			keys_name(k, true, prev, sizeof(prev));
		}
		assert_int_equal(j, set_len(ks));
		/* the table screen's hints are all actions */
		if (c == CTX_TABLE && a->mode == MODE_TABLE)
			assert_int_not_equal(ks->act[0], ACT_NONE);
	}
}

/* Drives the app from the table to mode m with keys, as a user would. */
static void go_to(struct app *a, enum app_mode m)
{
	app_key(a, KC_ESC, NOW);
	if (a->prompt != PROMPT_NONE) /* back from the filter help: its prompt */
		app_key(a, KC_ESC, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	switch (m) {
	case MODE_TABLE:
		break;
	case MODE_HELP:
		app_key(a, '?', NOW);
		break;
	case MODE_DETAILS:
		app_key(a, KC_ENTER, NOW);
		break;
	case MODE_SORT:
		app_key(a, 's', NOW);
		break;
	case MODE_COLUMNS:
		app_key(a, 'c', NOW);
		break;
	case MODE_MENU:
		app_key(a, 'n', NOW);
		break;
	case MODE_FORM:
		app_key(a, 'n', NOW);
		app_key(a, '1', NOW);
		break;
	case MODE_FILTER_HELP:
		app_key(a, 'f', NOW);
		app_key(a, KC_F1, NOW);
		break;
	case MODE_GROUP:
		/* the filter help (the mode before) leaves its prompt open */
		app_key(a, KC_ESC, NOW);
		app_key(a, 'g', NOW);
		break;
	case MODE_EVENTS:
		/* from the grouped view (the mode before): g returns to the table */
		app_key(a, 'g', NOW);
		app_key(a, 'e', NOW);
		break;
	case MODE_NETNS:
		/* from the event log (the mode before): Esc closes it */
		app_key(a, KC_ESC, NOW);
		app_key(a, 'N', NOW);
		break;
	case MODE_LAB:
		/* from the namespace chooser (the mode before): Esc closes it */
		app_key(a, KC_ESC, NOW);
		app_key(a, 'n', NOW);
		app_key(a, '6', NOW);
		break;
	case MODE_TOUR:
		app_key(a, 'T', NOW);
		break;
	case MODE_MAX_:
		break;
	}
	assert_int_equal(a->mode, m);
}

static void test_hints_bound(void **state)
{
	static const char *const want[MODE_MAX_] = {
		[MODE_TABLE] = "F1 Help F2 New / Search F4 Filter F6 Sort Enter Details p Peer "
			       "Space Pause t/u/x/w Protos l Listen c Columns F10 Quit",
		[MODE_HELP] = "Esc Close Up/Dn Scroll F10 Quit",
		[MODE_DETAILS] = "Esc Back p Peer Up/Dn Scroll Space Pause F10 Quit",
		[MODE_SORT] = "Up/Dn Move Enter Choose Esc Close F10 Quit",
		[MODE_COLUMNS] = "Up/Dn Move Enter Choose Esc Close F10 Quit",
		[MODE_MENU] = "Up/Dn Move Enter Choose 1-6 Kind Esc Cancel F10 Quit",
		[MODE_FORM] = "Enter Open Up/Dn Field Left/Right Change Esc Cancel F10 Quit",
		[MODE_FILTER_HELP] = "Esc Back Up/Dn Scroll PgUp/Dn Page F10 Quit",
		[MODE_GROUP] = "Enter Expand F6 Sort F4 Filter S Service g Table F10 Quit",
		[MODE_EVENTS] = "Esc Close Enter Select F4 Filter E Export F10 Quit",
		[MODE_NETNS] = "Up/Dn Move Enter Choose Esc Close F10 Quit",
		[MODE_LAB] = "Up/Dn Move Enter Open 1-7 Preset Esc Cancel F10 Quit",
		[MODE_TOUR] = "Enter DoIt Esc Leave Up/Dn Scroll F10 Quit",
	};
	struct fx *f = *state;
	char out[512];

	for (int m = 0; m < MODE_MAX_; m++) {
		go_to(f->a, (enum app_mode)m);
		check_hints(f->a, m == MODE_FORM ? CTX_PROMPT : CTX_TABLE, out, sizeof(out));
		assert_non_null(want[m]);
		assert_string_equal(out, want[m]);
	}
	/* the kinds' digits cover the kinds */
	assert_int_equal(EP_NKINDS, 5);
	app_key(f->a, KC_ESC, NOW);
	app_key(f->a, KC_ESC, NOW);
}

/* g and S: each key's grouping, the other switches, the same goes back;
 * the footer names what the keys do in each grouping. */
static void test_group_keys(void **state)
{
	struct fx *f = *state;
	struct app *a = f->a;
	char out[512];

	app_key(a, 'S', NOW);
	assert_int_equal(a->mode, MODE_GROUP);
	assert_true(screen_group_wants_services(a));
	check_hints(a, CTX_TABLE, out, sizeof(out));
	assert_string_equal(out, "Enter Expand F6 Sort F4 Filter g Process S Table F10 Quit");
	app_key(a, 'g', NOW);
	assert_int_equal(a->mode, MODE_GROUP);
	assert_false(screen_group_wants_services(a));
	check_hints(a, CTX_TABLE, out, sizeof(out));
	assert_string_equal(out, "Enter Expand F6 Sort F4 Filter S Service g Table F10 Quit");
	app_key(a, 'S', NOW);
	assert_true(screen_group_wants_services(a));
	app_key(a, 'S', NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	assert_false(screen_group_wants_services(a));
	app_key(a, 'g', NOW);
	assert_int_equal(a->mode, MODE_GROUP);
	assert_false(screen_group_wants_services(a));
	app_key(a, 'g', NOW);
	assert_int_equal(a->mode, MODE_TABLE);
}

/* The hints of a focused pane, with and without an input line. */
static void test_pane_hints(void **state)
{
	struct fx *f = *state;
	struct app *a = f->a;
	char out[512];

	/* an echo server: no input line */
	app_key(a, 'n', NOW);
	app_key(a, '1', NOW);
	app_key(a, KC_ENTER, NOW);
	assert_int_equal(a->mode, MODE_TABLE);
	app_key(a, KC_BTAB, NOW); /* a server does not take the focus */
	assert_non_null(app_focused_pane(a));
	assert_false(pane_has_input(app_focused_pane(a)));
	check_hints(a, CTX_PANE, out, sizeof(out));
	assert_string_equal(out, "PgUp/Dn Scroll F7 InTable F8 Close Tab Next Esc Table "
				 "^O Zoom ^X Hex F10 Quit");
	/* a chat server: an input line */
	app_key(a, KC_ESC, NOW);
	app_key(a, 'n', NOW);
	app_key(a, '2', NOW);
	app_key(a, KC_ENTER, NOW);
	app_key(a, KC_BTAB, NOW);
	assert_non_null(app_focused_pane(a));
	assert_true(pane_has_input(app_focused_pane(a)));
	check_hints(a, CTX_PANE_INPUT, out, sizeof(out));
	assert_string_equal(out, "Enter Send Up/Dn History PgUp/Dn Scroll F7 InTable F8 Close "
				 "Tab Next Esc Table ^O Zoom ^X Hex F10 Quit");
	/* Esc leaves the pane, as the hint says */
	app_key(a, KC_ESC, NOW);
	assert_null(app_focused_pane(a));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_help_keys_bound),
		cmocka_unit_test(test_help_covers_table),
		cmocka_unit_test(test_help_names),
		cmocka_unit_test(test_names),
		cmocka_unit_test_setup_teardown(test_hints_bound, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pane_hints, setup, teardown),
		cmocka_unit_test_setup_teardown(test_group_keys, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* ui_color.c - styles to curses attributes, with and without colour. */
#include "config.h"

#include <curses.h>

#include "ui_color.h"

/* Monochrome: what each style looks like with attributes alone. Every
 * distinction that matters (selection, new, gone, titles) stays visible. */
static const attr_t mono[VS_MAX_] = {
	[VS_NORMAL] = A_NORMAL,
	[VS_HEADER] = A_NORMAL,
	[VS_HEADER_KEY] = A_BOLD,
	[VS_WARN] = A_BOLD | A_REVERSE,
	[VS_COLHEAD] = A_REVERSE,
	[VS_COLHEAD_SORT] = A_REVERSE | A_BOLD | A_UNDERLINE,
	[VS_SELECTED] = A_REVERSE,
	[VS_NEW] = A_BOLD,
	[VS_GONE] = A_DIM,
	[VS_DIM] = A_DIM,
	[VS_KEY] = A_BOLD,
	[VS_KEYLABEL] = A_REVERSE,
	[VS_MSG] = A_BOLD,
	[VS_ERROR] = A_BOLD | A_REVERSE,
	[VS_TITLE] = A_REVERSE | A_BOLD,
	[VS_LABEL] = A_BOLD,
	[VS_SECTION] = A_BOLD | A_UNDERLINE,
	[VS_PROMPT] = A_BOLD,
	[VS_OWN] = A_BOLD | A_UNDERLINE,
	[VS_PANE_TITLE] = A_REVERSE,
	[VS_PANE_FOCUS] = A_REVERSE | A_BOLD,
	[VS_TR_SEND] = A_BOLD,
	[VS_TR_EVENT] = A_DIM,
	[VS_TR_ERROR] = A_BOLD | A_UNDERLINE,
	[VS_FIELD] = A_UNDERLINE,
	[VS_CHOICE] = A_REVERSE,
};

struct style_color {
	short fg, bg; /* -1: the terminal's default */
	attr_t extra;
};

/* In the manner of htop: black on green titles, cyan selection. */
static const struct style_color colors[VS_MAX_] = {
	[VS_NORMAL] = { -1, -1, A_NORMAL },
	[VS_HEADER] = { -1, -1, A_NORMAL },
	[VS_HEADER_KEY] = { COLOR_CYAN, -1, A_BOLD },
	[VS_WARN] = { COLOR_WHITE, COLOR_RED, A_BOLD },
	[VS_COLHEAD] = { COLOR_BLACK, COLOR_GREEN, A_NORMAL },
	[VS_COLHEAD_SORT] = { COLOR_BLACK, COLOR_CYAN, A_BOLD },
	[VS_SELECTED] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[VS_NEW] = { COLOR_GREEN, -1, A_BOLD },
	[VS_GONE] = { COLOR_RED, -1, A_DIM },
	[VS_DIM] = { -1, -1, A_DIM },
	[VS_KEY] = { -1, -1, A_BOLD },
	[VS_KEYLABEL] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
	[VS_MSG] = { COLOR_YELLOW, -1, A_BOLD },
	[VS_ERROR] = { COLOR_WHITE, COLOR_RED, A_BOLD },
	[VS_TITLE] = { COLOR_BLACK, COLOR_GREEN, A_BOLD },
	[VS_LABEL] = { COLOR_CYAN, -1, A_NORMAL },
	[VS_SECTION] = { COLOR_GREEN, -1, A_BOLD },
	[VS_PROMPT] = { COLOR_CYAN, -1, A_BOLD },
	[VS_OWN] = { COLOR_MAGENTA, -1, A_BOLD },
	[VS_PANE_TITLE] = { COLOR_BLACK, COLOR_WHITE, A_NORMAL },
	[VS_PANE_FOCUS] = { COLOR_BLACK, COLOR_YELLOW, A_BOLD },
	[VS_TR_SEND] = { COLOR_CYAN, -1, A_NORMAL },
	[VS_TR_EVENT] = { COLOR_GREEN, -1, A_NORMAL },
	[VS_TR_ERROR] = { COLOR_RED, -1, A_BOLD },
	[VS_FIELD] = { -1, -1, A_UNDERLINE },
	[VS_CHOICE] = { COLOR_BLACK, COLOR_CYAN, A_NORMAL },
};

void ui_color_init(attr_t attrs[VS_MAX_], bool color)
{
	bool defaults;

	if (!color || start_color() != OK || COLOR_PAIRS < VS_MAX_ + 1) {
		for (int i = 0; i < VS_MAX_; i++)
			attrs[i] = mono[i];
		return;
	}
	defaults = use_default_colors() == OK;
	for (int i = 0; i < VS_MAX_; i++) {
		short fg = colors[i].fg, bg = colors[i].bg;

		if (!defaults) {
			/* no "default colour": assume white on black */
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		if (init_pair((short)(i + 1), fg, bg) == OK)
			attrs[i] = COLOR_PAIR(i + 1) | colors[i].extra;
		else
			attrs[i] = mono[i];
	}
}

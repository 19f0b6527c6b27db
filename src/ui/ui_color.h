/* ui_color.h - the curses attribute of each view style (curses). */
#ifndef SOCKVIEW_UI_COLOR_H
#define SOCKVIEW_UI_COLOR_H

#include <curses.h>
#include <stdbool.h>

#include "view.h"

/* Fills attrs[VS_*] for this terminal: colours when color is true (call
 * after newterm), otherwise bold/reverse/dim only (NO_COLOR, --no-color,
 * monochrome terminals). */
void ui_color_init(attr_t attrs[VS_MAX_], bool color);

#endif

/* ui_caps.c - terminfo capabilities sockview depends on. */
#include "config.h"

#include <curses.h>
#include <term.h>

#include "ui_caps.h"

bool ui_caps_can_move(void)
{
	char *cup = tigetstr("cup");

	return cup && cup != (char *)-1;
}

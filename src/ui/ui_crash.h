/* ui_crash.h - the terminal back to the shell if sockview crashes (curses).
 *
 * While the live view runs, the terminal is in the alternate screen with a
 * hidden cursor, keypad and mouse modes and raw-ish line settings. A crash
 * (SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL) would leave it so. ui_crash_arm
 * saves, before curses changes anything, the terminal modes, and after
 * set-up, the escape sequences that undo the screen modes; its handler
 * only writes those bytes and restores the modes (both async-signal-safe),
 * then lets the signal kill the process as it would have (core dump and
 * exit status unchanged). Call order: ui_crash_save_modes before newterm,
 * ui_crash_arm after it, ui_crash_disarm before the terminal is given
 * back. */
#ifndef SOCKVIEW_UI_CRASH_H
#define SOCKVIEW_UI_CRASH_H

/* Saves the terminal modes of fd (the terminal sockview runs on). */
void ui_crash_save_modes(int fd);
/* Builds the reset sequences from the terminfo entry now in use and
 * installs the crash handlers; out_fd is where the screen goes. */
void ui_crash_arm(int out_fd);
/* Puts the default handlers back. */
void ui_crash_disarm(void);

#endif

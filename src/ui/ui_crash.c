/* ui_crash.c - the terminal back to the shell if sockview crashes. */
#include "config.h"

#include <curses.h>
#include <signal.h>
#include <string.h>
#include <term.h>
#include <termios.h>
#include <unistd.h>

#include "ui_crash.h"

static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGABRT, SIGFPE, SIGILL };
#define NCRASH (sizeof(crash_signals) / sizeof(crash_signals[0]))

/* Everything the handler reads is made before it is installed. */
static struct termios saved_modes;
static int modes_fd = -1;
static int screen_fd = -1;
static char reset_seq[512];
static size_t reset_len;
static volatile sig_atomic_t armed;

void ui_crash_save_modes(int fd)
{
	if (tcgetattr(fd, &saved_modes) == 0)
		modes_fd = fd;
}

/* Appends terminfo capability cap (if the terminal has it). */
static void add_cap(const char *cap)
{
	char *s = tigetstr(cap);
	size_t n;

	if (!s || s == (char *)-1)
		return;
	n = strlen(s);
	/* kept NUL-terminated, though written by length */
	if (reset_len + n < sizeof(reset_seq)) {
		memcpy(reset_seq + reset_len, s, n + 1);
		reset_len += n;
	}
}

static void add_raw(const char *s)
{
	size_t n = strlen(s);

	if (reset_len + n < sizeof(reset_seq)) {
		memcpy(reset_seq + reset_len, s, n + 1);
		reset_len += n;
	}
}

/* Only write(2), tcsetattr(3) and raise(3): async-signal-safe. The
 * handler was installed with SA_RESETHAND, so raising the signal again
 * ends the process with the default action. */
static void on_crash(int sig)
{
	if (armed) {
		armed = 0;
		if (screen_fd >= 0 && reset_len) {
			ssize_t r = write(screen_fd, reset_seq, reset_len);

			(void)r;
		}
		if (modes_fd >= 0)
			tcsetattr(modes_fd, TCSANOW, &saved_modes);
	}
	raise(sig);
}

void ui_crash_arm(int out_fd)
{
	struct sigaction sa;

	reset_len = 0;
	add_cap("sgr0");   /* no colours or reverse video left on */
	add_cap("rmkx");   /* keypad back to normal */
	/* mouse reporting off (the modes ncurses may have turned on) */
	if (tigetstr("kmous") && tigetstr("kmous") != (char *)-1)
		add_raw("\033[?1000l\033[?1002l\033[?1003l\033[?1006l");
	add_cap("rmcup");  /* out of the alternate screen */
	add_cap("cnorm");  /* the cursor visible again */
	add_raw("\r\n");
	screen_fd = out_fd;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &sa, NULL);
	armed = 1;
}

void ui_crash_disarm(void)
{
	struct sigaction sa;

	if (!armed)
		return;
	armed = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = SIG_DFL;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &sa, NULL);
}

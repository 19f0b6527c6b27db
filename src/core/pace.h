/* pace.h - the live view's adaptive refresh interval (issue 19).
 *
 * The user chooses an interval (-d, the + and - keys); a refresh has a cost
 * (the wall time from the start of the dump to the committed snapshot).
 * When one refresh costs more than a fifth of the interval in force, the
 * interval grows by itself to five times that cost, so the program never
 * spends more than about 20% of its time refreshing (at 10^6 sockets a
 * refresh takes seconds). When refreshes are cheap again (under a tenth of
 * the interval, PACE_CHEAP_RUNS times in a row) it shrinks back, halving at
 * most per step, never below the user's interval: the user's choice is the
 * floor. The gap between 10% and 20% is the hysteresis that keeps it from
 * swinging; PACE_MAX_MS caps the growth (a longer user interval stays as it
 * is).
 *
 * Pure arithmetic: no clock, no I/O. live.c measures the cost with the
 * monotonic clock and feeds it here after each refresh; the header (view.c)
 * reads the interval in force and the cost to say what happened:
 *
 *     pace_init(&p, user_ms);
 *     ... a refresh ends: pace_refresh(&p, cost_ms);
 *     ... arm the next one pace_interval(&p) after the last one began
 *     ... the user changes the interval: pace_set_user(&p, ms);
 */
#ifndef SV_PACE_H
#define SV_PACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* the share of the interval a refresh may cost: 1/PACE_SHARE (20%) */
#define PACE_SHARE 5
/* cheap: under 1/PACE_CHEAP of the interval (10%) */
#define PACE_CHEAP 10
/* cheap refreshes in a row before the interval shrinks a step */
#define PACE_CHEAP_RUNS 3
/* the longest interval the growth reaches (a user interval may be longer) */
#define PACE_MAX_MS 60000

struct pace {
	int user_ms; /* the user's interval: the floor */
	int eff_ms;  /* the interval in force, >= user_ms */
	int cost_ms; /* the cost of the last refresh */
	int cheap;   /* cheap refreshes in a row */
	int timeouts; /* refreshes abandoned in a row (pace_timed_out) */
};

/* Starts at the user's interval (user_ms > 0). */
void pace_init(struct pace *p, int user_ms);

/* The user chose another interval: it is the new floor. The interval in
 * force becomes the larger of it and what the last refresh's cost needs. */
void pace_set_user(struct pace *p, int user_ms);

/* A refresh took cost_ms (negative counts as 0). Returns the interval in
 * force afterwards. */
int pace_refresh(struct pace *p, int64_t cost_ms);

/* The interval in force. */
int pace_interval(const struct pace *p);

/* Whether the interval in force is longer than the user's. */
bool pace_grown(const struct pace *p);

/* How long a refresh may run before it is abandoned: base_ms, or four
 * times the last refresh's cost if longer (a refresh of 10^6 sockets on a
 * busy machine takes more than the usual 15 s), doubled for each refresh
 * abandoned in a row (up to 16 times), so that one that can never finish in
 * time gets the time it needs. */
int pace_watchdog_ms(const struct pace *p, int base_ms);

/* The refresh in flight was abandoned: the next one may take longer. */
void pace_timed_out(struct pace *p);

/* Writes a duration for the header: "900 ms", "4.5 s", "2 min". */
void pace_format_ms(char *dst, size_t size, int ms);

#endif

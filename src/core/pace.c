/* pace.c - the adaptive refresh interval (see pace.h). */
#include "config.h"

#include <stdio.h>

#include "pace.h"

/* Rounds up to a value the header shows plainly: whole 100 ms below 10 s,
 * whole seconds above. */
static int64_t nice_ms(int64_t ms)
{
	int64_t step = ms < 10000 ? 100 : 1000;

	return (ms + step - 1) / step * step;
}

/* The interval a cost needs, between the floor and the cap. */
static int needed(const struct pace *p, int64_t cost)
{
	int64_t cap = p->user_ms > PACE_MAX_MS ? p->user_ms : PACE_MAX_MS;
	int64_t want = nice_ms(cost * PACE_SHARE);

	if (want > cap)
		want = cap;
	return want > p->user_ms ? (int)want : p->user_ms;
}

void pace_init(struct pace *p, int user_ms)
{
	p->user_ms = user_ms > 0 ? user_ms : 1;
	p->eff_ms = p->user_ms;
	p->cost_ms = 0;
	p->cheap = 0;
	p->timeouts = 0;
}

void pace_set_user(struct pace *p, int user_ms)
{
	if (user_ms <= 0 || user_ms == p->user_ms)
		return;
	p->user_ms = user_ms;
	p->eff_ms = needed(p, p->cost_ms);
	p->cheap = 0;
}

int pace_refresh(struct pace *p, int64_t cost_ms)
{
	if (cost_ms < 0)
		cost_ms = 0;
	if (cost_ms > 24 * 3600 * 1000LL)
		cost_ms = 24 * 3600 * 1000LL;
	p->cost_ms = (int)cost_ms;
	p->timeouts = 0;
	if (cost_ms * PACE_SHARE > p->eff_ms) {
		/* too dear: grow at once to what it needs */
		int n = needed(p, cost_ms);

		if (n > p->eff_ms)
			p->eff_ms = n;
		p->cheap = 0;
	} else if (cost_ms * PACE_CHEAP < p->eff_ms && p->eff_ms > p->user_ms) {
		/* cheap again: shrink after a few in a row, by half at most */
		if (++p->cheap >= PACE_CHEAP_RUNS) {
			int half = (int)nice_ms(p->eff_ms / 2);
			int n = needed(p, cost_ms);

			p->eff_ms = half > n ? half : n;
			if (p->eff_ms < p->user_ms)
				p->eff_ms = p->user_ms;
			p->cheap = 0;
		}
	} else {
		p->cheap = 0;
	}
	return p->eff_ms;
}

int pace_watchdog_ms(const struct pace *p, int base_ms)
{
	int64_t t = (int64_t)p->cost_ms * 4;

	if (t < base_ms)
		t = base_ms;
	t <<= p->timeouts;
	return t > INT32_MAX ? INT32_MAX : (int)t;
}

void pace_timed_out(struct pace *p)
{
	if (p->timeouts < 4)
		p->timeouts++;
}

int pace_interval(const struct pace *p)
{
	return p->eff_ms;
}

bool pace_grown(const struct pace *p)
{
	return p->eff_ms > p->user_ms;
}

void pace_format_ms(char *dst, size_t size, int ms)
{
	if (ms < 1000)
		snprintf(dst, size, "%d ms", ms);
	else if (ms < 60000 && (ms + 50) / 100 % 10)
		/* to a tenth: "11.1 s", not "11.108 s" */
		snprintf(dst, size, "%d.%d s", (ms + 50) / 1000, (ms + 50) / 100 % 10);
	else if (ms < 60000)
		snprintf(dst, size, "%d s", (ms + 50) / 1000);
	else if (ms < 3600000)
		snprintf(dst, size, "%g min", ms / 60000.0);
	else
		snprintf(dst, size, "%g h", ms / 3600000.0);
}

/* clock.c - monotonic milliseconds. */
#include "config.h"

#include <time.h>

#include "clock.h"

static const int64_t *fake_now;

int64_t clock_now_ms(void)
{
	struct timespec ts;

	if (fake_now)
		return *fake_now;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void clock_set_fake(const int64_t *now)
{
	fake_now = now;
}

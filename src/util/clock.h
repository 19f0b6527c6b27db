/* clock.h - the monotonic clock, replaceable by tests. */
#ifndef SOCKVIEW_CLOCK_H
#define SOCKVIEW_CLOCK_H

#include <stdint.h>

/* Milliseconds on CLOCK_MONOTONIC (or the test clock when one is set). */
int64_t clock_now_ms(void);
/* Tests: make clock_now_ms() return *now (NULL restores the real clock). */
void clock_set_fake(const int64_t *now);

#endif

/* main.c - sockview entry point (being written). */
#include "config.h"

int main(void)
{
	return 0;
}

/* glossary.h - the help screen's glossary (no curses): every column of the
 * table and every state, in words, and the state lab's presets. */
#ifndef SOCKVIEW_GLOSSARY_H
#define SOCKVIEW_GLOSSARY_H

#include "draw.h"

/* Appends the glossary's sections to tl. */
void glossary_add(struct textlines *tl);

#endif

/* fuzz.h - what every fuzz target of sockview provides and may use.
 *
 * A target defines LLVMFuzzerTestOneInput() (and, if it needs a locale or
 * other one-time set-up, LLVMFuzzerInitialize()). Built with
 * --enable-fuzzing it links libFuzzer; in every build it also links
 * fuzz/replay.c, which runs the target once over each file of its corpus,
 * so the seeds and the crash inputs kept there are regression tests of
 * `make check`. A target signals a broken property with fuzz_fail(), which
 * aborts: libFuzzer then saves the input, the replay test fails. */
#ifndef SOCKVIEW_FUZZ_H
#define SOCKVIEW_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry points (declared here for -Wmissing-prototypes). */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Prints what broke and the offending bytes (escaped by hand: the escape
 * function may be what is broken), then aborts. */
void fuzz_fail(const char *what, const void *p, size_t n) __attribute__((noreturn));

/* Decodes one UTF-8 character at p (n bytes available): returns its length
 * and stores the code point, or 0 if the bytes are not valid UTF-8. Written
 * apart from src/escape.c on purpose, so that one checks the other. */
size_t fuzz_utf8(const unsigned char *p, size_t n, uint32_t *cp);

/* Fails unless p[0..n) is safe to write to a terminal: valid UTF-8 (only
 * ASCII if ascii), no C0 control (except '\n' if allow_nl), no DEL, no C1
 * control, no bidi or invisible formatting character (U+061C, U+200B..F,
 * U+2028, U+2029, U+202A..E, U+2066..9, U+FEFF). */
void fuzz_check_safe(const char *what, const char *p, size_t n, bool ascii, bool allow_nl);

/* Fails unless p[0..n) is one JSON value (RFC 8259), with only white space
 * around it. */
void fuzz_check_json(const char *what, const char *p, size_t n);

#endif

/* replay.c - runs a fuzz target once over each file of its corpus.
 *
 * Linked with a target instead of libFuzzer, in every build: `make check`
 * replays fuzz/corpus/TARGET/ (seeds and the crash inputs fuzzing found),
 * so each stays a regression test, under ASan/UBSan in the sanitizer build.
 * Arguments: files or directories to replay (default: the corpus the build
 * names in FUZZ_CORPUS). Exits 0 when every input ran, 1 if one could not
 * be read or none was found; a broken property aborts. */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "fuzz.h"
#include "xalloc.h"

/* Inputs bigger than this are not replayed (libFuzzer's default -max_len
 * is far below; a stray big file is a mistake, not a test). */
#define REPLAY_MAX_INPUT (1u << 20)

static int replay_file(const char *path, size_t *count)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *data;
	long n;

	if (!fp) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (fseek(fp, 0, SEEK_END) < 0 || (n = ftell(fp)) < 0 || n > (long)REPLAY_MAX_INPUT) {
		fprintf(stderr, "replay: %s: unreadable or too big\n", path);
		fclose(fp);
		return -1;
	}
	rewind(fp);
	/* An exact-size heap copy, so that ASan sees any read past the end. */
	data = xmalloc(n ? (size_t)n : 1);
	if (fread(data, 1, (size_t)n, fp) != (size_t)n) {
		fprintf(stderr, "replay: %s: read error\n", path);
		free(data);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(data, (size_t)n);
	free(data);
	(*count)++;
	return 0;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int replay_path(const char *path, size_t *count)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	int rc = 0;

	if (stat(path, &st) < 0) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return replay_file(path, count);
	d = opendir(path);
	if (!d) {
		fprintf(stderr, "replay: %s: %s\n", path, strerror(errno));
		return -1;
	}
	/* Sorted, so that a failure names the same input on every run. */
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct buf b = BUF_INIT;

		xgrow((void **)&names, &cap, n + 1, sizeof(*names));
		buf_printf(&b, "%s/%s", path, e->d_name);
		names[n++] = buf_steal(&b);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_names);
	for (size_t i = 0; i < n; i++) {
		if (replay_file(names[i], count) < 0)
			rc = -1;
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	static char corpus[] = FUZZ_CORPUS;
	char *defaults[] = { argv[0], corpus, NULL };
	size_t count = 0;
	int rc = 0;

	if (argc < 2) {
		argv = defaults;
		argc = 2;
	}
	LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		if (replay_path(argv[i], &count) < 0)
			rc = 1;
	printf("replayed %zu input(s)\n", count);
	if (!count) {
		fprintf(stderr, "replay: no input found: a replay of nothing tests nothing\n");
		rc = 1;
	}
	return rc;
}

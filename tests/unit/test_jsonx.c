/* test_jsonx.c - strings out of hostile JSON (util/jsonx.h): the shapes
 * runtimes write, and truncated, unbalanced, deep, wrongly typed and
 * escaped input. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "jsonx.h"

static struct jsonx doc(const char *s)
{
	return jsonx_doc(s, strlen(s));
}

/* The member key of s as a decoded string, or NULL (in a static buffer). */
static const char *str_of(const char *s, const char *key)
{
	static char out[128];
	struct jsonx v;
	size_t len;

	if (jsonx_member(doc(s), key, &v) < 0 || jsonx_string(v, out, sizeof(out), &len) < 0)
		return NULL;
	assert_int_equal(strlen(out), len);
	return out;
}

static void test_member(void **state)
{
	(void)state;
	/* the top level's "Name", not a nested one before or after it */
	assert_string_equal(str_of("{\"Config\":{\"Name\":\"inner\",\"L\":[\"}\",{\"x\":1}]},"
				   "\"Name\":\"/web\",\"Mounts\":{\"Name\":\"vol\"}}", "Name"),
			    "/web");
	assert_string_equal(str_of(" \n{ \"a\" : 1 , \"Name\" :\"x\" } \n", "Name"), "x");
	assert_string_equal(str_of("\xef\xbb\xbf{\"Name\":\"bom\"}", "Name"), "bom");
	/* the first occurrence wins */
	assert_string_equal(str_of("{\"Name\":\"a\",\"Name\":\"b\"}", "Name"), "a");
	assert_null(str_of("{\"name\":\"x\"}", "Name"));
	assert_null(str_of("{}", "Name"));
	assert_null(str_of("[]", "Name"));
	assert_null(str_of("", "Name"));
	/* wrong types: a string is wanted */
	assert_null(str_of("{\"Name\":[\"/x\"]}", "Name"));
	assert_null(str_of("{\"Name\":null}", "Name"));
	assert_null(str_of("{\"Name\":42}", "Name"));
	assert_null(str_of("{\"Name\":{\"a\":\"b\"}}", "Name"));
}

static void test_broken(void **state)
{
	char deep[2000];

	(void)state;
	/* truncated anywhere */
	assert_null(str_of("{\"Name\":\"/tru", "Name"));
	assert_null(str_of("{\"Name\":", "Name"));
	assert_null(str_of("{\"Name\"", "Name"));
	assert_null(str_of("{\"a\":{\"b\":1}, \"Name\"", "Name"));
	assert_null(str_of("{\"a\":\"x\\", "Name"));
	/* unbalanced or mismatched brackets before the key */
	assert_null(str_of("{\"a\":[1,2},\"Name\":\"x\"}", "Name"));
	assert_null(str_of("{\"a\":]\"Name\":\"x\"}", "Name"));
	/* garbage between members */
	assert_null(str_of("{\"a\":1 \"Name\":\"x\"}", "Name"));
	assert_null(str_of("{\"a\" 1,\"Name\":\"x\"}", "Name"));
	/* too deep to skip: refused, not a crash */
	memset(deep, '[', 1000);
	memset(deep + 1000, ']', 999);
	deep[1999] = '\0';
	{
		char doc2[2100];

		snprintf(doc2, sizeof(doc2), "{\"a\":%s,\"Name\":\"x\"}", deep);
		assert_null(str_of(doc2, "Name"));
	}
	/* deep but within the bound: skipped */
	{
		char doc3[300];

		memset(doc3, 0, sizeof(doc3));
		strcpy(doc3, "{\"a\":");
		memset(doc3 + 5, '[', 100);
		memset(doc3 + 105, ']', 100);
		strcpy(doc3 + 205, ",\"Name\":\"ok\"}");
		assert_string_equal(str_of(doc3, "Name"), "ok");
	}
}

static void test_string(void **state)
{
	char out[16];
	size_t len;
	struct jsonx v;

	(void)state;
	/* escapes: control bytes are kept raw, for the output to escape */
	assert_string_equal(str_of("{\"N\":\"a\\n\\t\\u001b[2J\\\"\\\\\\/\"}", "N"),
			    "a\n\t\x1b[2J\"\\/");
	/* raw control bytes inside a string are taken as they are */
	assert_string_equal(str_of("{\"N\":\"a\x01\x1b" "b\"}", "N"), "a\x01\x1b" "b");
	/* UTF-8 from \u escapes, a surrogate pair, lone surrogates as U+FFFD */
	assert_string_equal(str_of("{\"N\":\"\\u00e9\\u20ac\\ud83d\\ude00\"}", "N"),
			    "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
	assert_string_equal(str_of("{\"N\":\"\\ud800x\\udc00\"}", "N"), "\xef\xbf\xbdx\xef\xbf\xbd");
	/* bad escapes */
	assert_null(str_of("{\"N\":\"\\x41\"}", "N"));
	assert_null(str_of("{\"N\":\"\\u12\"}", "N"));
	assert_null(str_of("{\"N\":\"\\u12g4\"}", "N"));
	/* a NUL from \u0000 is counted in the length */
	v = doc("\"a\\u0000b\"");
	assert_int_equal(jsonx_string(v, out, sizeof(out), &len), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(out, "a\0b", 3);
	/* too long for the buffer: refused whole, never cut here */
	v = doc("\"0123456789abcdef\"");
	assert_int_equal(jsonx_string(v, out, sizeof(out), &len), -1);
	assert_int_equal(len, 0);
	assert_string_equal(out, "");
	v = doc("\"0123456789abcde\"");
	assert_int_equal(jsonx_string(v, out, sizeof(out), &len), 0);
	assert_int_equal(len, 15);
	/* not a string, or more than one */
	v = doc("\"a\" \"b\"");
	assert_int_equal(jsonx_string(v, out, sizeof(out), &len), -1);
	v = doc("abc");
	assert_int_equal(jsonx_string(v, out, sizeof(out), &len), -1);
}

static void test_array(void **state)
{
	static const char *const list =
		"[{\"id\":\"aa\",\"names\":[\"web\",\"alias\"],\"metadata\":\"{\\\"x\\\":[]}\"},"
		" {\"id\":\"bb\",\"names\":[]} , 7, \"s\", [1,[2]], {\"id\":\"cc\"}]";
	struct jsonx v = doc(list), el, names, first;
	size_t pos = 0, n = 0, npos = 0, len;
	char out[32];
	static const char *const path[] = { "annotations", "io.kubernetes.cri.container-name" };

	(void)state;
	while (jsonx_next(v, &pos, &el) == 0)
		n++;
	assert_int_equal(n, 6);
	pos = 0;
	assert_int_equal(jsonx_next(v, &pos, &el), 0);
	assert_int_equal(jsonx_member(el, "names", &names), 0);
	assert_int_equal(jsonx_next(names, &npos, &first), 0);
	assert_int_equal(jsonx_string(first, out, sizeof(out), &len), 0);
	assert_string_equal(out, "web");
	/* broken arrays end the walk */
	v = doc("[1,2");
	pos = 0;
	n = 0;
	while (jsonx_next(v, &pos, &el) == 0)
		n++;
	assert_int_equal(n, 1);
	v = doc("[1 2]");
	pos = 0;
	assert_int_equal(jsonx_next(v, &pos, &el), -1);
	/* a value cut by the end is no value */
	assert_null(str_of("{\"Name\":\"x\"", "Name"));
	assert_string_equal(str_of("{\"a\":1,\"Name\":\"x\" ,\"b\"", "Name"), "x");
	v = doc("{\"a\":1}");
	pos = 0;
	assert_int_equal(jsonx_next(v, &pos, &el), -1);
	/* a path of members */
	v = doc("{\"annotations\":{\"io.kubernetes.cri.container-name\":\"app\"}}");
	assert_int_equal(jsonx_path_string(v, path, 2, out, sizeof(out), &len), 0);
	assert_string_equal(out, "app");
	v = doc("{\"annotations\":\"io.kubernetes.cri.container-name\"}");
	assert_int_equal(jsonx_path_string(v, path, 2, out, sizeof(out), &len), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_member),
		cmocka_unit_test(test_broken),
		cmocka_unit_test(test_string),
		cmocka_unit_test(test_array),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

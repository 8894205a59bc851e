/*
 * test_date.c - hdx_date_normalize() (include/hdx/article.h): the three
 * accepted forms, leap years, impossible months and days, the year range,
 * and what may follow a date.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "hdx/article.h"

typedef struct {
    const char *in;
    const char *out; /* NULL: invalid */
} date_case;

static const date_case date_cases[] = {
    /* the three forms */
    {"2023-04-07", "2023-04-07"},
    {"2023/04/07", "2023-04-07"},
    {"04/07/2023", "2023-04-07"},
    {"4/7/2023", "2023-04-07"}, /* US style may drop leading zeros */
    {"2023-4-07", NULL},        /* year-first forms are ten bytes */
    {"2023-04-7", NULL},
    {"2023/4/7", NULL},
    {"04/07/23", NULL},         /* two-digit years are not guessed */
    {"20230407", NULL},
    {"2023_04_07", NULL},
    {"2023-+4-07", NULL},       /* a sign is not a digit */
    {"yesterday", NULL},
    {"", NULL},
    /* ISO date with a time: the time is dropped */
    {"2023-04-07T10:00:00Z", "2023-04-07"},
    {"2023-12-31T23:59:59+02:00", "2023-12-31"},
    {"2023-04-07 10:00", "2023-04-07"},
    {"2023-04-07T", "2023-04-07"},
    {"2023-04-07\t10:00", NULL},
    /* trailing garbage */
    {"2023-04-07x", NULL},
    {"2023-04-07Z", NULL},
    {"04/07/2023x", NULL},
    {"04/07/2023 ", NULL},
    {"2023/04/07x", "2023-04-07"}, /* YYYY/MM/DD never checked its tail */
    {"2023/04/48", NULL},          /* ...but a day is at most two digits */
    {"2023/04/071", "2023-04-07"},
    /* leap years */
    {"2024-02-29", "2024-02-29"},
    {"2023-02-29", NULL},
    {"2000-02-29", "2000-02-29"}, /* divisible by 400 */
    {"2100-02-29", NULL},         /* divisible by 100 only */
    {"02/29/2024", "2024-02-29"},
    {"02/29/2023", NULL},
    {"2024/02/29", "2024-02-29"},
    {"2023/02/29", NULL},
    /* months and days that do not exist */
    {"2023-13-01", NULL},
    {"13/01/2023", NULL},
    {"2023/13/01", NULL},
    {"2023-00-10", NULL},
    {"2023-01-00", NULL},
    {"01/00/2023", NULL},
    {"2023-01-32", NULL},
    {"2023-04-31", NULL},
    {"2023-02-30", NULL},
    {"2023-12-31", "2023-12-31"},
    /* the year range */
    {"1970-01-01", "1970-01-01"},
    {"1969-12-31", NULL},
    {"1900-01-01", NULL},
    {"2999-12-31", "2999-12-31"},
    {"3000-01-01", NULL},
};

static void test_date_normalize_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof date_cases / sizeof date_cases[0]; i++) {
        const date_case *c = &date_cases[i];
        char out[11] = "";
        bool ok = hdx_date_normalize(c->in, out);
        if (ok != (c->out != NULL))
            fail_msg("date \"%s\": ok=%d, want %d", c->in, ok, !ok);
        if (ok && strcmp(out, c->out) != 0)
            fail_msg("date \"%s\" = \"%s\", want \"%s\"", c->in, out, c->out);
    }
}

static void test_date_invalid_leaves_out_alone(void **state)
{
    (void)state;
    char out[11] = "unchanged";
    assert_false(hdx_date_normalize("2023-02-29", out));
    assert_string_equal(out, "unchanged");
    assert_false(hdx_date_normalize("2023-13-01", out));
    assert_string_equal(out, "unchanged");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_normalize_table),
        cmocka_unit_test(test_date_invalid_leaves_out_alone),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

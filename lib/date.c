/*
 * date.c - the date forms of front matter → YYYY-MM-DD.
 *
 * Docs platforms write dates as ISO dates (maybe with a time), as
 * YYYY/MM/DD, or US style (Microsoft Learn's ms.date: MM/DD/YYYY); the
 * index and the API only ever see the ISO date.  strptime() reads the
 * digits, a timegm() round trip rejects days the month does not have, and
 * strftime() writes the result.
 */
#include "hdx/article.h"

#include <ctype.h>
#include <string.h>
#include <time.h>

/* What may follow the part of the string that a form reads. */
enum tail {
    TAIL_TIME, /* nothing, or a time after 'T' or ' ' */
    TAIL_ANY,  /* anything (YYYY/MM/DD has never checked its tail) */
    TAIL_NONE, /* nothing */
};

static const struct {
    const char *fmt;
    enum tail tail;
} forms[] = {
    {"%Y-%m-%d", TAIL_TIME}, /* 2026-01-02, 2026-01-02T10:00:00Z */
    {"%Y/%m/%d", TAIL_ANY},
    {"%m/%d/%Y", TAIL_NONE}, /* US style, as Microsoft Learn's ms.date */
};

/* Does `s` start with a date in form `i`?  The two year-first forms take
 * exactly ten bytes (so 2023-4-7 is refused), the US form may have one-digit
 * month and day. */
static bool read_form(const char *s, size_t i, struct tm *tm)
{
    memset(tm, 0, sizeof *tm);
    const char *end = strptime(s, forms[i].fmt, tm);
    if (!end)
        return false;
    switch (forms[i].tail) {
    case TAIL_TIME:
        return end - s == 10 && (!*end || *end == 'T' || *end == ' ');
    case TAIL_ANY:
        /* strptime() ends a number early when one more digit would
         * overflow the field: it reads the day of 2023/04/48 as 4, and the
         * rest would be a tail.  A digit right after a one-digit day is
         * that case; it is a day over 31. */
        return end - s == 10 && !(isdigit((unsigned char)end[0]) &&
                                  !isdigit((unsigned char)end[-2]));
    case TAIL_NONE:
        return !*end;
    }
    return false;
}

/* strptime() takes any day from 1 to 31 in any month: a day the month does
 * not have (2023-02-29, 2023-04-31) moves to the next month in timegm(). */
static bool real_day(const struct tm *tm)
{
    if (tm->tm_year < 1970 - 1900 || tm->tm_year > 2999 - 1900)
        return false;
    struct tm t = *tm;
    t.tm_hour = 12;
    if (timegm(&t) == (time_t)-1)
        return false;
    return t.tm_year == tm->tm_year && t.tm_mon == tm->tm_mon &&
           t.tm_mday == tm->tm_mday;
}

bool hdx_date_normalize(const char *s, char out[11])
{
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        struct tm tm;
        if (!read_form(s, i, &tm))
            continue;
        if (!real_day(&tm))
            return false;
        return strftime(out, 11, "%Y-%m-%d", &tm) == 10;
    }
    return false;
}

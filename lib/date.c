/*
 * date.c - the date forms of front matter → YYYY-MM-DD.
 *
 * Docs platforms write dates as ISO dates (maybe with a time), as
 * YYYY/MM/DD, or US style (Microsoft Learn's ms.date: MM/DD/YYYY); the
 * index and the API only ever see the ISO date.
 */
#include "hdx/article.h"

#include <stdio.h>
#include <string.h>

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 2999 || m < 1 || m > 12 || d < 1)
        return false;
    if (d > mdays[m - 1])
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

bool hdx_date_normalize(const char *s, char out[11])
{
    int y, m, d, n = 0;
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10) {
        /* ISO date, optionally followed by a time: 2026-01-02T10:00:00Z */
        if (s[10] && s[10] != 'T' && s[10] != ' ')
            return false;
    } else if (sscanf(s, "%4d/%2d/%2d%n", &y, &m, &d, &n) == 3 && n == 10) {
    } else if (sscanf(s, "%2d/%2d/%4d%n", &m, &d, &y, &n) == 3 &&
               (size_t)n == strlen(s)) {
        /* US style, as Microsoft Learn's ms.date uses. */
    } else {
        return false;
    }
    if (!valid_ymd(y, m, d))
        return false;
    char tmp[40];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
    memcpy(out, tmp, 11);
    return true;
}

/*
 * meili_date.c - the dates of the Meilisearch API's `updated` filter
 * (see meili.h): YYYY-MM-DD or Unix seconds, and a day's neighbours.
 */
#include "meili.h"

#include "hdx/article.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* A YYYY-MM-DD date, or Unix seconds (what facetStats gives, so a range
 * slider's numbers filter too): its day, into out[11]. */
bool meili_date_of(const char *v, char out[11], meili_err *e)
{
    if (strlen(v) == 10 && hdx_date_normalize(v, out))
        return true;
    size_t n = strlen(v);
    if (n >= 1 && n <= 11 && strspn(v, "0123456789") == n) {
        time_t t = (time_t)strtoll(v, NULL, 10);
        struct tm tm;
        if (gmtime_r(&t, &tm) && strftime(out, 11, "%Y-%m-%d", &tm) == 10)
            return true;
    }
    meili_err_set(e, 400, "invalid_search_filter",
                  "`updated` takes dates as YYYY-MM-DD or Unix seconds, "
                  "not `%s`", v);
    return false;
}

/* The day before (-1) or after (+1) a YYYY-MM-DD date. */
void meili_day_step(char d[11], int step)
{
    struct tm tm = {0};
    tm.tm_year = atoi(d) - 1900;
    tm.tm_mon = atoi(d + 5) - 1;
    tm.tm_mday = atoi(d + 8) + step;
    tm.tm_hour = 12;
    time_t t = timegm(&tm);
    gmtime_r(&t, &tm);
    strftime(d, 11, "%Y-%m-%d", &tm);
}

/*
 * editdist.c - case-insensitive Levenshtein distance with a cap, for the
 * "did you mean" of front-matter keys and the audience-typo check.
 *
 * Two rows of at most 65 ints on the stack; inputs over 64 bytes count as
 * "far" (the cap), and a row whose minimum reaches the cap stops early.
 */
#include "internal.h"

#include <ctype.h>
#include <string.h>

int hdxi_edit_distance(const char *a, const char *b, int cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 64 || lb > 64)
        return cap;
    int prev[65], cur[65];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = (int)i;
        int row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            int cost = tolower((unsigned char)a[i - 1]) ==
                               tolower((unsigned char)b[j - 1])
                           ? 0
                           : 1;
            int v = prev[j - 1] + cost;
            if (prev[j] + 1 < v)
                v = prev[j] + 1;
            if (cur[j - 1] + 1 < v)
                v = cur[j - 1] + 1;
            cur[j] = v;
            if (v < row_min)
                row_min = v;
        }
        if (row_min >= cap)
            return cap;
        memcpy(prev, cur, sizeof(int) * (lb + 1));
    }
    return prev[lb] < cap ? prev[lb] : cap;
}

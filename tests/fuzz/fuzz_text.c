/*
 * fuzz_text.c - libFuzzer harness of the UTF-8 validator and the
 * normaliser shared by index and query (lib/text.c).  Checked:
 *   - hdx_text_valid_utf8() agrees with an independent RFC 3629 check
 *     (common.c), bad offset included;
 *   - hdx_text_normalize() succeeds exactly on valid UTF-8, appends
 *     nothing on failure, and gives valid UTF-8 with no upper-case ASCII;
 *   - the ASCII fast path gives what the full mapping gives (the text
 *     followed by "\u00e9" takes the full path and must come out as the
 *     fast path's result followed by "e");
 *   - normalising twice changes nothing (index and query terms agree
 *     even where one side is normalised again);
 *   - hdx_text_normalized() matches hdx_text_normalize() on C strings;
 *   - hdx_text_clip() keeps whole characters and as much as fits.
 */
#include "common.h"

#include "hdx/buf.h"
#include "hdx/text.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    return 0;
}

static void check_validator(const char *s, size_t n, bool *ok)
{
    size_t bad_ref = (size_t)-1, bad = (size_t)-1;
    bool ref = fuzz_utf8_ok(s, n, &bad_ref);
    bool got = hdx_text_valid_utf8(s, n, &bad);
    if (ref != got || (!ref && bad != bad_ref))
        fuzz_fail("hdx_text_valid_utf8: %d at %zu, reference %d at %zu",
                  got, bad, ref, bad_ref);
    *ok = ref;
}

/* The ASCII fast path against the full mapping. */
static void check_fast_path(const char *s, size_t n, const char *o,
                            size_t on)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return;
    char *t = malloc(n + 2);
    memcpy(t, s, n);
    memcpy(t + n, "\xc3\xa9", 2);
    hdx_buf full;
    hdx_buf_init(&full);
    if (hdx_text_normalize(&full, t, n + 2, NULL) != HDX_OK ||
        full.len != on + 1 || memcmp(full.data, o, on) || full.data[on] != 'e')
        fuzz_fail("ASCII fast path and full mapping disagree");
    hdx_buf_clear(&full);
    free(t);
}

static void check_normalize(const char *s, size_t n, bool valid)
{
    hdx_buf b;
    hdx_buf_init(&b);
    hdx_buf_adds(&b, "x");
    hdx_error err;
    hdx_status st = hdx_text_normalize(&b, s, n, &err);
    if (!valid) {
        if (st != HDX_EPARSE || b.len != 1)
            fuzz_fail("invalid UTF-8 normalised: status %d, %zu bytes",
                      (int)st, b.len - 1);
        hdx_buf_clear(&b);
        return;
    }
    if (st != HDX_OK)
        fuzz_fail("valid UTF-8 not normalised: status %d: %s", (int)st,
                  err.msg);
    const char *o = b.data + 1;
    size_t on = b.len - 1;
    if (!fuzz_utf8_ok(o, on, NULL))
        fuzz_fail("normalised text is not valid UTF-8");
    for (size_t i = 0; i < on; i++)
        if (o[i] >= 'A' && o[i] <= 'Z')
            fuzz_fail("normalised text has upper-case ASCII");
    hdx_buf again;
    hdx_buf_init(&again);
    if (hdx_text_normalize(&again, o, on, NULL) != HDX_OK ||
        again.len != on || memcmp(again.data, o, on))
        fuzz_fail("normalising twice changes the text");
    hdx_buf_clear(&again);
    check_fast_path(s, n, o, on);
    hdx_buf_clear(&b);
}

static void check_normalized(const char *s, size_t n)
{
    char *c = fuzz_strndup((const uint8_t *)s, n);
    size_t cn = strlen(c);
    char *got = hdx_text_normalized(c);
    hdx_buf b;
    hdx_buf_init(&b);
    if (hdx_text_normalize(&b, c, cn, NULL) != HDX_OK)
        hdx_buf_reset(&b);
    if (!got || strcmp(got, b.data))
        fuzz_fail("hdx_text_normalized and hdx_text_normalize disagree");
    hdx_buf_clear(&b);
    free(got);
    free(c);
}

static void check_clip(const char *s, size_t n, bool valid)
{
    for (size_t max = 0; max <= n + 1 && max < 64; max++) {
        size_t k = hdx_text_clip(s, n, max);
        if (n <= max ? k != n : k > max)
            fuzz_fail("hdx_text_clip(%zu bytes, %zu) = %zu", n, max, k);
        if (valid && (!fuzz_utf8_ok(s, k, NULL) || (n > max && k + 4 <= max)))
            fuzz_fail("hdx_text_clip(%zu bytes, %zu) = %zu cuts badly", n,
                      max, k);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *s = (const char *)data;
    bool valid;
    check_validator(s, size, &valid);
    check_normalize(s, size, valid);
    check_normalized(s, size);
    check_clip(s, size, valid);
    return 0;
}

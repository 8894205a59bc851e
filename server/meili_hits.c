/*
 * meili_hits.c - the hits of the Meilisearch API (see meili.h): the
 * attributes to retrieve from the stored header, and the _formatted copy
 * (query words wrapped in the highlight tags, long values cropped to
 * cropLength words around the first match) and _matchesPosition (byte
 * offsets of the matched words) that Meilisearch returns.
 *
 * A word of a value is a run of ASCII letters and digits and of UTF-8
 * sequences, as helpdex's analysis cuts words; it matches when its folded
 * form (hdx_text_fold) is one of the words the query matched
 * (hdx_results_term), or starts with one of its stems.  Values are not
 * HTML-escaped, as in Meilisearch: the client escapes what it shows
 * (InstantSearch does).
 */
#include "meili.h"
#include "html.h"

#include "hdx/alloc.h"
#include "hdx/snippet.h"
#include "hdx/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* The query's words, phrases cut into words. */
typedef struct mterms {
    char **w;
    bool *stem;
    size_t n;
} mterms;

static void mterms_init(mterms *t, const hdx_results *res)
{
    memset(t, 0, sizeof *t);
    for (size_t k = 0; res && k < hdx_results_n_terms(res); k++) {
        bool stem;
        const char *s = hdx_results_term(res, k, &stem);
        while (*s) {
            size_t n = strcspn(s, " ");
            if (n) {
                t->w = hdx_xrealloc(t->w, (t->n + 1) * sizeof *t->w);
                t->stem = hdx_xrealloc(t->stem, (t->n + 1) * sizeof *t->stem);
                t->w[t->n] = hdx_xstrndup(s, n);
                t->stem[t->n++] = stem;
            }
            s += n + (s[n] == ' ');
        }
    }
}

static void mterms_clear(mterms *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->w[i]);
    free(t->w);
    free(t->stem);
}

static bool word_char(unsigned char c)
{
    return isalnum(c) || c >= 0x80;
}

/* An ASCII word folds by lower-casing it (hdx_text_fold for the rest):
 * the body text has thousands of words, so this is the common case. */
static bool word_matches(const mterms *t, const char *w, size_t n)
{
    if (!t->n)
        return false;
    char small[64];
    bool ascii = n < sizeof small;
    for (size_t i = 0; ascii && i < n; i++) {
        ascii = (unsigned char)w[i] < 0x80;
        small[i] = (char)tolower((unsigned char)w[i]);
    }
    hdx_buf f;
    hdx_buf_init(&f);
    const char *folded = small;
    if (ascii)
        small[n] = '\0';
    else if (hdx_text_fold(&f, w, n, NULL) == HDX_OK && f.len)
        folded = f.data;
    else
        folded = "";
    bool hit = false;
    for (size_t i = 0; i < t->n && !hit && *folded; i++)
        hit = t->stem[i] ? !strncmp(folded, t->w[i], strlen(t->w[i]))
                         : !strcmp(folded, t->w[i]);
    hdx_buf_clear(&f);
    return hit;
}

/* The words of a value, with their matches. */
typedef struct mword {
    size_t start, len;
    bool hit;
} mword;

/* The words of s[0..n), with their matches; with `crop`, only up to
 * `crop` words past the first match (*more: the text goes on). */
static mword *words_of(const char *s, size_t n, const mterms *t, long crop,
                       size_t *count, bool *more)
{
    mword *w = NULL;
    size_t k = 0, cap = 0, i = 0, first = (size_t)-1;
    *more = false;
    while (i < n) {
        while (i < n && !word_char((unsigned char)s[i]))
            i++;
        size_t start = i;
        while (i < n && word_char((unsigned char)s[i]))
            i++;
        if (i == start)
            break;
        if (crop > 0 && first != (size_t)-1 && k >= first + (size_t)crop) {
            *more = true;
            break;
        }
        if (k == cap)
            w = hdx_xrealloc(w, (cap = cap ? 2 * cap : 64) * sizeof *w);
        w[k].start = start;
        w[k].len = i - start;
        w[k].hit = word_matches(t, s + start, i - start);
        if (w[k].hit && first == (size_t)-1)
            first = k;
        k++;
    }
    *count = k;
    return w;
}

/* How one value is formatted. */
typedef struct fmt {
    bool highlight;
    long crop;      /* words to keep; 0: no crop */
    const meili_search *s;
} fmt;

/* [from, to) of the words to keep: `crop` words around the first match
 * (the start without one). */
static void crop_window(const mword *w, size_t n, long crop, size_t *from,
                        size_t *to)
{
    size_t len = crop > 0 && (size_t)crop < n ? (size_t)crop : n, m = 0;
    while (m < n && !w[m].hit)
        m++;
    size_t start = m < n && m > len / 2 ? m - len / 2 : 0;
    if (start + len > n)
        start = n - len;
    *from = start;
    *to = start + len;
}

static json_t *format_string(const char *s, const fmt *f, const mterms *t)
{
    size_t len = strlen(s), n;
    if (len > HDX_SNIPPET_SCAN_MAX)
        len = hdx_text_clip(s, len, HDX_SNIPPET_SCAN_MAX);
    bool more;
    mword *w = words_of(s, len, t, f->crop, &n, &more);
    size_t from = 0, to = n;
    if (f->crop)
        crop_window(w, n, f->crop, &from, &to);
    /* A cut falls between whitespace-separated tokens ("don't", not "t"). */
    size_t at = f->crop && n ? w[from].start : 0;
    size_t end = f->crop && n ? w[to - 1].start + w[to - 1].len : len;
    while (at > 0 && !isspace((unsigned char)s[at - 1]))
        at--;
    while (end < len && !isspace((unsigned char)s[end]))
        end++;
    hdx_buf b;
    hdx_buf_init(&b);
    if (f->crop && from > 0)
        hdx_buf_adds(&b, f->s->marker);
    for (size_t k = from; k < to; k++) {
        if (!f->highlight || !w[k].hit)
            continue;
        hdx_buf_add(&b, s + at, w[k].start - at);
        hdx_buf_adds(&b, f->s->pre);
        hdx_buf_add(&b, s + w[k].start, w[k].len);
        hdx_buf_adds(&b, f->s->post);
        at = w[k].start + w[k].len;
    }
    hdx_buf_add(&b, s + at, end > at ? end - at : 0);
    if (f->crop && (to < n || more || len < strlen(s)))
        hdx_buf_adds(&b, f->s->marker);
    json_t *out = json_stringn(b.data ? b.data : "", b.len);
    hdx_buf_clear(&b);
    free(w);
    return out ? out : json_string("");
}

/* The matched words of string s, appended to arr as {start, length}. */
static void positions(const char *s, const mterms *t, json_t *arr)
{
    size_t len = strlen(s), n;
    if (len > HDX_SNIPPET_SCAN_MAX)
        len = hdx_text_clip(s, len, HDX_SNIPPET_SCAN_MAX);
    bool more;
    mword *w = words_of(s, len, t, 0, &n, &more);
    for (size_t k = 0; k < n; k++)
        if (w[k].hit)
            json_array_append_new(arr, json_pack("{s:I, s:I}", "start",
                                                 (json_int_t)w[k].start,
                                                 "length",
                                                 (json_int_t)w[k].len));
    free(w);
}

static json_t *format_value(const json_t *v, const fmt *f, const mterms *t)
{
    if (json_is_string(v))
        return format_string(json_string_value(v), f, t);
    if (!json_is_array(v))
        return json_incref((json_t *)v);
    json_t *arr = json_array();
    size_t i;
    json_t *x;
    json_array_foreach(v, i, x)
        json_array_append_new(arr, format_value(x, f, t));
    return arr;
}

static void value_positions(const json_t *v, const mterms *t, json_t *arr)
{
    size_t i;
    json_t *x;
    if (json_is_string(v))
        positions(json_string_value(v), t, arr);
    json_array_foreach(v, i, x)
        value_positions(x, t, arr);
}

/* The hit's attributes, every one the search may look at. */
static json_t *all_attrs(const hdx_results *res, size_t i,
                         const meili_search *s)
{
    docdata d = {0};
    size_t len;
    const char *data = hdx_results_data(res, i, &len);
    /* The header only: the body text is read below when it is wanted. */
    if (!(d.hdr = json_loadb(data, len, 0, NULL)))
        return NULL;
    json_t *all = json_object();
    for (int a = 0; a < MA_COUNT; a++) {
        json_t *v = json_object_get(d.hdr, meili_attr_name(a));
        if (v && a != MA_CONTENT && a != MA_URL)
            json_object_set(all, meili_attr_name(a), v);
    }
    hdx_buf url;
    hdx_buf_init(&url);
    web_article_path(&url, json_string_value(json_object_get(d.hdr, "id")));
    json_object_set_new(all, "url", json_string(url.data));
    hdx_buf_clear(&url);
    if ((s->retrieve | s->highlight | s->crop) & MA_BIT(MA_CONTENT)) {
        size_t n;
        const char *text = hdx_results_text(res, i, &n);
        /* Only formatted: its scanned start (HDX_SNIPPET_SCAN_MAX), taken
         * as it is; what is shown of it goes through json_stringn(). */
        bool shown = s->retrieve & MA_BIT(MA_CONTENT);
        if (!shown && n > HDX_SNIPPET_SCAN_MAX)
            n = hdx_text_clip(text, n, HDX_SNIPPET_SCAN_MAX);
        json_object_set_new(all, "content", shown
                                                ? json_stringn(text, n)
                                                : json_stringn_nocheck(text, n));
    }
    docdata_clear(&d);
    return all;
}

/* The attributes whose matches _matchesPosition lists: the searched
 * text (ids, paths and URLs only repeat it). */
static const unsigned k_searched = MA_BIT(MA_TITLE) | MA_BIT(MA_SUMMARY) |
                                   MA_BIT(MA_CONTENT) | MA_BIT(MA_TAGS);

/* Hit i as a Meilisearch hit, or NULL when its data is unreadable. */
static json_t *hit_json(const hdx_results *res, size_t i,
                        const meili_search *s, const mterms *tp)
{
    json_t *all = all_attrs(res, i, s);
    if (!all)
        return NULL;
    const mterms t = *tp;
    json_t *hit = json_object(), *fm = json_object(), *mp = json_object();
    unsigned want = s->retrieve | s->highlight | s->crop;
    for (int a = 0; a < MA_COUNT; a++) {
        json_t *v = json_object_get(all, meili_attr_name(a));
        if (!v)
            continue;
        if (s->retrieve & MA_BIT(a))
            json_object_set(hit, meili_attr_name(a), v);
        long cl = s->crop_lengths[a] ? s->crop_lengths[a] : s->crop_length;
        /* "*" also highlights what is cropped (the body text). */
        unsigned hl = s->highlight | (s->highlight_all ? s->crop : 0u);
        fmt f = {(hl & MA_BIT(a)) != 0,
                 (s->crop & MA_BIT(a)) ? (cl ? cl : 1) : 0, s};
        if ((want & MA_BIT(a)) && (f.highlight || f.crop))
            json_object_set_new(fm, meili_attr_name(a),
                                format_value(v, &f, &t));
        else if (want & MA_BIT(a))
            json_object_set(fm, meili_attr_name(a), v);
        if (!s->matches || !(k_searched & MA_BIT(a)))
            continue;
        json_t *arr = json_array();
        value_positions(v, &t, arr);
        if (json_array_size(arr))
            json_object_set(mp, meili_attr_name(a), arr);
        json_decref(arr);
    }
    if (s->highlight || s->crop)
        json_object_set(hit, "_formatted", fm);
    if (s->matches)
        json_object_set(hit, "_matchesPosition", mp);
    if (s->score)
        json_object_set_new(hit, "_rankingScore",
                            json_real(hdx_results_percent(res, i) / 100.0));
    json_decref(fm);
    json_decref(mp);
    json_decref(all);
    return hit;
}

json_t *meili_hits(const hdx_results *res, const meili_search *s)
{
    json_t *hits = json_array();
    mterms t;
    mterms_init(&t, res);
    for (size_t i = 0; res && i < hdx_results_count(res); i++) {
        json_t *h = hit_json(res, i, s, &t);
        if (h)
            json_array_append_new(hits, h);
    }
    mterms_clear(&t);
    return hits;
}

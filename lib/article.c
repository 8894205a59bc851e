/*
 * article.c - one file's bytes → hdx_article: checks, front matter split,
 * defaults; and the article's own accessors (free, visible Markdown).
 *
 * Order of work in hdx_article_parse(): check_bytes() refuses what cannot
 * be an article (too large, binary, invalid UTF-8, empty), unix_newlines()
 * leaves one line ending, split_front_matter() hands the "---" fenced YAML
 * to frontmatter.c, markdown.c parses the body, and last come the defaults
 * that depend on both (id from the path, type from the folder, audience
 * from the type) and the status and title checks.
 */
#include "internal.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Default id: the path without ".md", each segment slugified. */
static char *id_from_path(const char *path)
{
    hdx_buf out;
    hdx_buf_init(&out);
    size_t len = strlen(path);
    if (len > 3 && strcasecmp(path + len - 3, ".md") == 0)
        len -= 3;
    else if (len > 9 && strcasecmp(path + len - 9, ".markdown") == 0)
        len -= 9;
    char *copy = hdx_xstrndup(path, len);
    char *save = NULL;
    for (char *seg = strtok_r(copy, "/", &save); seg;
         seg = strtok_r(NULL, "/", &save)) {
        char *slug = hdx_slugify(seg);
        if (*slug) {
            if (out.len)
                hdx_buf_addc(&out, '/');
            hdx_buf_adds(&out, slug);
        }
        free(slug);
    }
    free(copy);
    char *id = hdx_buf_detach(&out);
    hdx_buf_clear(&out);
    return id;
}

char *hdx_article_clean_id(const char *id)
{
    hdx_buf out;
    hdx_buf_init(&out);
    const char *p = id ? id : "";
    while (*p) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        bool dots = (n == 1 && p[0] == '.') ||
                    (n == 2 && p[0] == '.' && p[1] == '.');
        if (n && !dots) {
            if (out.len)
                hdx_buf_addc(&out, '/');
            hdx_buf_add(&out, p, n);
        }
        p += n;
    }
    char *clean = out.len ? hdx_buf_detach(&out) : hdx_xstrdup("");
    hdx_buf_clear(&out);
    return clean;
}

/* Find the closing "---" or "..." line of front matter whose first line
 * starts at data[start] (just after the opening "---\n"), allowing trailing
 * blanks.  Returns the offset of the closing line and sets *body_off (the
 * byte after it) and *fence_line (its 1-based line), or returns -1. */
static long find_fence(const char *data, size_t len, size_t start,
                       size_t *body_off, int *fence_line)
{
    size_t i = start;
    int line = 2;
    while (i < len) {
        size_t e = i;
        while (e < len && data[e] != '\n')
            e++;
        size_t l = e - i;
        while (l && (data[i + l - 1] == '\r' || data[i + l - 1] == ' ' ||
                     data[i + l - 1] == '\t'))
            l--;
        if ((l == 3 && (!memcmp(data + i, "---", 3) ||
                        !memcmp(data + i, "...", 3)))) {
            *body_off = e < len ? e + 1 : e;
            *fence_line = line;
            return (long)i;
        }
        i = e + 1;
        line++;
    }
    return -1;
}

/* Is the file in a folder named "incidents" (at any depth)? */
static bool in_incidents_folder(const char *path)
{
    return !strncmp(path, "incidents/", 10) || strstr(path, "/incidents/");
}

/*
 * Fill what the front matter left out.  The type and audience are still
 * the HDX_*_COUNT sentinels if not given: the type then comes from the
 * folder, and the audience from the type (incidents are for agents).
 */
static void apply_defaults(hdx_article *a)
{
    if (a->id) {
        char *clean = hdx_article_clean_id(a->id);
        free(a->id);
        a->id = clean;
    }
    if (!a->id || !*a->id) {
        free(a->id);
        a->id = id_from_path(a->path);
    }
    if (!a->locale)
        a->locale = hdx_xstrdup("en");
    if (a->type == HDX_TYPE_COUNT)
        a->type = in_incidents_folder(a->path) ? HDX_TYPE_INCIDENT
                                               : HDX_TYPE_ARTICLE;
    if (a->audience == HDX_AUD_COUNT)
        a->audience =
            a->type == HDX_TYPE_INCIDENT ? HDX_AUD_AGENT : HDX_AUD_PUBLIC;
    if (!a->status)
        a->status = hdx_xstrdup(a->type == HDX_TYPE_INCIDENT
                                    ? (a->resolved ? "resolved" : "open")
                                    : "published");
    if (!strcasecmp(a->status, "draft"))
        a->draft = true;
}

/* Is the status one the type allows?  A valid one is lower-cased. */
static hdx_status check_status(hdx_article *a, hdx_error *err, int line)
{
    static const char *const article_st[] = {"published", "draft", NULL};
    static const char *const incident_st[] = {"resolved", "open",
                                              "workaround", "draft", NULL};
    const char *const *ok =
        a->type == HDX_TYPE_INCIDENT ? incident_st : article_st;
    for (int i = 0; ok[i]; i++)
        if (!strcasecmp(a->status, ok[i])) {
            for (char *p = a->status; *p; p++)
                *p = (char)tolower((unsigned char)*p);
            return HDX_OK;
        }
    return hdxi_parse_fail(
        err, "article", "invalid-status", line, 1,
        a->type == HDX_TYPE_INCIDENT
            ? "invalid status '%s' (expected resolved, open or workaround)"
            : "invalid status '%s' (expected published or draft)",
        a->status);
}

/* A draft's status is "draft", so the two never disagree (draft: true or
 * published: false with no status, or a status that says otherwise). */
static void draft_status(hdx_article *a)
{
    if (!a->draft || !strcmp(a->status, "draft"))
        return;
    if (a->status_line)
        hdxi_note(a, a->status_line, 1, false, "draft-status",
                  "status '%s' but the document is a draft (draft: or "
                  "published: says so): its status is 'draft'",
                  a->status);
    free(a->status);
    a->status = hdx_xstrdup("draft");
}

/* The 1-based line and column of byte `off`; the column counts characters
 * (UTF-8 lead bytes), as an editor shows it. */
static void position_of(const char *data, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off; i++) {
        if (data[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)data[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/*
 * Refuse what cannot be an article before any parser sees it: too large,
 * binary (a NUL byte), invalid UTF-8, or nothing but blanks after an
 * optional byte-order mark.  On success *start is the offset past the BOM.
 */
static hdx_status check_bytes(const char *data, size_t len, size_t *start,
                              hdx_error *err)
{
    if (len > HDX_ARTICLE_MAX_BYTES)
        return hdxi_parse_fail(err, "article", "too-large", 1, 0,
                               "file is %zu bytes, over the %u-byte limit",
                               len, HDX_ARTICLE_MAX_BYTES);
    if (memchr(data, '\0', len))
        return hdxi_parse_fail(err, "article", "binary-file", 1, 1,
                               "binary file (contains NUL bytes)");
    size_t bad;
    if (!hdx_text_valid_utf8(data, len, &bad)) {
        int line, col;
        position_of(data, bad, &line, &col);
        return hdxi_parse_fail(err, "article", "invalid-utf8", line, col,
                               "invalid UTF-8 (byte 0x%02X)",
                               (unsigned char)data[bad]);
    }
    *start = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
    for (size_t i = *start; i < len; i++)
        if (!isspace((unsigned char)data[i]))
            return HDX_OK;
    return hdxi_parse_fail(err, "article", "empty-file", 1, 1, "empty file");
}

/*
 * One line-ending convention for everything below: cmark takes a lone CR
 * as a line break, and section line ranges (which decide what a lower
 * audience sees) must count lines exactly as cmark does.  Returns a copy
 * with every CRLF and lone CR turned into LF (caller frees) and its length
 * in *out_len, or NULL when `data` has no CR.
 */
static char *unix_newlines(const char *data, size_t len, size_t *out_len)
{
    if (!memchr(data, '\r', len))
        return NULL;
    char *text = hdx_xmalloc(len + 1);
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (data[i] == '\r') {
            text[o++] = '\n';
            if (i + 1 < len && data[i + 1] == '\n')
                i++;
        } else {
            text[o++] = data[i];
        }
    }
    text[o] = '\0';
    *out_len = o;
    return text;
}

/*
 * If data[start..] opens with a "---" line, parse the front matter up to
 * its closing fence into `a` and move *body_off / *body_line past it;
 * otherwise leave them alone.  `data` has LF line ends only.
 */
static hdx_status split_front_matter(hdx_article *a, const char *data,
                                     size_t len, size_t start,
                                     size_t *body_off, int *body_line,
                                     hdx_error *err)
{
    if (len - start < 4 || memcmp(data + start, "---\n", 4) != 0)
        return HDX_OK;
    size_t fm_start = start + 4;
    int fence_line = 0;
    long fence = find_fence(data, len, fm_start, body_off, &fence_line);
    if (fence < 0)
        return hdxi_parse_fail(err, "article", "yaml", 1, 1,
                               "front matter starts with '---' but has no "
                               "closing '---' line");
    hdx_status st = hdxi_frontmatter_parse(a, data + fm_start,
                                           (size_t)fence - fm_start, 2, err);
    if (st == HDX_OK)
        *body_line = fence_line + 1;
    return st;
}

/* A mistyped visibility marker must not publish what it was meant to
 * hide: like a mistyped audience: field, it refuses the file. */
static hdx_status refuse_bad_markers(const hdx_article *a, hdx_error *err)
{
    for (size_t i = 0; i < a->n_notes; i++) {
        const hdx_note *n = &a->notes[i];
        if (n->is_error && !strcmp(n->rule, "invalid-audience"))
            return hdxi_parse_fail(err, "article", n->rule, n->line,
                                   n->column, "%s", n->msg);
    }
    return HDX_OK;
}

/* Parse the (LF-only) text into `a`: front matter, body, then the checks
 * and defaults that need both. */
static hdx_status parse_text(hdx_article *a, const char *data, size_t len,
                             size_t start, hdx_error *err)
{
    a->audience = HDX_AUD_COUNT; /* sentinels: not given */
    a->type = HDX_TYPE_COUNT;
    size_t body_off = start;
    int body_line = 1;
    hdx_status st =
        split_front_matter(a, data, len, start, &body_off, &body_line, err);
    if (st != HDX_OK)
        return st;
    a->body = hdx_xstrndup(data + body_off, len - body_off);
    a->body_first_line = body_line;
    hdxi_markdown_parse(a, a->body, len - body_off, body_line);
    st = refuse_bad_markers(a, err);
    if (st != HDX_OK)
        return st;
    apply_defaults(a);
    st = check_status(a, err, a->status_line ? a->status_line : 1);
    if (st != HDX_OK)
        return st;
    draft_status(a);
    if (!a->title || !*a->title)
        return hdxi_parse_fail(err, "article", "missing-title", 1, 1,
                               "no title: add 'title:' to the front matter "
                               "or a '# Heading'");
    return HDX_OK;
}

hdx_status hdx_article_parse(const char *path, const char *data, size_t len,
                             hdx_article **out, hdx_error *err)
{
    *out = NULL;
    size_t start = 0;
    hdx_status st = check_bytes(data, len, &start, err);
    if (st != HDX_OK)
        return st;
    char *unix_text = unix_newlines(data, len, &len);
    hdx_article *a = hdx_xcalloc(1, sizeof *a);
    a->path = hdx_xstrdup(path);
    st = parse_text(a, unix_text ? unix_text : data, len, start, err);
    free(unix_text);
    if (st != HDX_OK) {
        if (err && !err->line)
            err->line = 1;
        hdx_article_free(a);
        return st;
    }
    *out = a;
    return HDX_OK;
}

void hdx_article_free(hdx_article *a)
{
    if (!a)
        return;
    free(a->path);
    free(a->id);
    free(a->title);
    free(a->summary);
    free(a->product);
    free(a->locale);
    free(a->status);
    free(a->updated);
    free(a->resolved);
    free(a->fixed_in);
    free(a->problem);
    hdxi_strlist_free(&a->tags);
    hdxi_strlist_free(&a->versions);
    hdxi_strlist_free(&a->error_codes);
    hdxi_strlist_free(&a->kb);
    hdxi_strlist_free(&a->unknown_fields);
    free(a->category);
    free(a->section);
    free(a->nav_label);
    hdxi_strlist_free(&a->aliases);
    free(a->category_key);
    free(a->section_key);
    for (size_t i = 0; i < a->n_sections; i++) {
        free(a->sections[i].heading);
        free(a->sections[i].anchor);
        free(a->sections[i].text);
        free(a->sections[i].code);
    }
    free(a->sections);
    for (size_t i = 0; i < a->n_refs; i++)
        free(a->refs[i].target);
    free(a->refs);
    for (size_t i = 0; i < a->n_notes; i++) {
        free(a->notes[i].rule);
        free(a->notes[i].msg);
    }
    free(a->notes);
    free(a->body);
    free(a);
}

bool hdx_article_has_sections_above(const hdx_article *a, hdx_audience level)
{
    for (size_t i = 0; i < a->n_sections; i++)
        if (a->sections[i].audience > level)
            return true;
    return false;
}

char *hdx_article_visible_markdown(const hdx_article *a, hdx_audience level)
{
    hdx_buf out;
    hdx_buf_init(&out);
    const char *p = a->body;
    int line = a->body_first_line;
    size_t sec = 0;
    while (*p) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
        while (sec + 1 < a->n_sections &&
               line > a->sections[sec].last_line)
            sec++;
        if (a->sections[sec].audience <= level)
            hdx_buf_add(&out, p, n);
        p += n;
        line++;
    }
    char *md = hdx_buf_detach(&out);
    hdx_buf_clear(&out);
    return md;
}

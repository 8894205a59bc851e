/*
 * document.c - article → Xapian documents (see document.h and
 * docs/index-schema.md, which lists every prefix, slot and weight).
 *
 * Field weights are wdf multipliers on the unprefixed (free-text) terms, so
 * a plain query ranks a title match above a heading match above a body
 * match; prefixed copies of the small fields serve field queries (title:).
 * Document data is the small JSON header a hit list needs and the section
 * table is HDX_SLOT_SECTIONS, flat (hdx/sections.h) so that a hit finds
 * its snippet's section without parsing JSON.  The plain text snippets are
 * cut from is value slot HDX_SLOT_TEXT, stored as is: Xapian inflates
 * document data on every read, and for a page of hits that zlib work cost
 * more than the search.  The visible Markdown, needed only to render one
 * article page, is in HDX_SLOT_MARKDOWN, compressed by us.
 */
#include "document.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/ident.h"
#include "hdx/sections.h"
#include "hdx/text.h"
#include "hdx/zip.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    W_TITLE = 6,
    W_SUMMARY = 2,
    W_TAGS = 3,
    W_HEADING = 3,
    W_SYMPTOMS = 3,
    W_BODY = 1
};

static const char LEVEL_CH[HDX_AUD_COUNT] = {'p', 'a', 'i'};

typedef struct ctx {
    hdx_doc *doc;
    hdx_status st;
    hdx_error *err;
} ctx;

static void index_field(ctx *c, const char *text, const char *prefix,
                        unsigned wdf, bool positions)
{
    if (c->st != HDX_OK || !text || !*text)
        return;
    char *n = hdx_text_normalized(text);
    if (*n) {
        if (*prefix)
            c->st = hdx_doc_index_text(c->doc, n, strlen(n), prefix, 1, false,
                                       c->err);
        if (c->st == HDX_OK)
            c->st = hdx_doc_index_text(c->doc, n, strlen(n), "", wdf,
                                       positions, c->err);
    }
    free(n);
}

static void add_term(ctx *c, const char *prefix, const char *value,
                     unsigned wdf)
{
    if (c->st != HDX_OK || !value || !*value)
        return;
    char *t = hdx_term_make(prefix, value);
    c->st = hdx_doc_add_term(c->doc, t, wdf, c->err);
    free(t);
}

static void add_ident(const char *term, size_t len, void *p)
{
    (void)len;
    add_term(p, "XE", term, 1);
}

static json_t *strlist_json(const hdx_strlist *l)
{
    json_t *a = json_array();
    for (size_t i = 0; i < l->n; i++)
        json_array_append_new(a, json_string(l->items[i]));
    return a;
}

static void set_str(json_t *o, const char *k, const char *v)
{
    if (v)
        json_object_set_new(o, k, json_string(v));
}

/* The JSON header for one visible version (see docs/index-schema.md). */
static json_t *header_json(const hdx_article *a, hdx_audience level,
                           const char *resolution_md)
{
    json_t *o = json_object();
    set_str(o, "id", a->id);
    set_str(o, "title", a->title);
    set_str(o, "path", a->path);
    set_str(o, "summary", a->summary);
    set_str(o, "audience", hdx_audience_name(a->audience));
    set_str(o, "version", hdx_audience_name(level));
    set_str(o, "status", a->status);
    set_str(o, "type", hdx_doctype_name(a->type));
    set_str(o, "product", a->product);
    json_object_set_new(o, "tags", strlist_json(&a->tags));
    set_str(o, "updated", a->updated);
    set_str(o, "locale", a->locale);
    json_object_set_new(o, "draft", json_boolean(a->draft));
    if (a->type == HDX_TYPE_INCIDENT) {
        set_str(o, "resolved", a->resolved);
        json_object_set_new(o, "versions", strlist_json(&a->versions));
        set_str(o, "fixed_in", a->fixed_in);
        json_object_set_new(o, "error_codes", strlist_json(&a->error_codes));
        set_str(o, "problem", a->problem);
        json_object_set_new(o, "kb", strlist_json(&a->kb));
        set_str(o, "resolution_md", resolution_md);
    } else if (a->kb.n) {
        json_object_set_new(o, "kb", strlist_json(&a->kb));
    }
    return o;
}

/* Markdown lines of the Resolution / Workaround sections visible at level. */
static char *resolution_markdown(const hdx_article *a, hdx_audience level)
{
    hdx_buf out;
    hdx_buf_init(&out);
    for (int want = HDX_SEC_RESOLUTION; want <= HDX_SEC_WORKAROUND; want++) {
        for (size_t s = 0; s < a->n_sections; s++) {
            const hdx_section *sec = &a->sections[s];
            if ((int)sec->kind != want || sec->audience > level)
                continue;
            /* Copy the section's lines after its heading line. */
            const char *p = a->body;
            int line = a->body_first_line;
            while (*p) {
                const char *e = strchr(p, '\n');
                size_t n = e ? (size_t)(e - p) + 1 : strlen(p);
                if (line > sec->first_line && line <= sec->last_line)
                    hdx_buf_add(&out, p, n);
                p += n;
                line++;
            }
        }
    }
    char *md = out.len ? hdx_buf_detach(&out) : NULL;
    hdx_buf_clear(&out);
    return md;
}

static hdx_status build_version(const hdx_article *a, hdx_audience level,
                                hdx_audience upto, built_doc *out,
                                hdx_error *err)
{
    hdx_doc *doc;
    hdx_status st = hdx_doc_new(a->locale, &doc, err);
    if (st != HDX_OK)
        return st;
    ctx c = {doc, HDX_OK, err};

    /* Visibility: one term per level that sees this version. */
    for (int l = level; l <= (int)upto; l++) {
        char t[4] = {'X', a->draft ? 'W' : 'V', LEVEL_CH[l], '\0'};
        if (!a->draft || l > HDX_AUD_PUBLIC)
            add_term(&c, "", t, 0);
    }
    char *nid = hdx_text_normalized(a->id);
    add_term(&c, "XI", nid, 0);
    free(nid);
    add_term(&c, "XF", a->path, 0);
    add_term(&c, "XT", hdx_doctype_name(a->type), 0);
    add_term(&c, "XA", hdx_audience_name(a->audience), 0);
    add_term(&c, "XS", a->status, 0);
    char *nprod = hdx_text_normalized(a->product);
    add_term(&c, "XP", nprod, 0);

    for (size_t i = 0; i < a->tags.n; i++) {
        char *t = hdx_text_normalized(a->tags.items[i]);
        add_term(&c, "K", t, 0);
        free(t);
    }

    index_field(&c, a->title, "S", W_TITLE, true);
    index_field(&c, a->summary, "", W_SUMMARY, true);
    for (size_t i = 0; i < a->tags.n; i++)
        index_field(&c, a->tags.items[i], "", W_TAGS, false);
    for (size_t i = 0; i < a->error_codes.n; i++)
        hdx_ident_normalize_code(a->error_codes.items[i], add_ident, &c);
    if (a->title)
        hdx_ident_extract(a->title, strlen(a->title), add_ident, &c);

    hdx_buf text;
    hdx_buf_init(&text);
    hdx_buf sections;
    hdx_buf_init(&sections);
    for (size_t s = 0; s < a->n_sections; s++) {
        const hdx_section *sec = &a->sections[s];
        if (sec->audience > level)
            continue;
        /* A level-1 heading that only repeats the title adds nothing. */
        bool title_heading = sec->level == 1 && a->title &&
                             !strcmp(sec->heading, a->title);
        if (sec->level > 0 || s == 0)
            hdx_sections_add(&sections, text.len, sec->kind, sec->heading,
                             sec->anchor);
        if (*sec->heading && !title_heading) {
            hdx_buf_adds(&text, sec->heading);
            hdx_buf_addc(&text, '\n');
            index_field(&c, sec->heading, "XH", W_HEADING, true);
        }
        hdx_buf_adds(&text, sec->text);
        hdx_buf_addc(&text, '\n');
        if (sec->kind == HDX_SEC_SYMPTOMS)
            index_field(&c, sec->text, "XY", W_SYMPTOMS, true);
        else
            index_field(&c, sec->text, "", W_BODY, true);
        if (sec->code && *sec->code) {
            char *nc = hdx_text_normalized(sec->code);
            if (c.st == HDX_OK)
                c.st = hdx_doc_index_text(doc, nc, strlen(nc), "XC", 1, false,
                                          err);
            free(nc);
        }
        hdx_ident_extract(sec->text, strlen(sec->text), add_ident, &c);
    }

    /* Values for sorting, facets and collapsing. */
    if (c.st == HDX_OK && a->updated) {
        char ymd[9] = {a->updated[0], a->updated[1], a->updated[2],
                       a->updated[3], a->updated[5], a->updated[6],
                       a->updated[8], a->updated[9], '\0'};
        c.st = hdx_doc_set_value(doc, HDX_SLOT_UPDATED, ymd, 8, err);
    }
    if (c.st == HDX_OK) {
        char **ntags = hdx_xcalloc(a->tags.n ? a->tags.n : 1, sizeof(char *));
        for (size_t i = 0; i < a->tags.n; i++)
            ntags[i] = hdx_text_normalized(a->tags.items[i]);
        c.st = hdx_doc_set_facets(doc, nprod, hdx_doctype_name(a->type),
                                  (const char *const *)ntags, a->tags.n, err);
        for (size_t i = 0; i < a->tags.n; i++)
            free(ntags[i]);
        free(ntags);
    }
    if (c.st == HDX_OK)
        c.st = hdx_doc_set_value(doc, HDX_SLOT_ID, a->id, strlen(a->id), err);

    if (c.st == HDX_OK) {
        char *res = resolution_markdown(a, level);
        json_t *hdr = header_json(a, level, res);
        free(res);
        char *js = json_dumps(hdr, JSON_COMPACT);
        json_decref(hdr);
        char *md = hdx_article_visible_markdown(a, level);
        size_t zlen;
        char *zmd = hdx_zip(md, strlen(md), &zlen);
        c.st = hdx_doc_set_value(doc, HDX_SLOT_MARKDOWN, zmd, zlen, err);
        free(zmd);
        free(md);
        if (c.st == HDX_OK)
            c.st = hdx_doc_set_value(doc, HDX_SLOT_TEXT, text.data, text.len,
                                     err);
        if (c.st == HDX_OK)
            c.st = hdx_doc_set_value(doc, HDX_SLOT_SECTIONS, sections.data,
                                     sections.len, err);
        if (c.st == HDX_OK)
            c.st = hdx_doc_set_data(doc, js, strlen(js), err);
        free(js);
    }
    hdx_buf_clear(&sections);
    hdx_buf_clear(&text);
    free(nprod);

    /* Spelling data: public, published text only. */
    hdx_doc_set_spelling(doc, level == HDX_AUD_PUBLIC && !a->draft);

    if (c.st != HDX_OK) {
        hdx_doc_free(doc);
        return c.st;
    }
    hdx_buf uid;
    hdx_buf_init(&uid);
    hdx_buf_printf(&uid, "Q%s", a->id);
    if (level != a->audience)
        hdx_buf_printf(&uid, "@%s", hdx_audience_name(level));
    out->uid = hdx_buf_detach(&uid);
    hdx_buf_clear(&uid);
    out->doc = doc;
    return HDX_OK;
}

hdx_status document_build(const hdx_article *a, built *out, hdx_error *err)
{
    memset(out, 0, sizeof *out);
    /* Levels at which the visible section set grows start a new version. */
    int starts[HDX_AUD_COUNT], n = 0;
    starts[n++] = a->audience;
    for (int l = a->audience + 1; l < HDX_AUD_COUNT; l++) {
        bool grows = false;
        for (size_t s = 0; s < a->n_sections; s++)
            if ((int)a->sections[s].audience == l)
                grows = true;
        if (grows)
            starts[n++] = l;
    }
    for (int v = 0; v < n; v++) {
        hdx_audience upto =
            (hdx_audience)(v + 1 < n ? starts[v + 1] - 1 : HDX_AUD_INTERNAL);
        hdx_status st = build_version(a, (hdx_audience)starts[v], upto,
                                      &out->docs[out->n], err);
        if (st != HDX_OK) {
            built_free(out);
            return st;
        }
        out->n++;
    }
    return HDX_OK;
}

void built_free(built *b)
{
    for (size_t i = 0; i < b->n; i++) {
        free(b->docs[i].uid);
        hdx_doc_free(b->docs[i].doc);
    }
    b->n = 0;
}

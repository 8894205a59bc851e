/*
 * document.c - article → index documents (see hdx/document.h).  Every
 * prefix, slot and weight comes from lib/schema.h; docs/index-schema.md
 * describes them.
 *
 * Field weights are wdf multipliers on the unprefixed (free-text) terms, so
 * a plain query ranks a title match above a heading match above a body
 * match; prefixed copies of the small fields serve field queries (title:).
 * Document data is the small JSON header a hit list needs.  The plain
 * text snippets are cut from is value slot HDXI_SLOT_TEXT, stored as is
 * after the section table, flat (hdx/sections.h) so that a hit finds its
 * snippet's section without parsing JSON and with no second value read:
 * Xapian inflates document data on every read, and for a page of hits
 * that zlib work cost more than the search.  The visible Markdown, needed only to render one
 * article page, is in HDXI_SLOT_MARKDOWN, compressed by us.
 */
#include "hdx/document.h"

#include "schema.h"
#include "xdoc.h"

#include "hdx/alloc.h"
#include "hdx/browse.h"
#include "hdx/buf.h"
#include "hdx/ident.h"
#include "hdx/le32.h"
#include "hdx/sections.h"
#include "hdx/text.h"
#include "hdx/wordsplit.h"
#include "hdx/zip.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One version of an article: its unique id term and its document. */
typedef struct built_doc {
    char *uid;
    hdx_doc *doc;
} built_doc;

struct hdx_docset {
    built_doc docs[HDX_AUD_COUNT];
    size_t n;
};

typedef struct ctx {
    hdx_doc *doc;
    hdx_status st;
    hdx_error *err;
} ctx;

static void add_parts(size_t start, size_t end, const char *parts,
                      size_t len, void *p)
{
    (void)start;
    (void)end;
    hdx_buf_add(p, parts, len);
    hdx_buf_addc(p, ' ');
}

/* The parts of the compound tokens of `text` (hdx/wordsplit.h) as free
 * text of weight 1, without positions: "KB4023057" is also "kb" and
 * "4023057", ranked below the whole. */
static void index_parts(ctx *c, const char *text)
{
    hdx_buf parts;
    hdx_buf_init(&parts);
    hdx_wordsplit(text, strlen(text), add_parts, &parts);
    if (parts.len) {
        char *n = hdx_text_folded(parts.data);
        if (c->st == HDX_OK && *n)
            c->st = hdxi_doc_index_text(c->doc, n, strlen(n), "", 1, false,
                                        c->err);
        free(n);
    }
    hdx_buf_clear(&parts);
}

/* Index `text` as unprefixed free text with weight `wdf` and, for a
 * field (not HDX_F_COUNT), a prefixed copy without positions. */
static void index_field(ctx *c, const char *text, int field, unsigned wdf,
                        bool positions)
{
    if (c->st != HDX_OK || !text || !*text)
        return;
    char *n = hdx_text_folded(text);
    if (*n) {
        if (field != HDXI_F_COUNT)
            c->st = hdxi_doc_index_text(c->doc, n, strlen(n),
                                        hdxi_prefix((hdxi_field)field), 1,
                                        false, c->err);
        if (c->st == HDX_OK)
            c->st = hdxi_doc_index_text(c->doc, n, strlen(n), "", wdf,
                                        positions, c->err);
        index_parts(c, text);
    }
    free(n);
}

static void add_raw(ctx *c, const char *prefix, const char *value,
                    unsigned wdf)
{
    if (c->st != HDX_OK || !value || !*value)
        return;
    char *t;
    c->st = hdxi_term_make(prefix, value, &t, c->err);
    if (c->st == HDX_OK)
        c->st = hdxi_doc_add_term(c->doc, t, wdf, c->err);
    free(t);
}

/* A boolean term of `f` for `value`, normalised if the schema says so. */
static void add_bool(ctx *c, hdxi_field f, const char *value)
{
    const hdxi_field_def *def = hdxi_schema_field(f);
    if (!value || !*value)
        return;
    char *n = def->normalise ? hdx_text_normalized(value) : NULL;
    add_raw(c, def->prefix, n ? n : value, 0);
    free(n);
}

static void add_ident(const char *term, size_t len, void *p)
{
    (void)len;
    add_raw(p, hdxi_prefix(HDXI_F_IDENT), term, 1);
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
    set_str(o, "category", a->category_key);
    set_str(o, "section", a->section_key);
    set_str(o, "category_label", a->category);
    set_str(o, "section_label", a->section);
    set_str(o, "nav_label", a->nav_label);
    if (a->has_position)
        json_object_set_new(o, "position", json_real(a->position));
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

/* The facet slot: product, type and tags, normalised. */
static hdx_status set_facets(const hdx_article *a, hdx_doc *doc,
                             hdx_error *err)
{
    char **ntags = hdx_xcalloc(a->tags.n ? a->tags.n : 1, sizeof(char *));
    for (size_t i = 0; i < a->tags.n; i++)
        ntags[i] = hdx_text_normalized(a->tags.items[i]);
    char *nprod = hdx_text_normalized(a->product ? a->product : "");
    hdx_buf v;
    hdx_buf_init(&v);
    hdxi_facets_encode(&v, nprod, hdx_doctype_name(a->type),
                       (const char *const *)ntags, a->tags.n);
    hdx_status st =
        hdxi_doc_set_value(doc, HDXI_SLOT_FACETS, v.data ? v.data : "", v.len,
                           err);
    hdx_buf_clear(&v);
    free(nprod);
    for (size_t i = 0; i < a->tags.n; i++)
        free(ntags[i]);
    free(ntags);
    return st;
}

/* Browsing: the category, the section ("<category>/" for an article
 * directly in its category) and one term per old URL. */
static void add_place_terms(ctx *c, const hdx_article *a)
{
    if (a->category_key) {
        add_bool(c, HDXI_F_CATEGORY, a->category_key);
        hdx_buf sec;
        hdx_buf_init(&sec);
        if (a->section_key)
            hdx_buf_adds(&sec, a->section_key);
        else
            hdx_buf_printf(&sec, "%s/", a->category_key);
        add_bool(c, HDXI_F_SECTION, sec.data);
        hdx_buf_clear(&sec);
    }
    for (size_t i = 0; i < a->aliases.n; i++) {
        char *k = hdx_browse_alias_key(a->aliases.items[i]);
        add_bool(c, HDXI_F_ALIAS, k);
        free(k);
    }
}

/* The boolean terms: visibility (one term per level that sees this
 * version), id, path, type, audience, status, product and tags. */
static void add_filter_terms(ctx *c, const hdx_article *a, hdx_audience level,
                             hdx_audience upto)
{
    for (int l = level; l <= (int)upto; l++) {
        char t[4];
        if (hdxi_visibility_term((hdx_audience)l, a->draft, t))
            add_raw(c, "", t, 0);
    }
    char *nid = hdx_id_key(a->id);
    add_raw(c, hdxi_prefix(HDXI_F_ID), nid, 0);
    free(nid);
    add_bool(c, HDXI_F_PATH, a->path);
    add_bool(c, HDXI_F_TYPE, hdx_doctype_name(a->type));
    add_bool(c, HDXI_F_AUDIENCE, hdx_audience_name(a->audience));
    add_bool(c, HDXI_F_STATUS, a->status);
    add_bool(c, HDXI_F_PRODUCT, a->product);
    for (size_t i = 0; i < a->tags.n; i++)
        add_bool(c, HDXI_F_TAG, a->tags.items[i]);
    add_place_terms(c, a);
}

/* Title, summary, tags and error codes: the text before the sections. */
static void index_front(ctx *c, const hdx_article *a)
{
    index_field(c, a->title, HDXI_F_TITLE, HDXI_W_TITLE, true);
    index_field(c, a->summary, HDXI_F_COUNT, HDXI_W_SUMMARY, true);
    for (size_t i = 0; i < a->tags.n; i++)
        index_field(c, a->tags.items[i], HDXI_F_COUNT, HDXI_W_TAGS, false);
    for (size_t i = 0; i < a->error_codes.n; i++)
        hdx_ident_normalize_code(a->error_codes.items[i], add_ident, c);
    if (a->title)
        hdx_ident_extract(a->title, strlen(a->title), add_ident, c);
}

/* Index the sections visible at `level`, collecting their plain text
 * (what snippets are cut from) and the section table. */
static void index_sections(ctx *c, const hdx_article *a, hdx_audience level,
                           hdx_buf *text, hdx_buf *sections)
{
    for (size_t s = 0; s < a->n_sections; s++) {
        const hdx_section *sec = &a->sections[s];
        if (sec->audience > level)
            continue;
        /* A level-1 heading that only repeats the title adds nothing. */
        bool title_heading = sec->level == 1 && a->title &&
                             !strcmp(sec->heading, a->title);
        if (sec->level > 0 || s == 0)
            hdx_sections_add(sections, text->len, sec->kind, sec->heading,
                             sec->anchor);
        /* A list of links to other pages is in the table of contents, but
         * its words are not this article's, nor a snippet (a hit would
         * show other articles' titles). */
        if (sec->kind == HDX_SEC_LINKS)
            continue;
        if (*sec->heading && !title_heading) {
            hdx_buf_adds(text, sec->heading);
            hdx_buf_addc(text, '\n');
            index_field(c, sec->heading, HDXI_F_HEADING, HDXI_W_HEADING,
                        true);
        }
        hdx_buf_adds(text, sec->text);
        hdx_buf_addc(text, '\n');
        if (sec->kind == HDX_SEC_SYMPTOMS)
            index_field(c, sec->text, HDXI_F_SYMPTOMS, HDXI_W_SYMPTOMS, true);
        else
            index_field(c, sec->text, HDXI_F_COUNT, HDXI_W_BODY, true);
        if (sec->code && *sec->code) {
            char *nc = hdx_text_folded(sec->code);
            if (c->st == HDX_OK)
                c->st = hdxi_doc_index_text(c->doc, nc, strlen(nc),
                                            hdxi_prefix(HDXI_F_CODE), 1,
                                            false, c->err);
            free(nc);
        }
        hdx_ident_extract(sec->text, strlen(sec->text), add_ident, c);
    }
}

/* One value slot, unless an earlier step failed. */
static void set_value(ctx *c, unsigned slot, const char *v, size_t len)
{
    if (c->st == HDX_OK)
        c->st = hdxi_doc_set_value(c->doc, slot, v, len, c->err);
}

/* HDXI_SLOT_TEXT: the section table, then the text (lib/schema.h). */
static void set_text_value(ctx *c, const hdx_buf *text,
                           const hdx_buf *sections)
{
    hdx_buf v;
    hdx_buf_init(&v);
    unsigned char head[HDXI_TEXT_VALUE_HEAD];
    hdx_le32_put(head, (uint32_t)sections->len);
    hdx_buf_add(&v, head, sizeof head);
    hdx_buf_add(&v, sections->data, sections->len);
    hdx_buf_add(&v, text->data, text->len);
    set_value(c, HDXI_SLOT_TEXT, v.data, v.len);
    hdx_buf_clear(&v);
}

/* Values for sorting, facets and the hit: date, facets, id, Markdown,
 * section table and text, and the JSON header. */
static void set_values(ctx *c, const hdx_article *a, hdx_audience level,
                       const hdx_buf *text, const hdx_buf *sections)
{
    char ymd[9];
    if (c->st == HDX_OK && hdxi_slot_date(a->updated, ymd))
        set_value(c, HDXI_SLOT_UPDATED, ymd, 8);
    if (c->st == HDX_OK)
        c->st = set_facets(a, c->doc, c->err);
    set_value(c, HDXI_SLOT_ID, a->id, strlen(a->id));
    if (c->st != HDX_OK)
        return;
    char *res = resolution_markdown(a, level);
    json_t *hdr = header_json(a, level, res);
    free(res);
    char *js = json_dumps(hdr, JSON_COMPACT);
    json_decref(hdr);
    char *md = hdx_article_visible_markdown(a, level);
    size_t zlen;
    char *zmd = hdx_zip(md, strlen(md), &zlen);
    set_value(c, HDXI_SLOT_MARKDOWN, zmd, zlen);
    free(zmd);
    free(md);
    set_text_value(c, text, sections);
    set_value(c, HDXI_SLOT_DATA, js, strlen(js));
    free(js);
}

/* The unique id term of the version of `a` first seen at `level`. */
static char *version_uid(const hdx_article *a, hdx_audience level)
{
    hdx_buf uid;
    hdx_buf_init(&uid);
    hdx_buf_printf(&uid, "%s%s", hdxi_prefix(HDXI_F_UID), a->id);
    if (level != a->audience)
        hdx_buf_printf(&uid, "@%s", hdx_audience_name(level));
    char *out = hdx_buf_detach(&uid);
    hdx_buf_clear(&uid);
    return out;
}

static hdx_status build_version(const hdx_article *a, hdx_audience level,
                                hdx_audience upto, built_doc *out,
                                hdx_error *err)
{
    hdx_doc *doc;
    hdx_status st = hdxi_doc_new(a->locale, &doc, err);
    if (st != HDX_OK)
        return st;
    ctx c = {doc, HDX_OK, err};
    add_filter_terms(&c, a, level, upto);
    index_front(&c, a);
    hdx_buf text, sections;
    hdx_buf_init(&text);
    hdx_buf_init(&sections);
    index_sections(&c, a, level, &text, &sections);
    set_values(&c, a, level, &text, &sections);
    hdx_buf_clear(&sections);
    hdx_buf_clear(&text);

    /* Spelling data: public, published text only. */
    hdxi_doc_set_spelling(doc, level == HDX_AUD_PUBLIC && !a->draft);

    if (c.st != HDX_OK) {
        hdxi_doc_free(doc);
        return c.st;
    }
    out->uid = version_uid(a, level);
    out->doc = doc;
    return HDX_OK;
}

hdx_status hdx_docset_build(const hdx_article *a, hdx_docset **set,
                            hdx_error *err)
{
    *set = NULL;
    hdx_docset *out = hdx_xcalloc(1, sizeof *out);
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
            hdx_docset_free(out);
            return st;
        }
        out->n++;
    }
    *set = out;
    return HDX_OK;
}

size_t hdx_docset_count(const hdx_docset *s)
{
    return s ? s->n : 0;
}

void hdx_docset_free(hdx_docset *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++) {
        free(s->docs[i].uid);
        hdxi_doc_free(s->docs[i].doc);
    }
    free(s);
}

hdx_status hdx_writer_put(hdx_writer *w, const hdx_docset *s, bool fresh,
                          hdx_error *err)
{
    hdx_status st = HDX_OK;
    for (size_t k = 0; st == HDX_OK && k < s->n; k++)
        st = fresh ? hdxi_writer_add(w, s->docs[k].uid, s->docs[k].doc, err)
                   : hdxi_writer_replace(w, s->docs[k].uid, s->docs[k].doc,
                                         err);
    return st;
}

hdx_status hdx_writer_delete_path(hdx_writer *w, const char *path,
                                  unsigned *n_deleted, hdx_error *err)
{
    char *term;
    hdx_status st = hdxi_term_make(hdxi_prefix(HDXI_F_PATH), path, &term, err);
    if (st == HDX_OK)
        st = hdxi_writer_delete(w, term, n_deleted, err);
    free(term);
    return st;
}

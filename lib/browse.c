/*
 * browse.c - the hierarchy table (see hdx/browse.h): names, order and
 * folder places of categories, sections and products; placing an
 * article; the JSON form kept in the index; default display names.
 * Reading the corpus into the table is browse_load.c's job.
 */
#include "browse_int.h"

#include "internal.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"
#include "hdx/hash.h"
#include "hdx/text.h"

#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const k_kind_names[HDXI_BROWSE_KINDS] = {
    "categories", "sections", "products"};

void hdxi_browse_set(char **field, const char *v)
{
    if (!*field && v && *v)
        *field = hdx_xstrdup(v);
}

const hdxi_browse_entry *
hdxi_browse_entry_find(const hdx_browse *b, hdx_browse_kind k, const char *key)
{
    if (!b || (unsigned)k >= HDXI_BROWSE_KINDS || !key)
        return NULL;
    for (size_t i = 0; i < b->n[k]; i++)
        if (!strcmp(b->e[k][i].key, key))
            return &b->e[k][i];
    return NULL;
}

hdxi_browse_entry *hdxi_browse_entry_get(hdx_browse *b, hdx_browse_kind k,
                                         const char *key)
{
    hdxi_browse_entry *e =
        (hdxi_browse_entry *)hdxi_browse_entry_find(b, k, key);
    if (e)
        return e;
    b->e[k] = hdx_xrealloc(b->e[k], (b->n[k] + 1) * sizeof *b->e[k]);
    e = &b->e[k][b->n[k]++];
    memset(e, 0, sizeof *e);
    e->key = hdx_xstrdup(key);
    return e;
}

void hdxi_browse_add_place(hdx_browse *b, const char *folder, const char *cat,
                           const char *sec)
{
    b->places = hdx_xrealloc(b->places, (b->n_places + 1) * sizeof *b->places);
    hdxi_browse_place *p = &b->places[b->n_places++];
    p->folder = hdx_xstrdup(folder);
    p->cat = hdx_xstrdup(cat);
    p->sec = sec ? hdx_xstrdup(sec) : NULL;
}

void hdxi_browse_add_nav(hdx_browse *b, const char *path, double pos)
{
    b->nav = hdx_xrealloc(b->nav, (b->n_nav + 1) * sizeof *b->nav);
    b->nav[b->n_nav].path = hdx_xstrdup(path);
    b->nav[b->n_nav++].pos = pos;
}

void hdx_browse_free(hdx_browse *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->n_nav; i++)
        free(b->nav[i].path);
    free(b->nav);
    for (int k = 0; k < HDXI_BROWSE_KINDS; k++) {
        for (size_t i = 0; i < b->n[k]; i++) {
            free(b->e[k][i].key);
            free(b->e[k][i].title);
            free(b->e[k][i].desc);
        }
        free(b->e[k]);
    }
    for (size_t i = 0; i < b->n_places; i++) {
        free(b->places[i].folder);
        free(b->places[i].cat);
        free(b->places[i].sec);
    }
    free(b->places);
    free(b);
}

char *hdx_browse_key(const char *category_key, const char *name)
{
    char *slug = hdx_slugify(name ? name : "");
    if (!category_key)
        return slug;
    hdx_buf k;
    hdx_buf_init(&k);
    hdx_buf_printf(&k, "%s/%s", category_key, slug);
    free(slug);
    char *out = hdx_buf_detach(&k);
    hdx_buf_clear(&k);
    return out;
}

char *hdx_browse_alias_key(const char *url)
{
    const char *p = url ? url : "";
    const char *scheme = strstr(p, "://");
    if (scheme && (size_t)(scheme - p) < 10) {
        p = scheme + 3;
        p += strcspn(p, "/");
    }
    size_t n = strcspn(p, "?#");
    char *path = hdx_xstrndup(p, n);
    char *clean = hdx_article_clean_id(path);
    char *key = hdx_text_normalized(clean);
    free(clean);
    free(path);
    return key;
}

/* The place of the deepest folder holding `path` (the root place, or
 * NULL when the table has none). */
static const hdxi_browse_place *place_of(const hdx_browse *b, const char *path)
{
    const hdxi_browse_place *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; b && i < b->n_places; i++) {
        const hdxi_browse_place *p = &b->places[i];
        size_t n = strlen(p->folder);
        bool holds = n == 0 || (!strncmp(path, p->folder, n) && path[n] == '/');
        if (holds && (!best || n > best_len)) {
            best = p;
            best_len = n;
        }
    }
    return best;
}

void hdx_browse_place(const hdx_browse *b, hdx_article *a)
{
    free(a->category_key);
    free(a->section_key);
    a->category_key = a->section_key = NULL;
    const hdxi_browse_place *p = place_of(b, a->path ? a->path : "");
    char *cat = NULL;
    if (a->category && *a->category)
        cat = hdx_browse_key(NULL, a->category);
    if (!cat || !*cat) {
        free(cat);
        cat = hdx_xstrdup(p ? p->cat : HDX_BROWSE_DEFAULT_CATEGORY);
    }
    char *sec = NULL;
    if (a->section && *a->section)
        sec = hdx_browse_key(cat, a->section);
    else if (p && p->sec && !strcmp(p->cat, cat))
        sec = hdx_xstrdup(p->sec);
    if (sec && sec[strlen(cat) + 1] == '\0') { /* a section named "" */
        free(sec);
        sec = NULL;
    }
    a->category_key = cat;
    a->section_key = sec;
    for (size_t i = 0; b && !a->has_position && i < b->n_nav; i++)
        if (a->path && !strcmp(b->nav[i].path, a->path)) {
            a->position = b->nav[i].pos;
            a->has_position = true;
        }
}

/* ---- default names ------------------------------------------------------ */

/* Words shown in a fixed form. */
static const char *const k_words[] = {
    "API",  "SSO",   "SQL",    "IIS",  "SDK", "CLI", "VPN",  "2FA",   "MFA",
    "SAML", "SCIM",  "DNS",    "DHCP", "VM",  "AD",  "UI",   "URL",   "PDF",
    "FAQ",  "IT",    "ID",     "USB",  "TLS", "SSL", "HTTP", "HTTPS", "SMTP",
    "IMAP", "RDP",   "MDM",    "MEM",  "OS",  "PC",  "CRM",  "AI",    "BI",
    "XML",  "JSON",  "CSV",    "HTML", "CSS", "CDN", "IP",   "TCP",   "SMS",
    "iOS",  "macOS", "iPadOS", "FAQs", "KB",  "NET", "MS"};

/* Short words kept lower-case inside a name ("Billing and Plans"). */
static const char *const k_small[] = {"and", "or", "of", "the", "for", "in",
                                      "on",  "to", "a",  "an",  "with"};

static void add_word(hdx_buf *out, const char *w, size_t n)
{
    for (size_t i = 0; out->len && i < sizeof k_small / sizeof k_small[0]; i++)
        if (strlen(k_small[i]) == n && !strncmp(w, k_small[i], n)) {
            hdx_buf_add(out, w, n);
            return;
        }
    for (size_t i = 0; i < sizeof k_words / sizeof k_words[0]; i++)
        if (strlen(k_words[i]) == n && !strncasecmp(w, k_words[i], n)) {
            hdx_buf_adds(out, k_words[i]);
            return;
        }
    bool has_upper = false;
    for (size_t i = 0; i < n; i++)
        has_upper = has_upper || isupper((unsigned char)w[i]);
    size_t at = out->len;
    hdx_buf_add(out, w, n);
    if (!has_upper)
        out->data[at] = (char)toupper((unsigned char)out->data[at]);
}

char *hdx_browse_default_name(const char *slug)
{
    const char *s = slug ? slug : "";
    const char *slash = strrchr(s, '/');
    if (slash)
        s = slash + 1;
    hdx_buf out;
    hdx_buf_init(&out);
    while (*s) {
        size_t skip = strspn(s, "-_ ");
        s += skip;
        size_t n = strcspn(s, "-_ ");
        if (!n)
            break;
        if (out.len)
            hdx_buf_addc(&out, ' ');
        add_word(&out, s, n);
        s += n;
    }
    char *name = out.len ? hdx_buf_detach(&out) : hdx_xstrdup("");
    hdx_buf_clear(&out);
    return name;
}

const char *hdx_browse_title(const hdx_browse *b, hdx_browse_kind k,
                             const char *key)
{
    const hdxi_browse_entry *e = hdxi_browse_entry_find(b, k, key);
    return e ? e->title : NULL;
}

const char *hdx_browse_description(const hdx_browse *b, hdx_browse_kind k,
                                   const char *key)
{
    const hdxi_browse_entry *e = hdxi_browse_entry_find(b, k, key);
    return e ? e->desc : NULL;
}

bool hdx_browse_position(const hdx_browse *b, hdx_browse_kind k,
                         const char *key, double *out)
{
    const hdxi_browse_entry *e = hdxi_browse_entry_find(b, k, key);
    if (!e || !e->has_pos)
        return false;
    *out = e->pos;
    return true;
}

char *hdx_browse_name(const hdx_browse *b, hdx_browse_kind k, const char *key,
                      const char *fallback)
{
    const char *t = hdx_browse_title(b, k, key);
    if (t)
        return hdx_xstrdup(t);
    if (fallback && *fallback)
        return hdx_xstrdup(fallback);
    return hdx_browse_default_name(key);
}

/* ---- the stored form ---------------------------------------------------- */

static json_t *entry_json(const hdxi_browse_entry *e)
{
    json_t *o = json_object();
    json_object_set_new(o, "key", json_string(e->key));
    if (e->title)
        json_object_set_new(o, "title", json_string(e->title));
    if (e->desc)
        json_object_set_new(o, "description", json_string(e->desc));
    if (e->has_pos)
        json_object_set_new(o, "position", json_real(e->pos));
    return o;
}

static json_t *places_json(const hdx_browse *b)
{
    json_t *a = json_array();
    for (size_t i = 0; i < b->n_places; i++) {
        const hdxi_browse_place *p = &b->places[i];
        json_array_append_new(a,
                              json_pack("[s,s,s?]", p->folder, p->cat, p->sec));
    }
    return a;
}

char *hdx_browse_json(const hdx_browse *b)
{
    json_t *o = json_object();
    for (int k = 0; b && k < HDXI_BROWSE_KINDS; k++) {
        json_t *a = json_array();
        for (size_t i = 0; i < b->n[k]; i++)
            json_array_append_new(a, entry_json(&b->e[k][i]));
        json_object_set_new(o, k_kind_names[k], a);
    }
    if (b) {
        json_object_set_new(o, "places", places_json(b));
        json_t *nav = json_array();
        for (size_t i = 0; i < b->n_nav; i++)
            json_array_append_new(
                nav, json_pack("[s,f]", b->nav[i].path, b->nav[i].pos));
        json_object_set_new(o, "nav", nav);
    }
    char *s = json_dumps(o, JSON_COMPACT);
    json_decref(o);
    return s;
}

static void parse_entries(hdx_browse *b, hdx_browse_kind k, json_t *arr)
{
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        const char *key = json_string_value(json_object_get(v, "key"));
        if (!key)
            continue;
        hdxi_browse_entry *e = hdxi_browse_entry_get(b, k, key);
        hdxi_browse_set(&e->title,
                        json_string_value(json_object_get(v, "title")));
        hdxi_browse_set(&e->desc,
                        json_string_value(json_object_get(v, "description")));
        json_t *pos = json_object_get(v, "position");
        if (json_is_number(pos)) {
            e->pos = json_number_value(pos);
            e->has_pos = true;
        }
    }
}

hdx_browse *hdx_browse_parse(const char *text)
{
    hdx_browse *b = hdx_xcalloc(1, sizeof *b);
    json_t *o = text ? json_loads(text, 0, NULL) : NULL;
    for (int k = 0; o && k < HDXI_BROWSE_KINDS; k++)
        parse_entries(b, (hdx_browse_kind)k,
                      json_object_get(o, k_kind_names[k]));
    size_t i;
    json_t *v;
    json_array_foreach(json_object_get(o, "places"), i, v)
    {
        const char *f = json_string_value(json_array_get(v, 0));
        const char *c = json_string_value(json_array_get(v, 1));
        if (f && c)
            hdxi_browse_add_place(b, f, c,
                                  json_string_value(json_array_get(v, 2)));
    }
    json_array_foreach(json_object_get(o, "nav"), i, v)
    {
        const char *p = json_string_value(json_array_get(v, 0));
        if (p && json_is_number(json_array_get(v, 1)))
            hdxi_browse_add_nav(b, p, json_number_value(json_array_get(v, 1)));
    }
    json_decref(o);
    return b;
}

uint64_t hdx_browse_layout_hash(const hdx_browse *b)
{
    hdx_buf s;
    hdx_buf_init(&s);
    for (size_t i = 0; b && i < b->n_places; i++) {
        const hdxi_browse_place *p = &b->places[i];
        hdx_buf_printf(&s, "%s\t%s\t%s\n", p->folder, p->cat,
                       p->sec ? p->sec : "");
    }
    for (size_t i = 0; b && i < b->n_nav; i++)
        hdx_buf_printf(&s, "nav\t%s\t%g\n", b->nav[i].path, b->nav[i].pos);
    uint64_t h = hdx_hash64(s.data, s.len);
    hdx_buf_clear(&s);
    return h;
}

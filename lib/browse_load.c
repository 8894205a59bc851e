/*
 * browse_load.c - the corpus → the hierarchy table (hdx_browse_build).
 *
 * The rule (docs/browsing.md): folders are collapsed while they hold no
 * article and exactly one folder ("wrappers" such as support/); below the
 * browse root (corpus/helpdex.yaml `root:`, else the corpus), each folder
 * is a category, its subfolders are sections, and deeper folders fold
 * into their section.  A top folder that holds no article itself but
 * whose subfolders have subfolders of their own is a *group*: its
 * subfolders are the categories.  Articles at the root go to the default
 * category.  Names, descriptions and order come from corpus/helpdex.yaml,
 * then the folder's helpdex.yaml, _category_.json / _category_.yml,
 * _index.md or index.md, then the folder name.  YAML is read with
 * libyaml, JSON with jansson.
 */
#include "browse_int.h"

#include "internal.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

typedef struct folder {
    char *path; /* "" for the root */
    size_t own; /* articles directly in it */
    size_t *kids;
    size_t n_kids;
} folder;

typedef struct loader {
    const char *corpus;
    hdx_browse *b;
    folder *f;
    size_t n;
    hdx_browse_diag_fn diag;
    void *ctx;
} loader;

static void say(loader *l, const char *file, int line, bool is_error,
                const char *msg)
{
    if (l->diag)
        l->diag(file, line, is_error, msg, l->ctx);
}

static size_t folder_find(const loader *l, const char *path)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->f[i].path, path))
            return i;
    return l->n;
}

static size_t folder_add(loader *l, const char *path, size_t len)
{
    char *p = hdx_xstrndup(path, len);
    size_t i = folder_find(l, p);
    if (i < l->n) {
        free(p);
        return i;
    }
    l->f = hdx_xrealloc(l->f, (l->n + 1) * sizeof *l->f);
    memset(&l->f[l->n], 0, sizeof *l->f);
    l->f[l->n].path = p;
    return l->n++;
}

/* The folders of the article paths, with their own-article counts and
 * children.  Paths are sorted, so a folder repeats in a run. */
static void collect_folders(loader *l, const char *const *paths, size_t n)
{
    folder_add(l, "", 0);
    size_t last = 0;
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(paths[i], '/');
        size_t dlen = slash ? (size_t)(slash - paths[i]) : 0;
        if (strlen(l->f[last].path) != dlen ||
            strncmp(l->f[last].path, paths[i], dlen) != 0) {
            for (size_t k = 0; k < dlen; k++)
                if (paths[i][k] == '/')
                    folder_add(l, paths[i], k);
            last = folder_add(l, paths[i], dlen);
        }
        l->f[last].own++;
    }
    for (size_t i = 1; i < l->n; i++) {
        const char *slash = strrchr(l->f[i].path, '/');
        size_t plen = slash ? (size_t)(slash - l->f[i].path) : 0;
        size_t parent = folder_add(l, l->f[i].path, plen);
        folder *p = &l->f[parent];
        p->kids = hdx_xrealloc(p->kids, (p->n_kids + 1) * sizeof *p->kids);
        p->kids[p->n_kids++] = i;
    }
}

/* Skip wrapper folders: no article of their own and one folder. */
static size_t resolve(const loader *l, size_t i)
{
    while (l->f[i].own == 0 && l->f[i].n_kids == 1)
        i = l->f[i].kids[0];
    return i;
}

static char *read_rel(const loader *l, const char *rel, size_t *len)
{
    hdx_buf path;
    hdx_buf_init(&path);
    hdx_buf_printf(&path, "%s/%s", l->corpus, rel);
    FILE *fp = fopen(path.data, "rb");
    hdx_buf_clear(&path);
    if (!fp)
        return NULL;
    hdx_buf data;
    hdx_buf_init(&data);
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0 &&
           data.len < HDX_ARTICLE_MAX_BYTES)
        hdx_buf_add(&data, chunk, got);
    fclose(fp);
    *len = data.len;
    char *out = hdx_buf_detach(&data);
    hdx_buf_clear(&data);
    return out ? out : hdx_xstrdup("");
}

/* ---- YAML entries ------------------------------------------------------- */

static const char *scalar(yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE ? (const char *)n->data.scalar.value
                                            : NULL;
}

/* title/label/name, description, position/weight/sidebar_position of a
 * mapping node, or a scalar as the title. */
static void yaml_entry(yaml_document_t *doc, yaml_node_t *n,
                       hdxi_browse_entry *e)
{
    if (scalar(n)) {
        hdxi_browse_set(&e->title, scalar(n));
        return;
    }
    if (!n || n->type != YAML_MAPPING_NODE)
        return;
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
         p < n->data.mapping.pairs.top; p++) {
        const char *k = scalar(yaml_document_get_node(doc, p->key));
        const char *v = scalar(yaml_document_get_node(doc, p->value));
        if (!k || !v)
            continue;
        if (!strcmp(k, "title") || !strcmp(k, "label") || !strcmp(k, "name"))
            hdxi_browse_set(&e->title, v);
        else if (!strcmp(k, "description"))
            hdxi_browse_set(&e->desc, v);
        else if (!e->has_pos &&
                 (!strcmp(k, "position") || !strcmp(k, "weight") ||
                  !strcmp(k, "sidebar_position"))) {
            char *end;
            double d = strtod(v, &end);
            if (*v && !*end) {
                e->pos = d;
                e->has_pos = true;
            }
        }
    }
}

/* Load `rel` as one YAML document; false (said) when it does not parse. */
static bool yaml_open(loader *l, const char *rel, const char *text, size_t len,
                      yaml_document_t *doc)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return false;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    bool ok = yaml_parser_load(&p, doc);
    if (!ok) {
        yaml_mark_t m = p.context ? p.context_mark : p.problem_mark;
        hdx_buf msg;
        hdx_buf_init(&msg);
        hdx_buf_printf(&msg, "invalid YAML: %s",
                       p.problem ? p.problem : "syntax error");
        say(l, rel, (int)m.line + 1, true, msg.data);
        hdx_buf_clear(&msg);
    }
    yaml_parser_delete(&p);
    return ok;
}

/* corpus/helpdex.yaml: root, products, categories, sections. */
static char *load_writers_file(loader *l)
{
    static const char rel[] = "helpdex.yaml";
    size_t len;
    char *text = read_rel(l, rel, &len);
    char *root = NULL;
    yaml_document_t doc;
    if (!text || !yaml_open(l, rel, text, len, &doc)) {
        free(text);
        return NULL;
    }
    yaml_node_t *top = yaml_document_get_root_node(&doc);
    if (top && top->type != YAML_MAPPING_NODE)
        say(l, rel, (int)top->start_mark.line + 1, true,
            "helpdex.yaml must be a mapping (root, products, categories, "
            "sections)");
    for (yaml_node_pair_t *p = top && top->type == YAML_MAPPING_NODE
                                   ? top->data.mapping.pairs.start
                                   : NULL;
         p && p < top->data.mapping.pairs.top; p++) {
        yaml_node_t *kn = yaml_document_get_node(&doc, p->key);
        yaml_node_t *vn = yaml_document_get_node(&doc, p->value);
        const char *k = scalar(kn);
        int kind = !k                         ? -1
                   : !strcmp(k, "categories") ? HDX_BROWSE_CATEGORY
                   : !strcmp(k, "sections")   ? HDX_BROWSE_SECTION
                   : !strcmp(k, "products")   ? HDX_BROWSE_PRODUCT
                                              : -1;
        if (k && !strcmp(k, "root") && scalar(vn)) {
            free(root);
            root = hdx_article_clean_id(scalar(vn));
        } else if (kind >= 0 && vn && vn->type == YAML_MAPPING_NODE) {
            for (yaml_node_pair_t *q = vn->data.mapping.pairs.start;
                 q < vn->data.mapping.pairs.top; q++) {
                const char *key = scalar(yaml_document_get_node(&doc, q->key));
                if (key)
                    yaml_entry(&doc, yaml_document_get_node(&doc, q->value),
                               hdxi_browse_entry_get(
                                   l->b, (hdx_browse_kind)kind, key));
            }
        } else {
            hdx_buf msg;
            hdx_buf_init(&msg);
            hdx_buf_printf(&msg,
                           "unknown or malformed entry '%s' (expected root, "
                           "products, categories or sections)",
                           k ? k : "?");
            say(l, rel, kn ? (int)kn->start_mark.line + 1 : 0, false, msg.data);
            hdx_buf_clear(&msg);
        }
    }
    yaml_document_delete(&doc);
    free(text);
    return root;
}

/* ---- mkdocs.yml ---------------------------------------------------------- */

/* The pages of a nav list, in order: "page.md", "Title: page.md" or
 * "Title: [nested list]"; links elsewhere are skipped. */
static void nav_walk(loader *l, yaml_document_t *doc, yaml_node_t *n,
                     const char *dir, double *pos)
{
    if (!n || n->type != YAML_SEQUENCE_NODE)
        return;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(doc, *it);
        if (c && c->type == YAML_MAPPING_NODE &&
            c->data.mapping.pairs.start < c->data.mapping.pairs.top)
            c = yaml_document_get_node(doc, c->data.mapping.pairs.start->value);
        const char *page = scalar(c);
        if (!page) {
            nav_walk(l, doc, c, dir, pos);
            continue;
        }
        if (strstr(page, "://"))
            continue;
        hdx_buf p;
        hdx_buf_init(&p);
        hdx_buf_printf(&p, "%s%s%s", dir, *dir ? "/" : "", page);
        *pos += 1;
        hdxi_browse_add_nav(l->b, p.data, *pos);
        hdx_buf_clear(&p);
    }
}

/* MkDocs' order: the nav: of mkdocs.yml at the corpus root, its pages
 * relative to docs_dir (default docs/, or the corpus itself when the
 * corpus has no such folder). */
static void load_mkdocs(loader *l)
{
    static const char rel[] = "mkdocs.yml";
    size_t len;
    char *text = read_rel(l, rel, &len);
    yaml_document_t doc;
    if (!text || !yaml_open(l, rel, text, len, &doc)) {
        free(text);
        return;
    }
    yaml_node_t *top = yaml_document_get_root_node(&doc);
    yaml_node_t *nav = NULL;
    const char *dir = "docs";
    for (yaml_node_pair_t *p = top && top->type == YAML_MAPPING_NODE
                                   ? top->data.mapping.pairs.start
                                   : NULL;
         p && p < top->data.mapping.pairs.top; p++) {
        const char *k = scalar(yaml_document_get_node(&doc, p->key));
        yaml_node_t *v = yaml_document_get_node(&doc, p->value);
        if (k && !strcmp(k, "nav"))
            nav = v;
        else if (k && !strcmp(k, "docs_dir") && scalar(v))
            dir = scalar(v);
    }
    char *clean = hdx_article_clean_id(dir);
    double pos = 0;
    nav_walk(l, &doc, nav, folder_find(l, clean) < l->n ? clean : "", &pos);
    free(clean);
    yaml_document_delete(&doc);
    free(text);
}

/* ---- folder files ------------------------------------------------------- */

static void folder_json(loader *l, const char *rel, hdxi_browse_entry *e)
{
    size_t len;
    char *text = read_rel(l, rel, &len);
    if (!text)
        return;
    json_error_t je;
    json_t *o = json_loadb(text, len, 0, &je);
    free(text);
    if (!o) {
        hdx_buf msg;
        hdx_buf_init(&msg);
        hdx_buf_printf(&msg, "invalid JSON: %s", je.text);
        say(l, rel, je.line > 0 ? je.line : 1, true, msg.data);
        hdx_buf_clear(&msg);
        return;
    }
    hdxi_browse_set(&e->title, json_string_value(json_object_get(o, "label")));
    const char *d = json_string_value(json_object_get(o, "description"));
    if (!d)
        d = json_string_value(
            json_object_get(json_object_get(o, "link"), "description"));
    hdxi_browse_set(&e->desc, d);
    json_t *pos = json_object_get(o, "position");
    if (!e->has_pos && json_is_number(pos)) {
        e->pos = json_number_value(pos);
        e->has_pos = true;
    }
    json_decref(o);
}

static void folder_yaml(loader *l, const char *rel, hdxi_browse_entry *e)
{
    size_t len;
    char *text = read_rel(l, rel, &len);
    yaml_document_t doc;
    if (text && yaml_open(l, rel, text, len, &doc)) {
        yaml_entry(&doc, yaml_document_get_root_node(&doc), e);
        yaml_document_delete(&doc);
    }
    free(text);
}

/* _index.md / index.md: the front matter's title, summary and order. */
static void folder_page(loader *l, const char *rel, hdxi_browse_entry *e)
{
    size_t len;
    char *text = read_rel(l, rel, &len);
    hdx_article *a = NULL;
    if (text && hdx_article_parse(rel, text, len, &a, NULL) == HDX_OK) {
        hdxi_browse_set(&e->title, a->nav_label ? a->nav_label : a->title);
        hdxi_browse_set(&e->desc, a->summary);
        if (!e->has_pos && a->has_position) {
            e->pos = a->position;
            e->has_pos = true;
        }
    }
    hdx_article_free(a);
    free(text);
}

/* Name, description and order of the folder `path` from its files;
 * with `by_name`, the folder name names it when nothing else did. */
static void folder_meta(loader *l, const char *path, hdxi_browse_entry *e,
                        bool by_name)
{
    static const char *const files[] = {"helpdex.yaml",   "_category_.json",
                                        "_category_.yml", "_category_.yaml",
                                        "_index.md",      "index.md"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        hdx_buf rel;
        hdx_buf_init(&rel);
        hdx_buf_printf(&rel, "%s%s%s", path, *path ? "/" : "", files[i]);
        if (strstr(files[i], ".json"))
            folder_json(l, rel.data, e);
        else if (strstr(files[i], ".md"))
            folder_page(l, rel.data, e);
        else
            folder_yaml(l, rel.data, e);
        hdx_buf_clear(&rel);
    }
    if (!by_name)
        return;
    const char *base = strrchr(path, '/');
    char *dflt = hdx_browse_default_name(base ? base + 1 : path);
    hdxi_browse_set(&e->title, dflt);
    free(dflt);
}

/* ---- the rule ----------------------------------------------------------- */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Is `key` the category of a folder already? */
static bool key_placed(const hdx_browse *b, const char *key)
{
    for (size_t i = 0; i < b->n_places; i++)
        if (!b->places[i].sec && !strcmp(b->places[i].cat, key))
            return true;
    return false;
}

/* A category for folder `outer` (i: the folder it resolves to, past its
 * wrappers), its subfolders as sections.  The outer folder names it
 * (windows-hardware/drivers is "Windows Hardware"); two folders of one
 * name (in two groups) get "name" and "name-2". */
static void add_category(loader *l, size_t outer)
{
    size_t i = resolve(l, outer);
    char *slug = hdx_browse_key(NULL, base_name(l->f[outer].path));
    char *key = hdx_xstrdup(slug);
    for (int n = 2; key_placed(l->b, key); n++) {
        hdx_buf k;
        hdx_buf_init(&k);
        hdx_buf_printf(&k, "%s-%d", slug, n);
        free(key);
        key = hdx_buf_detach(&k);
        hdx_buf_clear(&k);
    }
    free(slug);
    hdxi_browse_entry *e =
        hdxi_browse_entry_get(l->b, HDX_BROWSE_CATEGORY, key);
    if (i != outer)
        folder_meta(l, l->f[i].path, e, false);
    folder_meta(l, l->f[outer].path, e, true);
    hdxi_browse_add_place(l->b, l->f[i].path, key, NULL);
    for (size_t k = 0; k < l->f[i].n_kids; k++) {
        size_t so = l->f[i].kids[k], s = resolve(l, so);
        char *sec = hdx_browse_key(key, base_name(l->f[so].path));
        hdxi_browse_entry *se =
            hdxi_browse_entry_get(l->b, HDX_BROWSE_SECTION, sec);
        if (s != so)
            folder_meta(l, l->f[s].path, se, false);
        folder_meta(l, l->f[so].path, se, true);
        hdxi_browse_add_place(l->b, l->f[l->f[i].kids[k]].path, key, sec);
        free(sec);
    }
    free(key);
}

/* A top folder that holds no article but deeper trees: a group. */
static bool is_group(const loader *l, size_t i)
{
    if (l->f[i].own)
        return false;
    for (size_t k = 0; k < l->f[i].n_kids; k++)
        if (l->f[resolve(l, l->f[i].kids[k])].n_kids)
            return true;
    return false;
}

/* The browse root below folder i: wrappers skipped, but never into a
 * folder that holds articles (that folder is a category, not the root). */
static size_t resolve_root(const loader *l, size_t i)
{
    while (l->f[i].own == 0 && l->f[i].n_kids == 1 &&
           l->f[l->f[i].kids[0]].own == 0)
        i = l->f[i].kids[0];
    return i;
}

static void derive(loader *l, const char *root)
{
    size_t top = folder_find(l, root ? root : "");
    if (top == l->n) {
        if (root)
            say(l, "helpdex.yaml", 0, false,
                "root: no articles below that folder; the corpus is the "
                "root");
        top = 0;
    }
    top = resolve_root(l, top);
    hdxi_browse_set(&hdxi_browse_entry_get(l->b, HDX_BROWSE_CATEGORY,
                                           HDX_BROWSE_DEFAULT_CATEGORY)
                         ->title,
                    "General");
    for (size_t k = 0; k < l->f[top].n_kids; k++) {
        size_t c = resolve(l, l->f[top].kids[k]);
        if (!is_group(l, c)) {
            add_category(l, l->f[top].kids[k]);
            continue;
        }
        for (size_t g = 0; g < l->f[c].n_kids; g++)
            add_category(l, l->f[c].kids[g]);
    }
    hdxi_browse_add_place(l->b, "", HDX_BROWSE_DEFAULT_CATEGORY, NULL);
}

hdx_browse *hdx_browse_build(const char *corpus, const char *const *paths,
                             size_t n, hdx_browse_diag_fn diag, void *ctx)
{
    loader l = {corpus, hdx_xcalloc(1, sizeof(hdx_browse)), NULL, 0, diag, ctx};
    char *root = load_writers_file(&l);
    collect_folders(&l, paths, n);
    load_mkdocs(&l);
    derive(&l, root && *root ? root : NULL);
    free(root);
    for (size_t i = 0; i < l.n; i++) {
        free(l.f[i].path);
        free(l.f[i].kids);
    }
    free(l.f);
    return l.b;
}

/*
 * frontmatter.c - YAML front matter → hdx_article fields, with libyaml.
 *
 * The document is loaded with yaml_parser_load(), which represents aliases
 * as shared node references rather than copies, and only top-level scalars
 * and one level of sequences are read: a YAML "billion laughs" therefore
 * costs nothing here.  Each helpdex field accepts the aliases that real docs
 * platforms use (Hugo, Jekyll, DocFX / Microsoft Learn, Docusaurus), listed
 * in the table below and in docs/article-format.md.
 *
 * Each known key goes to apply(): plain strings and lists are stored as
 * they are, audience/type/dates/draft flags are checked or converted by
 * their own apply_* function; unknown keys become notes for the lint.
 */
#include "internal.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

enum field {
    F_ID, F_TITLE, F_SUMMARY, F_TAGS, F_PRODUCT, F_AUDIENCE, F_STATUS,
    F_UPDATED, F_LOCALE, F_TYPE, F_RESOLVED, F_VERSIONS, F_FIXED_IN,
    F_ERROR_CODES, F_PROBLEM, F_KB, F_DRAFT, F_PUBLISHED, F_CATEGORY,
    F_SECTION, F_NAV_LABEL, F_POSITION, F_ALIASES, F_IGNORED
};

static const struct {
    const char *key;
    enum field field;
} field_table[] = {
    {"id", F_ID}, {"slug", F_ID}, {"uid", F_ID},
    {"title", F_TITLE},
    {"summary", F_SUMMARY}, {"description", F_SUMMARY},
    {"excerpt", F_SUMMARY}, {"abstract", F_SUMMARY},
    {"tags", F_TAGS}, {"keywords", F_TAGS}, {"categories", F_TAGS},
    {"label_names", F_TAGS},
    {"product", F_PRODUCT}, {"products", F_PRODUCT},
    {"ms.service", F_PRODUCT}, {"ms.prod", F_PRODUCT},
    {"audience", F_AUDIENCE}, {"visibility", F_AUDIENCE},
    {"status", F_STATUS},
    {"updated", F_UPDATED}, {"date", F_UPDATED}, {"lastmod", F_UPDATED},
    {"last_modified", F_UPDATED}, {"last_updated", F_UPDATED},
    {"modified", F_UPDATED}, {"ms.date", F_UPDATED},
    {"updated_at", F_UPDATED},
    {"locale", F_LOCALE}, {"lang", F_LOCALE}, {"language", F_LOCALE},
    {"type", F_TYPE},
    {"resolved", F_RESOLVED}, {"resolved_on", F_RESOLVED},
    {"versions", F_VERSIONS}, {"affected_versions", F_VERSIONS},
    {"fixed_in", F_FIXED_IN}, {"fixed_version", F_FIXED_IN},
    {"error_codes", F_ERROR_CODES}, {"errors", F_ERROR_CODES},
    {"problem", F_PROBLEM}, {"problem_id", F_PROBLEM},
    {"kb", F_KB}, {"related", F_KB},
    {"draft", F_DRAFT}, {"published", F_PUBLISHED},
    /* Browsing (docs/browsing.md): place, listing label, order, old URLs. */
    {"category", F_CATEGORY}, {"section", F_SECTION},
    {"sidebar_label", F_NAV_LABEL}, {"linktitle", F_NAV_LABEL},
    {"sidebar_position", F_POSITION}, {"weight", F_POSITION},
    {"nav_order", F_POSITION}, {"position", F_POSITION},
    {"aliases", F_ALIASES}, {"redirect_from", F_ALIASES},
    {"permalink", F_ALIASES}, {"html_url", F_ALIASES},
    /* Known, descriptive fields that helpdex keeps out of the index. */
    {"author", F_IGNORED}, {"authors", F_IGNORED}, {"owner", F_IGNORED},
    {"manager", F_IGNORED}, {"editor", F_IGNORED}, {"contributors", F_IGNORED},
    {"appliesto", F_IGNORED}, {"localization_priority", F_IGNORED},
    {"layout", F_IGNORED},
    {"thread", F_IGNORED}, {"source", F_IGNORED}, {"answer_rank", F_IGNORED},
    {"services", F_IGNORED}, {"documentationcenter", F_IGNORED},
    /* Docusaurus page options (rendering and navigation of its own site). */
    {"sidebar_class_name", F_IGNORED}, {"sidebar_custom_props", F_IGNORED},
    {"displayed_sidebar", F_IGNORED}, {"hide_title", F_IGNORED},
    {"hide_table_of_contents", F_IGNORED}, {"pagination_label", F_IGNORED},
    {"pagination_next", F_IGNORED}, {"pagination_prev", F_IGNORED},
    {"custom_edit_url", F_IGNORED}, {"parse_number_prefixes", F_IGNORED},
    {"toc_min_heading_level", F_IGNORED},
    {"toc_max_heading_level", F_IGNORED}, {"last_update", F_IGNORED},
    {"unlisted", F_IGNORED}, {"image", F_IGNORED},
    {"sidebar_key", F_IGNORED},
    /* Hugo page parameters. */
    {"menu", F_IGNORED}, {"url", F_IGNORED}, {"toc", F_IGNORED},
    {"series", F_IGNORED}, {"images", F_IGNORED}, {"resources", F_IGNORED},
    {"publishdate", F_IGNORED}, {"expirydate", F_IGNORED},
    {"headless", F_IGNORED}, {"outputs", F_IGNORED}, {"markup", F_IGNORED},
    {"cascade", F_IGNORED}, {"build", F_IGNORED},
    {"translationkey", F_IGNORED}, {"iscjklanguage", F_IGNORED},
    {"menus", F_IGNORED}, {"params", F_IGNORED},
    /* Jekyll (and its just-the-docs theme) page variables. */
    {"excerpt_separator", F_IGNORED}, {"redirect_to", F_IGNORED},
    {"sitemap", F_IGNORED}, {"parent", F_IGNORED},
    {"grand_parent", F_IGNORED}, {"has_children", F_IGNORED},
    {"nav_exclude", F_IGNORED},
    /* MkDocs (Material) page metadata. */
    {"template", F_IGNORED}, {"hide", F_IGNORED}, {"search", F_IGNORED},
    {"icon", F_IGNORED}, {"subtitle", F_IGNORED},
    /* DocFX / Microsoft Learn keys without a dot. */
    {"titlesuffix", F_IGNORED}, {"robots", F_IGNORED},
    {"zone_pivot_groups", F_IGNORED}, {"no-loc", F_IGNORED},
    {"recommendations", F_IGNORED}, {"feedback_system", F_IGNORED},
    /* Zendesk Help Center article export (its API's field names). */
    {"author_id", F_IGNORED},
    {"comments_disabled", F_IGNORED}, {"promoted", F_IGNORED},
    {"vote_sum", F_IGNORED}, {"vote_count", F_IGNORED},
    {"section_id", F_IGNORED}, {"created_at", F_IGNORED},
    {"edited_at", F_IGNORED}, {"source_locale", F_IGNORED},
    {"outdated", F_IGNORED}, {"outdated_locales", F_IGNORED},
    {"permission_group_id", F_IGNORED}, {"user_segment_id", F_IGNORED},
    {"content_tag_ids", F_IGNORED}, {"name", F_IGNORED},
};

#define N_FIELDS (sizeof field_table / sizeof field_table[0])

static bool field_lookup(const char *key, enum field *out)
{
    for (size_t i = 0; i < N_FIELDS; i++) {
        if (strcasecmp(field_table[i].key, key) == 0) {
            *out = field_table[i].field;
            return true;
        }
    }
    return false;
}

/* Closest canonical field name within two edits, for did-you-mean. */
static const char *suggest_field(const char *key)
{
    const char *best = NULL;
    int best_d = 3;
    for (size_t i = 0; i < N_FIELDS; i++) {
        int d = hdxi_edit_distance(key, field_table[i].key, 3);
        if (d < best_d) {
            best_d = d;
            best = field_table[i].key;
        }
    }
    return best;
}

static char *scalar_dup(yaml_node_t *n)
{
    const char *s = (const char *)n->data.scalar.value;
    size_t len = n->data.scalar.length;
    while (len && isspace((unsigned char)s[0])) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    return hdx_xstrndup(s, len);
}

/* Collect a scalar or a sequence of scalars (a comma list also splits). */
static void collect_list(yaml_document_t *doc, yaml_node_t *n, hdx_strlist *l,
                         bool split_commas)
{
    if (n->type == YAML_SCALAR_NODE) {
        char *s = scalar_dup(n);
        if (split_commas) {
            char *save = NULL;
            for (char *t = strtok_r(s, ",", &save); t;
                 t = strtok_r(NULL, ",", &save)) {
                while (isspace((unsigned char)*t))
                    t++;
                size_t len = strlen(t);
                while (len && isspace((unsigned char)t[len - 1]))
                    len--;
                if (len)
                    hdxi_strlist_push(l, t, len);
            }
        } else if (*s) {
            hdxi_strlist_push(l, s, strlen(s));
        }
        free(s);
        return;
    }
    if (n->type != YAML_SEQUENCE_NODE)
        return;
    for (yaml_node_item_t *it = n->data.sequence.items.start;
         it < n->data.sequence.items.top; it++) {
        yaml_node_t *c = yaml_document_get_node(doc, *it);
        if (c && c->type == YAML_SCALAR_NODE) {
            char *s = scalar_dup(c);
            if (*s)
                hdxi_strlist_push(l, s, strlen(s));
            free(s);
        }
    }
}

static bool truthy(const char *s)
{
    return !strcasecmp(s, "true") || !strcasecmp(s, "yes") ||
           !strcasecmp(s, "on") || !strcmp(s, "1");
}

/* Scalar value or the first item of a sequence; NULL for anything else. */
static char *first_scalar(yaml_document_t *doc, yaml_node_t *n)
{
    if (n->type == YAML_SCALAR_NODE)
        return scalar_dup(n);
    if (n->type == YAML_SEQUENCE_NODE &&
        n->data.sequence.items.start < n->data.sequence.items.top) {
        yaml_node_t *c =
            yaml_document_get_node(doc, *n->data.sequence.items.start);
        if (c && c->type == YAML_SCALAR_NODE)
            return scalar_dup(c);
    }
    return NULL;
}

static void set_str(char **dst, char *val)
{
    if (val && !*val) {
        free(val);
        val = NULL;
    }
    if (!val)
        return;
    free(*dst);
    *dst = val;
}

/*
 * audience: sets the access level.  A near-miss of a level name is a typo
 * that must not publish an internal note: it refuses the file.  Other
 * values are reader personas (Microsoft Learn's "ITPro", "Admin") and say
 * nothing about access: a warning, and the type's default applies.
 */
static hdx_status apply_audience(hdx_article *a, const char *v, int line,
                                 int col, hdx_error *err)
{
    int lvl = hdx_audience_parse(v);
    if (lvl >= 0) {
        a->audience = (hdx_audience)lvl;
        return HDX_OK;
    }
    for (int i = 0; i < HDX_AUD_COUNT; i++) {
        const char *name = hdx_audience_name((hdx_audience)i);
        if (hdxi_edit_distance(v, name, 3) <= 2)
            return hdxi_parse_fail(err, "frontmatter", "invalid-audience",
                                   line, col,
                                   "invalid audience '%s' (did you mean "
                                   "'%s'? expected public, agent or "
                                   "internal)",
                                   v, name);
    }
    hdxi_note(a, line, col, false, "audience-value",
              "audience '%s' is not an access level (public, agent, "
              "internal); the default audience of the type applies", v);
    return HDX_OK;
}

/* type: one of the vocabulary's names; anything else refuses the file,
 * since the type decides the default audience. */
static hdx_status apply_type(hdx_article *a, const char *v, int line, int col,
                             hdx_error *err)
{
    int t = hdx_doctype_parse(v);
    if (t < 0)
        return hdxi_parse_fail(err, "frontmatter", "invalid-type", line, col,
                               "invalid type '%s' (expected article, faq or "
                               "incident)",
                               v);
    a->type = (hdx_doctype)t;
    return HDX_OK;
}

/* updated: / resolved: are stored as YYYY-MM-DD; a date that cannot be read
 * is an error note, not a refusal. */
static void apply_date(hdx_article *a, char **dst, const char *v, int line,
                       int col)
{
    char d[11];
    if (hdx_date_normalize(v, d))
        set_str(dst, hdx_xstrdup(d));
    else
        hdxi_note(a, line, col, true, "invalid-date",
                  "invalid date '%s' (expected YYYY-MM-DD)", v);
}

/* sidebar_position / weight / nav_order: a number; anything else is a
 * warning and the article keeps no position. */
static void apply_position(hdx_article *a, const char *v, int line, int col)
{
    char *end;
    double d = strtod(v, &end);
    if (*v && !*end && d == d && d > -1e9 && d < 1e9) {
        a->position = d;
        a->has_position = true;
    } else if (*v) {
        hdxi_note(a, line, col, false, "invalid-position",
                  "position '%s' is not a number; the article is listed "
                  "by title",
                  v);
    }
}

/* The article string a plain text field goes to, or NULL. */
static char **string_slot(hdx_article *a, enum field f)
{
    switch (f) {
    case F_ID: return &a->id;
    case F_TITLE: return &a->title;
    case F_SUMMARY: return &a->summary;
    case F_PRODUCT: return &a->product;
    case F_LOCALE: return &a->locale;
    case F_FIXED_IN: return &a->fixed_in;
    case F_PROBLEM: return &a->problem;
    case F_STATUS: return &a->status; /* checked by article.c */
    case F_CATEGORY: return &a->category;
    case F_SECTION: return &a->section;
    case F_NAV_LABEL: return &a->nav_label;
    default: return NULL;
    }
}

/* The article list a list field goes to, or NULL. */
static hdx_strlist *list_slot(hdx_article *a, enum field f)
{
    switch (f) {
    case F_TAGS: return &a->tags;
    case F_VERSIONS: return &a->versions;
    case F_ERROR_CODES: return &a->error_codes;
    case F_KB: return &a->kb;
    case F_ALIASES: return &a->aliases;
    default: return NULL;
    }
}

/* The fields whose one value is checked or converted.  `v` may be "": a
 * bare "published:" still marks a draft. */
static hdx_status apply_value(hdx_article *a, enum field f, const char *v,
                              int line, int col, hdx_error *err)
{
    switch (f) {
    case F_AUDIENCE: return *v ? apply_audience(a, v, line, col, err) : HDX_OK;
    case F_TYPE: return *v ? apply_type(a, v, line, col, err) : HDX_OK;
    case F_UPDATED:
    case F_RESOLVED:
        if (*v)
            apply_date(a, f == F_UPDATED ? &a->updated : &a->resolved, v,
                       line, col);
        return HDX_OK;
    case F_DRAFT:
        if (truthy(v))
            a->draft = true;
        return HDX_OK;
    case F_PUBLISHED:
        if (!truthy(v))
            a->draft = true;
        return HDX_OK;
    case F_POSITION: apply_position(a, v, line, col); return HDX_OK;
    default: return HDX_OK;
    }
}

/* Store the value of known field `f` (key at line:col) in the article. */
static hdx_status apply(hdx_article *a, yaml_document_t *doc, enum field f,
                        yaml_node_t *val, int line, int col, hdx_error *err)
{
    char **str = string_slot(a, f);
    hdx_strlist *list = list_slot(a, f);
    if (str) {
        set_str(str, first_scalar(doc, val));
        if (f == F_STATUS)
            a->status_line = line;
        return HDX_OK;
    }
    if (list) {
        collect_list(doc, val, list, f != F_ALIASES);
        return HDX_OK;
    }
    if (f == F_IGNORED)
        return HDX_OK;
    char *v = first_scalar(doc, val);
    hdx_status st = v ? apply_value(a, f, v, line, col, err) : HDX_OK;
    free(v);
    return st;
}

/* A key helpdex does not know: kept in unknown_fields and reported by the
 * lint, with the closest known name if there is one.  Namespaced keys
 * (ms.topic, search.appverid) and x- keys belong to other tools. */
static void unknown_key(hdx_article *a, const char *key, int line, int col)
{
    if (strchr(key, '.') || strncasecmp(key, "x-", 2) == 0)
        return;
    hdxi_strlist_push(&a->unknown_fields, key, strlen(key));
    const char *sugg = suggest_field(key);
    if (sugg)
        hdxi_note(a, line, col, false, "unknown-field",
                  "unknown front-matter field '%s' (did you mean '%s'?)", key,
                  sugg);
    else
        hdxi_note(a, line, col, false, "unknown-field",
                  "unknown front-matter field '%s'", key);
}

/* Apply each "key: value" pair of the root mapping, in order, up to the
 * first that refuses the file.  Keys that are not scalars are skipped. */
static hdx_status apply_mapping(hdx_article *a, yaml_document_t *doc,
                                yaml_node_t *root, int first_line,
                                hdx_error *err)
{
    hdx_status st = HDX_OK;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top && st == HDX_OK; p++) {
        yaml_node_t *k = yaml_document_get_node(doc, p->key);
        yaml_node_t *v = yaml_document_get_node(doc, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            continue;
        const char *key = (const char *)k->data.scalar.value;
        int line = first_line + (int)k->start_mark.line;
        int col = (int)k->start_mark.column + 1;
        enum field f;
        if (field_lookup(key, &f))
            st = apply(a, doc, f, v, line, col, err);
        else
            unknown_key(a, key, line, col);
    }
    return st;
}

/* tags, keywords and categories all land in the tags: one tag per
 * normalised form ("Billing" and "billing" are one), the first spelling
 * kept, in order. */
static void dedupe_tags(hdx_strlist *tags)
{
    size_t kept = 0;
    char **keys = hdx_xcalloc(tags->n ? tags->n : 1, sizeof(char *));
    for (size_t i = 0; i < tags->n; i++) {
        char *k = hdx_text_normalized(tags->items[i]);
        bool dup = false;
        for (size_t j = 0; j < kept && !dup; j++)
            dup = !strcmp(keys[j], k);
        if (dup) {
            free(k);
            free(tags->items[i]);
            continue;
        }
        keys[kept] = k;
        tags->items[kept++] = tags->items[i];
    }
    for (size_t j = 0; j < kept; j++)
        free(keys[j]);
    free(keys);
    tags->n = kept;
}

/* Load the YAML text into `doc`.  On failure the parser is released (if it
 * started) and the error points at the construct the writer has to fix. */
static hdx_status load_yaml(yaml_parser_t *parser, yaml_document_t *doc,
                            const char *yaml, size_t len, int first_line,
                            hdx_error *err)
{
    if (!yaml_parser_initialize(parser)) {
        hdx_error_set(err, HDX_ENOMEM, "hdxi_frontmatter_parse",
                      "libyaml init failed");
        hdx_error_rule(err, "parse");
        return HDX_ENOMEM;
    }
    yaml_parser_set_input_string(parser, (const unsigned char *)yaml, len);
    if (yaml_parser_load(parser, doc))
        return HDX_OK;
    /* An unclosed bracket or quote is reported where the parser gave up;
     * the construct it was parsing starts at the context mark, which is
     * the line a writer has to fix. */
    yaml_mark_t m =
        parser->context ? parser->context_mark : parser->problem_mark;
    hdxi_parse_fail(err, "frontmatter", "yaml", first_line + (int)m.line,
                    (int)m.column + 1, "invalid YAML: %s%s%s",
                    parser->problem ? parser->problem : "syntax error",
                    parser->context ? " " : "",
                    parser->context ? parser->context : "");
    yaml_parser_delete(parser);
    return HDX_EPARSE;
}

hdx_status hdxi_frontmatter_parse(hdx_article *a, const char *yaml, size_t len,
                                  int first_line, hdx_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    hdx_status st = load_yaml(&parser, &doc, yaml, len, first_line, err);
    if (st != HDX_OK)
        return st;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) /* empty front matter is allowed */
        st = HDX_OK;
    else if (root->type != YAML_MAPPING_NODE)
        st = hdxi_parse_fail(err, "frontmatter", "yaml",
                             first_line + (int)root->start_mark.line,
                             (int)root->start_mark.column + 1,
                             "front matter must be a YAML mapping of "
                             "'field: value' lines");
    else
        st = apply_mapping(a, &doc, root, first_line, err);
    if (st == HDX_OK)
        dedupe_tags(&a->tags);
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return st;
}

/*
 * frontmatter.c - YAML front matter → hdx_article fields, with libyaml.
 *
 * The document is loaded with yaml_parser_load(), which represents aliases
 * as shared node references rather than copies, and only top-level scalars
 * and one level of sequences are read: a YAML "billion laughs" therefore
 * costs nothing here.  Each helpdex field accepts the aliases that real docs
 * platforms use (Hugo, Jekyll, DocFX / Microsoft Learn, Docusaurus), listed
 * in the table below and in docs/article-format.md.
 */
#include "internal.h"

#include "hdx/alloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

enum field {
    F_ID, F_TITLE, F_SUMMARY, F_TAGS, F_PRODUCT, F_AUDIENCE, F_STATUS,
    F_UPDATED, F_LOCALE, F_TYPE, F_RESOLVED, F_VERSIONS, F_FIXED_IN,
    F_ERROR_CODES, F_PROBLEM, F_KB, F_DRAFT, F_PUBLISHED, F_IGNORED
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
    {"product", F_PRODUCT}, {"products", F_PRODUCT},
    {"ms.service", F_PRODUCT}, {"ms.prod", F_PRODUCT},
    {"audience", F_AUDIENCE}, {"visibility", F_AUDIENCE},
    {"status", F_STATUS},
    {"updated", F_UPDATED}, {"date", F_UPDATED}, {"lastmod", F_UPDATED},
    {"last_modified", F_UPDATED}, {"last_updated", F_UPDATED},
    {"modified", F_UPDATED}, {"ms.date", F_UPDATED},
    {"locale", F_LOCALE}, {"lang", F_LOCALE}, {"language", F_LOCALE},
    {"type", F_TYPE},
    {"resolved", F_RESOLVED}, {"resolved_on", F_RESOLVED},
    {"versions", F_VERSIONS}, {"affected_versions", F_VERSIONS},
    {"fixed_in", F_FIXED_IN}, {"fixed_version", F_FIXED_IN},
    {"error_codes", F_ERROR_CODES}, {"errors", F_ERROR_CODES},
    {"problem", F_PROBLEM}, {"problem_id", F_PROBLEM},
    {"kb", F_KB}, {"related", F_KB},
    {"draft", F_DRAFT}, {"published", F_PUBLISHED},
    /* Known, descriptive fields that helpdex keeps out of the index. */
    {"author", F_IGNORED}, {"authors", F_IGNORED}, {"owner", F_IGNORED},
    {"manager", F_IGNORED}, {"editor", F_IGNORED}, {"contributors", F_IGNORED},
    {"appliesto", F_IGNORED}, {"localization_priority", F_IGNORED},
    {"weight", F_IGNORED}, {"layout", F_IGNORED}, {"aliases", F_IGNORED},
    {"thread", F_IGNORED}, {"source", F_IGNORED}, {"answer_rank", F_IGNORED},
    {"services", F_IGNORED}, {"documentationcenter", F_IGNORED},
};

#define N_FIELDS (sizeof field_table / sizeof field_table[0])

const char *const hdxi_known_fields_hint = "id, title, summary, tags, product, "
    "audience, status, updated, locale, type";

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

static void apply_audience(hdx_article *a, char *v, int line, int col,
                           bool *fatal, hdx_error *err)
{
    int lvl = hdx_audience_parse(v);
    if (lvl >= 0) {
        a->audience = (hdx_audience)lvl;
        return;
    }
    /* A near-miss of a level name is a typo that must not publish an
     * internal note: refuse the file.  Other values are reader personas
     * (Microsoft Learn's "ITPro", "Admin") and say nothing about access. */
    static const char *const levels[] = {"public", "agent", "internal"};
    for (int i = 0; i < 3; i++) {
        char low[64];
        snprintf(low, sizeof low, "%s", v);
        for (char *p = low; *p; p++)
            *p = (char)tolower((unsigned char)*p);
        if (hdxi_edit_distance(low, levels[i], 3) <= 2) {
            hdxi_parse_fail(err, "frontmatter", "invalid-audience", line, col,
                            "invalid audience '%s' (did you mean '%s'? "
                            "expected public, agent or internal)",
                            v, levels[i]);
            *fatal = true;
            return;
        }
    }
    hdxi_note(a, line, col, false, "audience-value",
              "audience '%s' is not an access level (public, agent, "
              "internal); the default audience of the type applies", v);
}

static void apply(hdx_article *a, yaml_document_t *doc, enum field f,
                  yaml_node_t *val, int line, int col, bool *fatal,
                  hdx_error *err)
{
    char *s = NULL;
    switch (f) {
    case F_ID: set_str(&a->id, first_scalar(doc, val)); break;
    case F_TITLE: set_str(&a->title, first_scalar(doc, val)); break;
    case F_SUMMARY: set_str(&a->summary, first_scalar(doc, val)); break;
    case F_PRODUCT: set_str(&a->product, first_scalar(doc, val)); break;
    case F_LOCALE: set_str(&a->locale, first_scalar(doc, val)); break;
    case F_FIXED_IN: set_str(&a->fixed_in, first_scalar(doc, val)); break;
    case F_PROBLEM: set_str(&a->problem, first_scalar(doc, val)); break;
    case F_TAGS: collect_list(doc, val, &a->tags, true); break;
    case F_VERSIONS: collect_list(doc, val, &a->versions, true); break;
    case F_ERROR_CODES: collect_list(doc, val, &a->error_codes, true); break;
    case F_KB: collect_list(doc, val, &a->kb, true); break;
    case F_AUDIENCE:
        s = first_scalar(doc, val);
        if (s && *s)
            apply_audience(a, s, line, col, fatal, err);
        break;
    case F_STATUS:
        set_str(&a->status, first_scalar(doc, val));
        a->status_line = line;
        break;
    case F_TYPE:
        s = first_scalar(doc, val);
        if (s && *s) {
            int t = hdx_doctype_parse(s);
            if (t < 0) {
                hdxi_parse_fail(err, "frontmatter", "invalid-type", line, col,
                                "invalid type '%s' (expected article, faq or "
                                "incident)", s);
                *fatal = true;
            } else {
                a->type = (hdx_doctype)t;
            }
        }
        break;
    case F_UPDATED:
    case F_RESOLVED: {
        s = first_scalar(doc, val);
        char d[11];
        if (s && *s) {
            if (hdx_date_normalize(s, d))
                set_str(f == F_UPDATED ? &a->updated : &a->resolved,
                        hdx_xstrdup(d));
            else
                hdxi_note(a, line, col, true, "invalid-date",
                          "invalid date '%s' (expected YYYY-MM-DD)", s);
        }
        break;
    }
    case F_DRAFT:
        s = first_scalar(doc, val);
        if (s && truthy(s))
            a->draft = true;
        break;
    case F_PUBLISHED:
        s = first_scalar(doc, val);
        if (s && !truthy(s))
            a->draft = true;
        break;
    case F_IGNORED: break;
    }
    free(s);
}

hdx_status hdxi_frontmatter_parse(hdx_article *a, const char *yaml, size_t len,
                                  int first_line, hdx_error *err)
{
    yaml_parser_t parser;
    yaml_document_t doc;
    if (!yaml_parser_initialize(&parser)) {
        hdx_error_set(err, HDX_ENOMEM, __func__, "libyaml init failed");
        hdx_error_rule(err, "parse");
        return HDX_ENOMEM;
    }
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
    if (!yaml_parser_load(&parser, &doc)) {
        /* An unclosed bracket or quote is reported where the parser gave
         * up; the construct it was parsing starts at the context mark,
         * which is the line a writer has to fix. */
        yaml_mark_t m =
            parser.context ? parser.context_mark : parser.problem_mark;
        hdxi_parse_fail(err, "frontmatter", "yaml", first_line + (int)m.line,
                        (int)m.column + 1, "invalid YAML: %s%s%s",
                        parser.problem ? parser.problem : "syntax error",
                        parser.context ? " " : "",
                        parser.context ? parser.context : "");
        yaml_parser_delete(&parser);
        return HDX_EPARSE;
    }
    hdx_status st = HDX_OK;
    yaml_node_t *root = yaml_document_get_root_node(&doc);
    if (!root) {
        /* Empty front matter is allowed. */
        goto done;
    }
    if (root->type != YAML_MAPPING_NODE) {
        st = hdxi_parse_fail(err, "frontmatter", "yaml",
                             first_line + (int)root->start_mark.line,
                             (int)root->start_mark.column + 1,
                             "front matter must be a YAML mapping of "
                             "'field: value' lines");
        goto done;
    }
    bool fatal = false;
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top && !fatal; p++) {
        yaml_node_t *k = yaml_document_get_node(&doc, p->key);
        yaml_node_t *v = yaml_document_get_node(&doc, p->value);
        if (!k || !v || k->type != YAML_SCALAR_NODE)
            continue;
        const char *key = (const char *)k->data.scalar.value;
        int line = first_line + (int)k->start_mark.line;
        int col = (int)k->start_mark.column + 1;
        enum field f;
        if (field_lookup(key, &f)) {
            apply(a, &doc, f, v, line, col, &fatal, err);
            continue;
        }
        /* Namespaced keys (ms.topic, search.appverid) and x- keys belong to
         * other tools; anything else is kept and reported by the lint. */
        if (strchr(key, '.') || strncasecmp(key, "x-", 2) == 0)
            continue;
        hdxi_strlist_push(&a->unknown_fields, key, strlen(key));
        const char *sugg = suggest_field(key);
        if (sugg)
            hdxi_note(a, line, col, false, "unknown-field",
                      "unknown front-matter field '%s' (did you mean '%s'?)",
                      key, sugg);
        else
            hdxi_note(a, line, col, false, "unknown-field",
                      "unknown front-matter field '%s'", key);
    }
    if (fatal)
        st = HDX_EPARSE;
done:
    yaml_document_delete(&doc);
    yaml_parser_delete(&parser);
    return st;
}

/*
 * conf_file.c - read helpdex.conf with libyaml (see conf_file.h).
 *
 * The document API (yaml_parser_load) gives every node its line, which
 * every message carries: an operator fixes a config by its file:line.
 */
#include "conf_file.h"

#include "hdx/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

static void add(conf_file *f, const char *name, const char *value, int line)
{
    f->entries = hdx_xrealloc(f->entries, (f->n + 1) * sizeof *f->entries);
    f->entries[f->n].name = hdx_xstrdup(name);
    f->entries[f->n].value = hdx_xstrdup(value);
    f->entries[f->n].line = line;
    f->n++;
}

static const char *scalar(yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

/* The line a key was first given on, or 0. */
static int seen_at(const conf_file *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->entries[i].name, name))
            return f->entries[i].line;
    return 0;
}

/* One `key: value` or `key: [values]` of the root mapping. */
static hdx_status add_pair(conf_file *f, yaml_document_t *doc,
                           yaml_node_t *k, yaml_node_t *v, hdx_error *err)
{
    int line = (int)k->start_mark.line + 1;
    if (k->type != YAML_SCALAR_NODE)
        return hdx_error_set(err, HDX_EPARSE, __func__,
                             "%s:%d: a key must be an option name",
                             f->path, line);
    const char *name = scalar(k);
    if (seen_at(f, name))
        return hdx_error_set(err, HDX_EPARSE, __func__,
                             "%s:%d: '%s' is given twice (first on line %d)",
                             f->path, line, name, seen_at(f, name));
    if (v->type == YAML_SCALAR_NODE) {
        add(f, name, scalar(v), (int)v->start_mark.line + 1);
        return HDX_OK;
    }
    if (v->type == YAML_SEQUENCE_NODE) {
        for (yaml_node_item_t *it = v->data.sequence.items.start;
             it < v->data.sequence.items.top; it++) {
            yaml_node_t *c = yaml_document_get_node(doc, *it);
            if (!c || c->type != YAML_SCALAR_NODE)
                return hdx_error_set(
                    err, HDX_EPARSE, __func__,
                    "%s:%d: '%s': a list item must be a plain value",
                    f->path, c ? (int)c->start_mark.line + 1 : line, name);
            add(f, name, scalar(c), (int)c->start_mark.line + 1);
        }
        return HDX_OK;
    }
    return hdx_error_set(err, HDX_EPARSE, __func__,
                         "%s:%d: '%s': expected a value or a list of values",
                         f->path, line, name);
}

static hdx_status walk(conf_file *f, yaml_document_t *doc, hdx_error *err)
{
    yaml_node_t *root = yaml_document_get_root_node(doc);
    if (!root) /* an empty file, or only comments */
        return HDX_OK;
    if (root->type != YAML_MAPPING_NODE)
        return hdx_error_set(err, HDX_EPARSE, __func__,
                             "%s:%d: expected 'option: value' lines",
                             f->path, (int)root->start_mark.line + 1);
    for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
         p < root->data.mapping.pairs.top; p++) {
        hdx_status st = add_pair(f, doc, yaml_document_get_node(doc, p->key),
                                 yaml_document_get_node(doc, p->value), err);
        if (st != HDX_OK)
            return st;
    }
    return HDX_OK;
}

hdx_status conf_file_load(const char *path, conf_file *out, hdx_error *err)
{
    memset(out, 0, sizeof *out);
    out->path = hdx_xstrdup(path);
    FILE *in = fopen(path, "rb");
    if (!in)
        return hdx_error_set(err, HDX_EIO, __func__, "%s: %s", path,
                             strerror(errno));
    yaml_parser_t parser;
    yaml_document_t doc;
    hdx_status st = HDX_OK;
    if (!yaml_parser_initialize(&parser)) {
        fclose(in);
        return hdx_error_set(err, HDX_ENOMEM, __func__, "%s: out of memory",
                             path);
    }
    yaml_parser_set_input_file(&parser, in);
    if (!yaml_parser_load(&parser, &doc)) {
        st = hdx_error_set(err, HDX_EPARSE, __func__, "%s:%d: %s", path,
                           (int)parser.problem_mark.line + 1,
                           parser.problem ? parser.problem : "bad YAML");
    } else {
        st = walk(out, &doc, err);
        yaml_document_delete(&doc);
    }
    yaml_parser_delete(&parser);
    fclose(in);
    return st;
}

void conf_file_clear(conf_file *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->entries[i].name);
        free(f->entries[i].value);
    }
    free(f->entries);
    free(f->path);
    memset(f, 0, sizeof *f);
}

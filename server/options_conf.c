/*
 * options_conf.c - helpdex.conf's entries as arguments (options_conf.h).
 */
#include "options_conf.h"

#include "conf_file.h"

#include "hdx/alloc.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct option *find(const struct option *table,
                                 const char *name)
{
    for (const struct option *o = table; o->name; o++)
        if (!strcmp(o->name, name))
            return o;
    return NULL;
}

static bool listed(const char *const *names, const char *name)
{
    for (; *names; names++)
        if (!strcmp(*names, name))
            return true;
    return false;
}

static void push(conf_args *c, char *arg, int line)
{
    c->args = hdx_xrealloc(c->args, (c->n + 1) * sizeof *c->args);
    c->lines = hdx_xrealloc(c->lines, (c->n + 1) * sizeof *c->lines);
    c->args[c->n] = arg;
    c->lines[c->n] = line;
    c->n++;
}

/* One entry as an argument (or none, for a flag set to false); false
 * with a message when it cannot be. */
static bool entry_arg(conf_args *c, const struct option *table,
                      const char *const *not_in_file, const conf_entry *e)
{
    const struct option *o = find(table, e->name);
    if (!o || listed(not_in_file, e->name)) {
        fprintf(stderr, "helpdex-serve: %s:%d: %s '%s'%s\n", c->path,
                e->line, o ? "a configuration file cannot set" :
                             "unknown option", e->name,
                o ? "" : " (the keys are helpdex-serve's long options, "
                         "see helpdex.conf(5))");
        return false;
    }
    if (o->has_arg == no_argument) {
        bool on = !strcmp(e->value, "true") || !strcmp(e->value, "yes");
        if (!on && strcmp(e->value, "false") && strcmp(e->value, "no")) {
            fprintf(stderr, "helpdex-serve: %s:%d: '%s': expected true or "
                            "false, got '%s'\n",
                    c->path, e->line, e->name, e->value);
            return false;
        }
        if (on) {
            char *arg = hdx_xmalloc(strlen(e->name) + 3);
            sprintf(arg, "--%s", e->name);
            push(c, arg, e->line);
        }
        return true;
    }
    char *arg = hdx_xmalloc(strlen(e->name) + strlen(e->value) + 4);
    sprintf(arg, "--%s=%s", e->name, e->value);
    push(c, arg, e->line);
    return true;
}

int conf_args_load(const char *path, const struct option *table,
                   const char *const *not_in_file, conf_args *out)
{
    memset(out, 0, sizeof *out);
    out->path = hdx_xstrdup(path);
    conf_file f;
    hdx_error err;
    if (conf_file_load(path, &f, &err) != HDX_OK) {
        fprintf(stderr, "helpdex-serve: %s\n", err.msg);
        conf_file_clear(&f);
        return 2;
    }
    int rc = 0;
    for (size_t i = 0; i < f.n && rc == 0; i++)
        if (!entry_arg(out, table, not_in_file, &f.entries[i]))
            rc = 2;
    conf_file_clear(&f);
    return rc;
}

void conf_args_clear(conf_args *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->args[i]);
    free(c->args);
    free(c->lines);
    free(c->path);
    memset(c, 0, sizeof *c);
}

/*
 * markup.c - cmark-gfm with GitHub's extensions, the one parser setup of
 * helpdex (see hdx/markup.h).  The platform pass is platform.c.
 */
#include "hdx/markup.h"

#include "hdx/alloc.h"
#include "hdx/buf.h"

#include <cmark-gfm-core-extensions.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* The extensions helpdex reads Markdown with; "tagfilter" is not needed,
 * as safe mode drops raw HTML altogether. */
static const char *const k_extensions[] = {"table", "strikethrough",
                                           "autolink", "tasklist"};

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static cmark_llist *g_ext_list; /* for the HTML renderer; never freed */

static void register_once(void)
{
    cmark_gfm_core_extensions_ensure_registered();
    cmark_mem *mem = cmark_get_default_mem_allocator();
    for (size_t i = 0; i < sizeof k_extensions / sizeof k_extensions[0]; i++) {
        cmark_syntax_extension *e = cmark_find_syntax_extension(k_extensions[i]);
        if (e)
            g_ext_list = cmark_llist_append(mem, g_ext_list, e);
    }
}

cmark_node *hdx_markup_parse(const char *body, size_t len,
                             hdx_markup_note_fn note, void *ctx)
{
    pthread_once(&g_once, register_once);
    char *prepared = hdx_markup_prepare(body, len, note, ctx);
    cmark_parser *p = cmark_parser_new(CMARK_OPT_DEFAULT);
    for (cmark_llist *l = g_ext_list; l; l = l->next)
        cmark_parser_attach_syntax_extension(p, l->data);
    cmark_parser_feed(p, prepared, strlen(prepared));
    cmark_node *doc = cmark_parser_finish(p);
    cmark_parser_free(p);
    free(prepared);
    if (!doc)
        doc = cmark_node_new(CMARK_NODE_DOCUMENT);
    cmark_consolidate_text_nodes(doc);
    return doc;
}

char *hdx_markup_html(cmark_node *node)
{
    pthread_once(&g_once, register_once);
    return cmark_render_html(node, CMARK_OPT_DEFAULT, g_ext_list);
}

bool hdx_markup_is(cmark_node *node, const char *name)
{
    if (!node || !cmark_node_get_syntax_extension(node))
        return false;
    const char *t = cmark_node_get_type_string(node);
    return t && !strcmp(t, name);
}

size_t hdx_markup_alert(const char *s, char kind[16])
{
    if (s[0] != '[' || s[1] != '!')
        return 0;
    size_t n = 0;
    while (n < 15 && isalpha((unsigned char)s[2 + n])) {
        kind[n] = (char)tolower((unsigned char)s[2 + n]);
        n++;
    }
    if (n == 0 || s[2 + n] != ']')
        return 0;
    kind[n] = '\0';
    return n + 3;
}

char *hdx_markup_resolve(const char *from, const char *target)
{
    hdx_buf path;
    hdx_buf_init(&path);
    const char *slash = strrchr(from, '/');
    if (target[0] != '/' && slash) {
        hdx_buf_add(&path, from, (size_t)(slash - from));
        hdx_buf_addc(&path, '/');
    }
    hdx_buf_adds(&path, target);
    hdx_buf out;
    hdx_buf_init(&out);
    bool escaped = false;
    char *save = NULL;
    for (char *t = strtok_r(path.data, "/", &save); t && !escaped;
         t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, "."))
            continue;
        if (strcmp(t, "..") != 0) {
            if (out.len)
                hdx_buf_addc(&out, '/');
            hdx_buf_adds(&out, t);
            continue;
        }
        char *up = strrchr(out.data, '/'); /* drop the last segment */
        escaped = out.len == 0;
        out.len = up ? (size_t)(up - out.data) : 0;
        out.data[out.len] = '\0';
    }
    hdx_buf_clear(&path);
    if (escaped || !out.len) {
        hdx_buf_clear(&out);
        return NULL;
    }
    char *r = hdx_buf_detach(&out);
    hdx_buf_clear(&out);
    return r;
}

/*
 * meili_filter.c - Meilisearch's filter grammar translated into helpdex's
 * typed filter (see meili.h and docs/meilisearch.md).
 *
 * A tokenizer and a recursive-descent parser build a small tree:
 *
 *   expr  := and ("OR" and)*
 *   and   := not ("AND" not)*
 *   not   := "NOT" not | "(" expr ")" | cond
 *   cond  := attr op value | attr ["NOT"] "IN" "[" value ("," value)* "]"
 *          | attr value "TO" value            (op: = != > >= < <=)
 *
 * which is then laid onto hdx_filter: an AND of clauses, each about one
 * attribute (an OR of equalities on one attribute is one clause, since a
 * group of hdx_filter matches any of its values).  What hdx_filter cannot
 * say - OR across attributes, NOT on anything but `type`, two AND-ed tag
 * clauses - is refused with invalid_search_filter, never approximated.
 * The filter only narrows; the visibility filter is the library's.
 */
#include "meili.h"

#include "hdx/alloc.h"
#include "hdx/text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum { OP_EQ, OP_NE, OP_GT, OP_GE, OP_LT, OP_LE, OP_IN, OP_TO };
typedef enum { N_CMP, N_AND, N_OR, N_NOT } nkind;

typedef struct node {
    nkind kind;
    int op;
    char *attr;
    char **vals;
    size_t n;
    struct node *a, *b;
} node;

typedef enum { T_END, T_WORD, T_STR, T_OP, T_LBR, T_RBR, T_COMMA, T_LP,
               T_RP, T_BAD } tkind;

typedef struct parser {
    const char *s;
    size_t pos;      /* after the current token */
    tkind t;         /* current token */
    char *text;      /* its text (owned) for words and strings */
    size_t at;       /* where it starts */
    meili_err *e;
    bool failed;
    unsigned depth, conds; /* bounded: the tree is walked recursively */
} parser;

#define MAX_DEPTH 32u
#define MAX_CONDS 256u

static void node_free(node *n)
{
    if (!n)
        return;
    free(n->attr);
    for (size_t i = 0; i < n->n; i++)
        free(n->vals[i]);
    free(n->vals);
    node_free(n->a);
    node_free(n->b);
    free(n);
}

/* Fail with `what` at the current token. */
static bool fail(parser *p, const char *what)
{
    if (!p->failed)
        meili_err_set(p->e, 400, "invalid_search_filter",
                      "%s at `%.60s` (position %d)", what, p->s + p->at,
                      (int)p->at + 1);
    p->failed = true;
    return false;
}

/* A quoted string from s[pos] (the quote); false when unterminated. */
static bool lex_string(parser *p, size_t pos)
{
    char quote = p->s[pos++];
    hdx_buf b;
    hdx_buf_init(&b);
    while (p->s[pos] && p->s[pos] != quote) {
        if (p->s[pos] == '\\' && p->s[pos + 1])
            pos++;
        hdx_buf_addc(&b, p->s[pos++]);
    }
    if (!p->s[pos]) {
        hdx_buf_clear(&b);
        return fail(p, "unterminated string");
    }
    p->text = hdx_xstrdup(b.len ? b.data : "");
    hdx_buf_clear(&b);
    p->pos = pos + 1;
    p->t = T_STR;
    return true;
}

static const char k_word_stop[] = " \t\r\n=!<>[](),'\"";

/* Move to the next token. */
static void next(parser *p)
{
    free(p->text);
    p->text = NULL;
    size_t pos = p->pos;
    while (isspace((unsigned char)p->s[pos]))
        pos++;
    p->at = pos;
    char c = p->s[pos];
    static const char singles[] = "[],()";
    static const tkind skinds[] = {T_LBR, T_RBR, T_COMMA, T_LP, T_RP};
    const char *single = c ? strchr(singles, c) : NULL;
    if (!c) {
        p->t = T_END;
    } else if (single) {
        p->t = skinds[single - singles];
        pos++;
    } else if (c == '\'' || c == '"') {
        if (!lex_string(p, pos))
            p->t = T_BAD;
        return;
    } else if (strchr("=!<>", c)) {
        size_t n = (p->s[pos + 1] == '=' && c != '=') ? 2 : 1;
        if (c == '!' && n == 1) {
            p->t = T_BAD;
            fail(p, "expected `!=`");
            return;
        }
        p->text = hdx_xstrndup(p->s + pos, n);
        p->t = T_OP;
        pos += n;
    } else {
        size_t n = strcspn(p->s + pos, k_word_stop);
        p->text = hdx_xstrndup(p->s + pos, n);
        p->t = T_WORD;
        pos += n;
    }
    p->pos = pos;
}

static bool is_kw(const parser *p, const char *kw)
{
    return p->t == T_WORD && !strcasecmp(p->text, kw);
}

static bool is_value(const parser *p)
{
    return (p->t == T_WORD && !is_kw(p, "AND") && !is_kw(p, "OR") &&
            !is_kw(p, "NOT") && !is_kw(p, "TO") && !is_kw(p, "IN")) ||
           p->t == T_STR;
}

static void add_val(node *n, parser *p)
{
    n->vals = hdx_xrealloc(n->vals, (n->n + 1) * sizeof *n->vals);
    n->vals[n->n++] = p->text;
    p->text = NULL;
    next(p);
}

static node *mk(nkind k, node *a, node *b)
{
    node *n = hdx_xcalloc(1, sizeof *n);
    n->kind = k;
    n->a = a;
    n->b = b;
    return n;
}

/* "[" value ("," value)* "]" into n. */
static bool parse_list(parser *p, node *n)
{
    if (p->t != T_LBR)
        return fail(p, "expected `[` after `IN`");
    next(p);
    while (is_value(p)) {
        add_val(n, p);
        if (p->t != T_COMMA)
            break;
        next(p);
    }
    if (p->t != T_RBR)
        return fail(p, "expected a value or `]`");
    next(p);
    return true;
}

static const char *const k_ops[] = {"=", "!=", ">", ">=", "<", "<="};

/* The condition after its attribute (already in n). */
static bool parse_cond_rest(parser *p, node *n)
{
    if (p->t == T_OP) {
        for (int k = 0; k < 6; k++)
            if (!strcmp(p->text, k_ops[k]))
                n->op = k;
        next(p);
        if (!is_value(p))
            return fail(p, "expected a value");
        add_val(n, p);
        return true;
    }
    if (is_kw(p, "IN") || is_kw(p, "NOT")) {
        bool neg = is_kw(p, "NOT");
        if (neg && (next(p), !is_kw(p, "IN")))
            return fail(p, "expected `IN` after `NOT`");
        next(p);
        n->op = neg ? OP_NE : OP_IN; /* NOT IN: none of the values */
        return parse_list(p, n);
    }
    if (is_kw(p, "EXISTS") || is_kw(p, "IS"))
        return fail(p, "helpdex does not support `EXISTS`, `IS NULL` or "
                       "`IS EMPTY`");
    if (is_value(p)) {
        add_val(n, p);
        if (!is_kw(p, "TO"))
            return fail(p, "expected `TO`");
        next(p);
        if (!is_value(p))
            return fail(p, "expected a value after `TO`");
        add_val(n, p);
        n->op = OP_TO;
        return true;
    }
    return fail(p, "was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, "
                   "`<`, `IN`, `NOT IN` or `TO`");
}

static node *parse_or(parser *p);

static node *parse_not(parser *p)
{
    bool nest = is_kw(p, "NOT") || p->t == T_LP;
    if (nest && p->depth >= MAX_DEPTH) {
        fail(p, "the filter nests too deeply");
        return NULL;
    }
    if (is_kw(p, "NOT")) {
        next(p);
        p->depth++;
        node *c = parse_not(p);
        p->depth--;
        return c ? mk(N_NOT, c, NULL) : NULL;
    }
    if (p->t == T_LP) {
        next(p);
        p->depth++;
        node *e = parse_or(p);
        p->depth--;
        if (e && p->t != T_RP) {
            fail(p, "expected `)`");
            node_free(e);
            return NULL;
        }
        next(p);
        return e;
    }
    if (++p->conds > MAX_CONDS) {
        fail(p, "the filter has too many conditions");
        return NULL;
    }
    if (!is_value(p)) {
        fail(p, "was expecting an attribute");
        return NULL;
    }
    node *n = mk(N_CMP, NULL, NULL);
    n->attr = p->text;
    p->text = NULL;
    next(p);
    if (!parse_cond_rest(p, n)) {
        node_free(n);
        return NULL;
    }
    return n;
}

/* and ("AND" and)* or the same for OR, by `kw`. */
static node *parse_chain(parser *p, const char *kw, nkind k,
                         node *(*sub)(parser *))
{
    node *left = sub(p);
    while (left && is_kw(p, kw)) {
        next(p);
        node *right = sub(p);
        if (!right) {
            node_free(left);
            return NULL;
        }
        left = mk(k, left, right);
    }
    return left;
}

static node *parse_and(parser *p)
{
    return parse_chain(p, "AND", N_AND, parse_not);
}

static node *parse_or(parser *p)
{
    return parse_chain(p, "OR", N_OR, parse_and);
}

/* ---- onto hdx_filter ------------------------------------------------ */

typedef enum { A_PRODUCT, A_TAGS, A_TYPE, A_UPDATED, A_CATEGORY } fattr;
static const char *const k_fattrs[] = {"product", "tags", "type", "updated",
                                       "category"};

static int fattr_parse(const char *name, meili_err *e)
{
    for (int k = 0; k < 5; k++)
        if (!strcmp(name, k_fattrs[k]))
            return k;
    if (!strcmp(name, "tag"))
        return A_TAGS;
    meili_err_set(e, 400, "invalid_search_filter",
                  "Attribute `%s` is not filterable. Available filterable "
                  "attributes are: `category, product, tags, type, updated`.",
                  name);
    return -1;
}

/* One clause: an OR of (NOT) equalities on one attribute. */
typedef struct clause {
    int attr;
    bool neg;
    char **vals; /* borrowed from the tree */
    size_t n;
} clause;

static bool clause_of(const node *n, clause *c, meili_err *e)
{
    if (n->kind == N_NOT) {
        if (!clause_of(n->a, c, e))
            return false;
        c->neg = !c->neg;
        return true;
    }
    if (n->kind == N_OR) {
        clause l = {0}, r = {0};
        bool ok = clause_of(n->a, &l, e) && clause_of(n->b, &r, e);
        if (ok && (l.attr != r.attr || l.neg || r.neg)) {
            meili_err_set(e, 400, "invalid_search_filter",
                          "helpdex joins `OR` only between equalities on one "
                          "attribute (`%s` OR `%s`)", k_fattrs[l.attr],
                          k_fattrs[r.attr]);
            ok = false;
        }
        if (ok) {
            *c = l;
            c->vals = hdx_xrealloc(c->vals, (l.n + r.n) * sizeof *c->vals);
            memcpy(c->vals + l.n, r.vals, r.n * sizeof *r.vals);
            c->n = l.n + r.n;
        } else {
            free(l.vals);
        }
        free(r.vals);
        return ok;
    }
    if (n->kind == N_AND) {
        meili_err_set(e, 400, "invalid_search_filter",
                      "helpdex cannot put `AND` inside `OR` or `NOT`");
        return false;
    }
    if ((c->attr = fattr_parse(n->attr, e)) < 0)
        return false;
    if (n->op != OP_EQ && n->op != OP_NE && n->op != OP_IN) {
        meili_err_set(e, 400, "invalid_search_filter",
                      "a range on `%s` cannot be inside `OR` or `NOT`",
                      n->attr);
        return false;
    }
    c->neg = n->op == OP_NE;
    c->vals = hdx_xcalloc(n->n ? n->n : 1, sizeof *c->vals);
    memcpy(c->vals, n->vals, n->n * sizeof *n->vals);
    c->n = n->n;
    return true;
}

/* Narrow the updated range by a comparison or a TO range. */
static bool apply_range(const node *n, meili_filter *f, meili_err *e)
{
    if (fattr_parse(n->attr, e) != A_UPDATED) {
        if (e->status == 0)
            meili_err_set(e, 400, "invalid_search_filter",
                          "helpdex compares only `updated` with `%s`",
                          n->op == OP_TO ? "TO" : k_ops[n->op]);
        return false;
    }
    char lo[11] = "", hi[11] = "";
    if (!meili_date_of(n->vals[0], n->op == OP_LT || n->op == OP_LE ? hi : lo, e))
        return false;
    if (n->op == OP_TO && !meili_date_of(n->vals[1], hi, e))
        return false;
    if (n->op == OP_GT)
        meili_day_step(lo, +1);
    if (n->op == OP_LT)
        meili_day_step(hi, -1);
    if (*lo && (!*f->from || strcmp(lo, f->from) > 0))
        memcpy(f->from, lo, 11);
    if (*hi && (!*f->to || strcmp(hi, f->to) < 0))
        memcpy(f->to, hi, 11);
    if (*f->from && *f->to && strcmp(f->from, f->to) > 0)
        f->none = true;
    return true;
}

static bool apply_types(const clause *c, meili_filter *f, meili_err *e)
{
    unsigned mask = 0;
    for (size_t i = 0; i < c->n; i++) {
        char *nv = hdx_text_normalized(c->vals[i]);
        int t = hdx_doctype_parse(nv);
        free(nv);
        if (t < 0) {
            meili_err_set(e, 400, "invalid_search_filter",
                          "`type` is article, faq or incident, not `%s`",
                          c->vals[i]);
            return false;
        }
        mask |= HDX_TYPE_BIT(t);
    }
    unsigned all = HDX_TYPE_BIT(HDX_TYPE_COUNT) - 1u;
    if (c->neg)
        mask = ~mask & all;
    unsigned now = f->af.f.types ? f->af.f.types : all;
    f->af.f.types = now & mask;
    f->none |= f->af.f.types == 0;
    return true;
}

/* The values of products already set that are also in c (one product a
 * document: two product clauses intersect). */
static void intersect_products(const clause *c, meili_filter *f)
{
    size_t k = 0;
    for (size_t i = 0; i < f->af.f.n_products; i++) {
        bool in = false;
        for (size_t j = 0; j < c->n; j++)
            in |= !strcasecmp(f->af.products[i], c->vals[j]);
        if (in)
            f->af.products[k++] = f->af.products[i];
        else
            free(f->af.products[i]);
    }
    f->af.f.n_products = k;
    f->none |= k == 0;
}

static bool apply_clause(const clause *c, meili_filter *f, meili_err *e)
{
    if (c->attr == A_TYPE)
        return apply_types(c, f, e);
    if (c->neg || c->attr == A_UPDATED) {
        meili_err_set(e, 400, "invalid_search_filter", c->neg ?
                      "helpdex supports `!=`, `NOT` and `NOT IN` on `type` "
                      "only, not on `%s`" : "`%s` takes `=`, `>`, `>=`, "
                      "`<`, `<=` and `TO`, outside `OR` and `NOT`", k_fattrs[c->attr]);
        return false;
    }
    if (c->attr == A_PRODUCT && f->af.f.n_products) {
        intersect_products(c, f);
        return true;
    }
    bool again = (c->attr == A_TAGS && f->af.f.n_tags) ||
                 (c->attr == A_CATEGORY && f->category);
    if (again || (c->attr == A_CATEGORY && c->n > 1)) {
        meili_err_set(e, 400, "invalid_search_filter",
                      "helpdex takes one `%s` condition (use `%s IN [...]` "
                      "for any of several)", k_fattrs[c->attr],
                      k_fattrs[c->attr]);
        return false;
    }
    for (size_t i = 0; i < c->n; i++) {
        if (c->attr == A_PRODUCT)
            api_filter_products(&f->af, c->vals[i]);
        else if (c->attr == A_TAGS)
            api_filter_tags(&f->af, c->vals[i]);
        else
            f->category = hdx_xstrdup(c->vals[i]);
    }
    return true;
}

static bool apply(const node *n, meili_filter *f, meili_err *e)
{
    if (n->kind == N_AND)
        return apply(n->a, f, e) && apply(n->b, f, e);
    if (n->kind == N_CMP && n->op != OP_EQ && n->op != OP_NE &&
        n->op != OP_IN)
        return apply_range(n, f, e);
    if (n->kind == N_CMP && n->op == OP_EQ && !strcmp(n->attr, "updated")) {
        node r = *n;
        r.op = OP_TO;
        char **two = (char *[]){n->vals[0], n->vals[0]};
        r.vals = two;
        return apply_range(&r, f, e);
    }
    clause c = {0};
    bool ok = clause_of(n, &c, e) && apply_clause(&c, f, e);
    free(c.vals);
    return ok;
}

bool meili_filter_parse_str(const char *s, meili_filter *out, meili_err *e)
{
    parser p = {.s = s, .e = e};
    e->status = 0;
    next(&p);
    if (p.t == T_END)
        return true;
    node *tree = p.failed ? NULL : parse_or(&p);
    if (tree && p.t != T_END)
        fail(&p, "unexpected token");
    bool ok = tree && !p.failed && apply(tree, out, e);
    free(p.text);
    node_free(tree);
    return ok;
}

static bool bad_shape(meili_err *e)
{
    meili_err_set(e, 400, "invalid_search_filter", "Invalid syntax for the "
                  "filter parameter: expected String, Array(String) or "
                  "Array(Array(String)).");
    return false;
}

/* The array form as one expression: outer AND, inner OR. */
static bool array_expr(const json_t *f, hdx_buf *b, bool inner, meili_err *e)
{
    size_t i;
    json_t *v;
    json_array_foreach(f, i, v) {
        hdx_buf_adds(b, i ? (inner ? " OR " : " AND ") : "");
        hdx_buf_addc(b, '(');
        if (json_is_string(v))
            hdx_buf_adds(b, json_string_value(v));
        else if (!inner && json_is_array(v) && json_array_size(v))
            array_expr(v, b, true, e);
        else
            return bad_shape(e);
        hdx_buf_addc(b, ')');
    }
    return true;
}

bool meili_filter_parse(const json_t *f, meili_filter *out, meili_err *e)
{
    if (!f || json_is_null(f))
        return true;
    if (json_is_string(f))
        return meili_filter_parse_str(json_string_value(f), out, e);
    hdx_buf b;
    hdx_buf_init(&b);
    bool ok = json_is_array(f) ? array_expr(f, &b, false, e) : bad_shape(e);
    if (ok)
        ok = meili_filter_parse_str(b.len ? b.data : "", out, e);
    hdx_buf_clear(&b);
    return ok;
}

void meili_filter_clear(meili_filter *f)
{
    api_filter_clear(&f->af);
    free(f->category);
    f->category = NULL;
}

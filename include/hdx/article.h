/*
 * article.h - the parsed form of one KB article or incident note.
 *
 * An hdx_article is plain data: every pointer in it is owned by the article
 * and released by hdx_article_free().  It is produced by hdx_article_parse()
 * (front matter via libyaml, body via cmark) and consumed by the indexer and
 * by the lint.  Strings are UTF-8; absent optional fields are NULL.
 */
#ifndef HDX_ARTICLE_H
#define HDX_ARTICLE_H

#include <stdbool.h>
#include <stddef.h>

#include "hdx/hdx.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum hdx_audience {
    HDX_AUD_PUBLIC = 0,
    HDX_AUD_AGENT = 1,
    HDX_AUD_INTERNAL = 2,
    HDX_AUD_COUNT
} hdx_audience;

typedef enum hdx_doctype {
    HDX_TYPE_ARTICLE = 0,
    HDX_TYPE_FAQ,
    HDX_TYPE_INCIDENT,
    HDX_TYPE_COUNT
} hdx_doctype;

/* Incident section roles, found by heading text. */
typedef enum hdx_section_kind {
    HDX_SEC_OTHER = 0,
    HDX_SEC_SYMPTOMS,
    HDX_SEC_CAUSE,
    HDX_SEC_RESOLUTION,
    HDX_SEC_WORKAROUND,
    HDX_SEC_LINKS, /* "Related articles", "See also", "Next steps": a list of
                      other pages, not content (neither indexed nor a
                      snippet; shown on the page) */
    HDX_SEC_KIND_COUNT
} hdx_section_kind;

typedef struct hdx_strlist {
    char **items;
    size_t n;
} hdx_strlist;

/* A located diagnostic found while parsing (kept for the lint). */
typedef struct hdx_note {
    int line;
    int column;
    bool is_error; /* false: warning */
    char *rule;    /* short rule name, e.g. "unknown-field" */
    char *msg;
} hdx_note;

/* A link or image target found in the body. */
typedef struct hdx_ref {
    char *target;
    int line;
    bool is_image;
} hdx_ref;

/*
 * A section runs from a heading to the next heading of the same or a higher
 * level.  Section 0 is the text before the first heading (level 0).
 */
typedef struct hdx_section {
    char *heading;        /* heading text without markers; "" for section 0 */
    char *anchor;         /* URL fragment: explicit {#id} or a slug */
    int level;            /* 0..6 */
    hdx_audience audience;/* own marker, or inherited from the parent */
    hdx_section_kind kind;
    char *text;           /* plain text of the section body */
    char *code;           /* text of code blocks and inline code */
    int first_line;       /* 1-based line of the heading in the file */
    int last_line;        /* last line that belongs to the section */
} hdx_section;

typedef struct hdx_article {
    char *path;      /* relative to the corpus root, '/'-separated */
    char *id;
    char *title;
    char *summary;
    char *product;
    char *locale;    /* e.g. "en" */
    char *status;    /* published|draft for articles; resolved|open|workaround */
    char *updated;   /* YYYY-MM-DD or NULL */
    char *resolved;  /* incidents: YYYY-MM-DD or NULL */
    char *fixed_in;
    char *problem;
    hdx_doctype type;
    hdx_audience audience;
    bool draft;
    hdx_strlist tags, versions, error_codes, kb;
    hdx_strlist unknown_fields;   /* names of front-matter keys not understood */
    /* Browsing (docs/browsing.md).  category/section: the front matter's
     * names as written (NULL: the folders decide); nav_label: a short
     * title for listings (sidebar_label, linkTitle); position: the
     * writers' order (sidebar_position, weight, nav_order) when
     * has_position; aliases: old URLs (aliases, redirect_from, permalink,
     * html_url) as written.  category_key/section_key: the place chosen
     * by hdx_browse_place() (NULL until then, and for no place). */
    char *category, *section, *nav_label;
    double position;
    bool has_position;
    hdx_strlist aliases;
    char *category_key, *section_key;
    hdx_section *sections;
    size_t n_sections;
    hdx_ref *refs;
    size_t n_refs;
    hdx_note *notes;
    size_t n_notes;
    int status_line;     /* file line of the status: key, 0 if absent */
    char *body;          /* the Markdown body (after front matter) */
    int body_first_line; /* line number of body's first line in the file */
    bool title_from_h1;
} hdx_article;

/* Default maximum article size in bytes. */
#define HDX_ARTICLE_MAX_BYTES (4u * 1024u * 1024u)

/*
 * Headings per document that open a section.  A later heading opens none:
 * its text (without its attribute group) becomes a line of the last
 * section's text, the last section's audience rises to the highest
 * audience= marker among those headings (so nothing can leak through the
 * cap), and the first such heading gets a "too-many-headings" warning
 * note.  An invalid marker still refuses the file.
 */
#define HDX_MAX_HEADINGS 1000

/*
 * Parse a whole file's bytes.  `path` is stored (copied) as the article's
 * path and used to derive the default id.  On success *out is a new article
 * the caller frees with hdx_article_free(); non-fatal problems are recorded
 * in (*out)->notes.  Fatal problems give HDX_EPARSE and *out == NULL, with
 * err->line/column set (column 0 for "too-large") and err->rule naming the
 * lint rule of the failure:
 *
 *   too-large         over HDX_ARTICLE_MAX_BYTES
 *   binary-file       a NUL byte
 *   invalid-utf8      not valid UTF-8 (position of the first bad byte)
 *   empty-file        nothing but blanks (after a byte-order mark)
 *   yaml              no closing '---', invalid YAML, or not a mapping
 *   invalid-audience  a near-miss of an audience level, in the front
 *                     matter or in a heading's {audience=...}
 *   invalid-type      a type: that is not article, faq or incident
 *   invalid-status    a status: the type does not allow
 *   missing-title     no title: and no '# Heading'
 *
 * HDX_ENOMEM (rule "parse") if libyaml cannot start.  Thread-safe: it
 * touches no shared state.
 */
hdx_status hdx_article_parse(const char *path, const char *data, size_t len,
                             hdx_article **out, hdx_error *err);

/*
 * The clean form of an id written in front matter (`id`, `slug`, `uid`):
 * no leading or trailing '/', no empty, "." or ".." segments, so
 * "/sharing/guests/" is "sharing/guests" and its URL /a/sharing/guests.
 * Caller frees; "" when nothing is left.  Thread-safe.
 */
char *hdx_article_clean_id(const char *id);

/* Free `a` and everything it owns; NULL is a no-op. */
void hdx_article_free(hdx_article *a);

/*
 * The Markdown of the sections visible at `level` (sections of a higher
 * audience are cut out, lines intact).  Caller frees.
 */
char *hdx_article_visible_markdown(const hdx_article *a, hdx_audience level);

/* Lowest audience level whose visible section set differs from level-1's;
 * i.e. true if some section is restricted above `level`. */
bool hdx_article_has_sections_above(const hdx_article *a, hdx_audience level);

/*
 * Vocabularies.  The *_name functions return a static string and map
 * out-of-range values to "internal", "article" and "other"; the *_parse
 * functions are case-insensitive and return -1 for an unknown name
 * (hdx_doctype_parse also takes "kb", "howto" and "troubleshooting" as
 * HDX_TYPE_ARTICLE).  All are thread-safe.
 */
const char *hdx_audience_name(hdx_audience a);
int hdx_audience_parse(const char *s);
const char *hdx_doctype_name(hdx_doctype t);
int hdx_doctype_parse(const char *s);
const char *hdx_section_kind_name(hdx_section_kind k);

/*
 * Dates.  Normalise a date string (YYYY-MM-DD[...], YYYY/MM/DD, MM/DD/YYYY)
 * into out[11] as YYYY-MM-DD.  Returns false (and leaves `out` alone) if it
 * is not a valid date from 1970 to 2999.  Thread-safe.
 */
bool hdx_date_normalize(const char *s, char out[11]);

/*
 * Slugs.  Derive a slug from text: normalised (lower-case, marks stripped)
 * letters, digits, '_' and non-ASCII characters, with one '-' for each run
 * of anything else and none at either end.  Caller frees.  Thread-safe.
 */
char *hdx_slugify(const char *s);

#ifdef __cplusplus
}
#endif
#endif

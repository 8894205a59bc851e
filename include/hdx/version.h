/*
 * version.h - product version numbers as support reads them: parse,
 * compare, find one in pasted text, and say whether an incident can
 * apply to a customer's version (docs/agents.md, "Version comparison").
 *
 * A version is an optional component name and a space ("sdk-java 3.4.1"),
 * an optional "v" or "V", one to HDX_VER_PARTS dot-separated numbers, an
 * optional pre-release ("-rc.1") and optional build metadata ("+b7",
 * ignored).  Missing numbers are zeros (5.2 = 5.2.0); a pre-release is
 * below its release (5.3.0-rc.1 < 5.3.0) and pre-releases compare as in
 * Semantic Versioning 2.0.0 (numeric identifiers numerically, below
 * alphanumeric ones, which compare in ASCII order).  Versions of
 * different components are not comparable.  Every function is pure and
 * thread-safe; nothing here allocates.
 */
#ifndef HDX_VERSION_H
#define HDX_VERSION_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HDX_VER_PARTS 6
#define HDX_VER_TEXT 64 /* room for a version's text, with its NUL */

typedef struct hdx_ver {
    char component[32];               /* lower-cased, "" for none */
    unsigned long part[HDX_VER_PARTS];
    size_t n_parts;                   /* 1..HDX_VER_PARTS */
    char pre[32];                     /* pre-release, "" for none */
} hdx_ver;

/* Parse `s` (leading and trailing spaces ignored) into *out; false (and
 * *out zeroed) when it is not a version as above. */
bool hdx_ver_parse(const char *s, hdx_ver *out);

/* <0, 0 or >0 as a is below, equal to or above b; *comparable (optional)
 * is false, and the result 0, for versions of different components. */
int hdx_ver_cmp(const hdx_ver *a, const hdx_ver *b, bool *comparable);

/*
 * The first version named in text[0..len): a version after the word
 * "version", "ver", "build" or "release" (any case, optionally followed
 * by ':' or '='), or a "v"-prefixed dotted version ("v5.2.1") on its own.
 * Copies its text (without the "v") into out and returns true; false
 * (out "") when there is none.  Bare dotted numbers are not taken: an IP
 * address or a library's version must not become the customer's.
 */
bool hdx_ver_find(const char *text, size_t len, char out[HDX_VER_TEXT]);

/* Can an incident apply to the customer's version? */
typedef enum hdx_ver_fit {
    HDX_FIT_UNKNOWN,      /* no customer version, or nothing comparable */
    HDX_FIT_AFFECTED,     /* the customer's version is a listed one */
    HDX_FIT_UPGRADE,      /* fixed in a later version: upgrade */
    HDX_FIT_FIXED,        /* fixed in the customer's version or earlier */
    HDX_FIT_TOO_OLD       /* older than every listed affected version */
} hdx_ver_fit;

/*
 * The fit of an incident with `fixed_in` (NULL or "": none) and affected
 * `versions[0..n)` (unparsable entries are skipped) for the customer's
 * version `customer` (NULL or unparsable: HDX_FIT_UNKNOWN).  FIXED when
 * fixed_in <= customer; else TOO_OLD when customer is below every
 * comparable affected version; else UPGRADE when fixed_in is comparable
 * (and above customer); else AFFECTED when customer equals an affected
 * version; else UNKNOWN.
 */
hdx_ver_fit hdx_ver_fit_of(const char *customer, const char *fixed_in,
                           const char *const *versions, size_t n);

/* True for the fits whose incidents cannot apply (FIXED, TOO_OLD). */
bool hdx_ver_fit_demoted(hdx_ver_fit f);

#ifdef __cplusplus
}
#endif
#endif

/*
 * normalise.h - the form a query is stored in: the index's own folding
 * (hdx_text_fold: NFKC, case folding, apostrophes), then every run of
 * white space made one space and the ends trimmed, so "Reset  Password "
 * and "reset password" are one query in the reports.
 */
#ifndef HDX_ANALYTICS_NORMALISE_H
#define HDX_ANALYTICS_NORMALISE_H

#define ANALYTICS_MAX_QUERY 500u /* bytes kept of a normalised query */

/* A malloc'd normalised copy of `q` (caller frees), cut to at most
 * ANALYTICS_MAX_QUERY bytes on a character boundary; "" for NULL or
 * text that is not UTF-8.  Thread-safe. */
char *analytics_normalise_query(const char *q);

#endif

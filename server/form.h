/*
 * form.h - an application/x-www-form-urlencoded body, decoded.
 *
 * The help center's forms post this encoding (feedback, sign-in, ...).
 * '+' is a space and the percent-escapes are undone by libmicrohttpd's
 * MHD_http_unescape(); this file only splits the body at '&' and '='.
 * A field that decodes to a NUL byte ("%00") is recorded in `bad`, since
 * a C string would silently end there.
 */
#ifndef HDX_SERVER_FORM_H
#define HDX_SERVER_FORM_H

#include <stddef.h>

typedef struct form_field {
    char *name, *value; /* owned by the form */
} form_field;

typedef struct form_data {
    form_field *fields;
    size_t n;
    char bad[128]; /* "field 'x' contains a NUL byte (%00)", or "" */
} form_data;

/* Decode body[0..len) into *f (which need not be initialised); free with
 * form_clear().  A pair without '=' is ignored. */
void form_parse(form_data *f, const char *body, size_t len);

/* The last value of `name`, borrowed from f; NULL when absent. */
const char *form_get(const form_data *f, const char *name);

void form_clear(form_data *f);

#endif

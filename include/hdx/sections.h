/*
 * sections.h - the section table stored with each document.
 *
 * A hit names the section its snippet comes from, so every search reads
 * the table of every hit.  As JSON inside the document header it made up
 * half of the header's bytes and half the cost of parsing it (7 of 15 µs
 * per hit with jansson); stored apart in this flat form (at the head of
 * the text value, lib/schema.h) it is walked in place, with no
 * allocation.
 *
 * Encoding, one record per section in text order:
 *   4 bytes   offset of the section in the plain text, little-endian
 *   1 byte    hdx_section_kind
 *   heading   UTF-8, then one NUL
 *   anchor    UTF-8, then one NUL
 */
#ifndef HDX_SECTIONS_H
#define HDX_SECTIONS_H

#include "hdx/article.h"
#include "hdx/buf.h"

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One decoded record; the strings point into the encoded table. */
typedef struct hdx_section_ref {
    size_t offset;
    hdx_section_kind kind;
    const char *heading;
    const char *anchor;
} hdx_section_ref;

/* Append one record to `out` (heading/anchor NULL means ""). */
void hdx_sections_add(hdx_buf *out, size_t offset, hdx_section_kind kind,
                      const char *heading, const char *anchor);

/*
 * Decode the record at *pos of table[0..len) into *out and advance *pos.
 * False at the end of the table or on a malformed (truncated) record, so
 * a damaged value ends the walk instead of reading past it.
 */
bool hdx_sections_next(const char *table, size_t len, size_t *pos,
                       hdx_section_ref *out);

/* The last section starting at or before text offset `off`: false if
 * there is none. */
bool hdx_sections_at(const char *table, size_t len, size_t off,
                     hdx_section_ref *out);

#ifdef __cplusplus
}
#endif
#endif

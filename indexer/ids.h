/*
 * ids.h - the one duplicate-id rule and its table.  Ids compare by
 * hdx_id_key() ("Café-Setup" and "cafe-setup" are one id); a key belongs
 * to the first file that claims it, and a later claimant is a duplicate:
 * "PATH:1: duplicate id 'ID' (already used by OWNER)".  The full build,
 * the incremental run (preloaded with what the index holds) and the lint
 * all decide with ids_claim(), in path order.
 *
 * Ownership: an id_table is embedded by value (ids_init / ids_clear) and
 * owns copies of every key and path given to it.
 */
#ifndef HDX_INDEXER_IDS_H
#define HDX_INDEXER_IDS_H

#include <stdbool.h>
#include <stddef.h>

/* The message of a duplicate, after "PATH:LINE: " (printf: id, owner). */
#define IDS_DUPLICATE_FMT "duplicate id '%s' (already used by %s)"

typedef struct id_slot {
    char *key;   /* hdx_id_key() of the id; NULL: empty slot */
    char *owner; /* path holding it; NULL: released */
} id_slot;

typedef struct id_table {
    id_slot *slots;
    size_t cap, n; /* n counts keys (held or released) */
} id_table;

void ids_init(id_table *t);
void ids_clear(id_table *t); /* frees everything; t may be reused */

/*
 * The rule.  If another path holds id's key, return that path (borrowed:
 * valid until it is released or the table is cleared) and change nothing.
 * Otherwise `path` holds the key from now on and NULL is returned; if
 * `old_id` is given (the id `path` held until now) and has another key,
 * path's hold on it ends and *released (optional) is set true.
 */
const char *ids_claim(id_table *t, const char *id, const char *path,
                      const char *old_id, bool *released);

/* End `path`'s hold on id's key; true if it held it. */
bool ids_release(id_table *t, const char *id, const char *path);

/* The path that holds id's key, or NULL (borrowed, as for ids_claim). */
const char *ids_owner(const id_table *t, const char *id);

#endif

/*
 * ids.c - the duplicate-id table (see ids.h): open addressing over
 * hdx_hash64_str() of the id key, linear probing, doubled at half load.
 * A released key keeps its slot (with no owner), so probe chains never
 * break; a later claim of the same key takes the slot again.
 */
#include "ids.h"

#include "hdx/alloc.h"
#include "hdx/hash.h"
#include "hdx/schema.h"

#include <stdlib.h>
#include <string.h>

#define MIN_CAP 1024

void ids_init(id_table *t)
{
    t->slots = NULL;
    t->cap = t->n = 0;
}

void ids_clear(id_table *t)
{
    for (size_t i = 0; i < t->cap; i++) {
        free(t->slots[i].key);
        free(t->slots[i].owner);
    }
    free(t->slots);
    ids_init(t);
}

/* The slot of `key`, or the empty slot where it would go. */
static id_slot *find(const id_table *t, const char *key)
{
    size_t mask = t->cap - 1;
    size_t i = (size_t)(hdx_hash64_str(key) & mask);
    while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
        i = (i + 1) & mask;
    return &t->slots[i];
}

/* Make room for one more key.  Entries move; their strings do not, so
 * borrowed owner paths stay valid. */
static void grow(id_table *t)
{
    if (t->cap && (t->n + 1) * 2 <= t->cap)
        return;
    id_table bigger = {hdx_xcalloc(t->cap ? t->cap * 2 : MIN_CAP,
                                   sizeof(id_slot)),
                       t->cap ? t->cap * 2 : MIN_CAP, t->n};
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].key)
            *find(&bigger, t->slots[i].key) = t->slots[i];
    free(t->slots);
    *t = bigger;
}

/* The slot of id's key, created (without owner) if absent. */
static id_slot *slot_for(id_table *t, const char *key_owned)
{
    grow(t);
    id_slot *s = find(t, key_owned);
    if (s->key) {
        free((char *)key_owned);
    } else {
        s->key = (char *)key_owned;
        t->n++;
    }
    return s;
}

const char *ids_claim(id_table *t, const char *id, const char *path,
                      const char *old_id, bool *released)
{
    if (released)
        *released = false;
    id_slot *s = slot_for(t, hdx_id_key(id));
    if (s->owner && strcmp(s->owner, path) != 0)
        return s->owner;
    if (!s->owner)
        s->owner = hdx_xstrdup(path);
    if (old_id) {
        char *old_key = hdx_id_key(old_id);
        if (strcmp(old_key, s->key) != 0 && ids_release(t, old_id, path) &&
            released)
            *released = true;
        free(old_key);
    }
    return NULL;
}

bool ids_release(id_table *t, const char *id, const char *path)
{
    if (!t->cap)
        return false;
    char *key = hdx_id_key(id);
    id_slot *s = find(t, key);
    free(key);
    if (!s->key || !s->owner || strcmp(s->owner, path) != 0)
        return false;
    free(s->owner);
    s->owner = NULL;
    return true;
}

const char *ids_owner(const id_table *t, const char *id)
{
    if (!t->cap)
        return NULL;
    char *key = hdx_id_key(id);
    const id_slot *s = find(t, key);
    free(key);
    return s->owner;
}

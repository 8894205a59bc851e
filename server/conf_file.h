/*
 * conf_file.h - helpdex.conf, the server's configuration file, read.
 *
 * A YAML mapping whose keys are helpdex-serve's long option names and
 * whose values are what the option takes (docs/configuration.md,
 * helpdex.conf(5)):
 *
 *     db: /var/lib/helpdex/index
 *     listen: [127.0.0.1:8080, "[::1]:8080"]
 *     trusted-proxy:
 *       - 127.0.0.1
 *     quiet: true
 *
 * This file only reads the YAML (libyaml) into (name, value, line)
 * entries: a scalar is one entry, a list is one entry per item, in
 * order.  What a name means, and whether its value is good, is
 * options.c's business, so that an option and its key never differ.
 */
#ifndef HDX_SERVER_CONF_FILE_H
#define HDX_SERVER_CONF_FILE_H

#include "hdx/hdx.h"

#include <stddef.h>

typedef struct conf_entry {
    char *name, *value; /* owned by the conf_file */
    int line;           /* 1-based line of the value in the file */
} conf_entry;

typedef struct conf_file {
    char *path; /* as given, for messages */
    conf_entry *entries;
    size_t n;
} conf_file;

/*
 * Read `path` into *out (which need not be initialised; free it with
 * conf_file_clear() on success and failure alike).  HDX_EIO when the file
 * cannot be read, HDX_EPARSE for bad YAML, a document that is not a
 * mapping, a value that is a mapping, or a key given twice; err->msg
 * then reads "FILE:LINE: what is wrong".  An empty file has no entries.
 */
hdx_status conf_file_load(const char *path, conf_file *out, hdx_error *err);

void conf_file_clear(conf_file *f);

#endif

/*
 * options_conf.h - helpdex.conf's entries as command-line arguments.
 *
 * options.c parses the configuration file's options with the very same
 * getopt table and code as the command line's: this file turns each
 * `name: value` entry (conf_file.h) into one "--name=value" argument
 * ("--name" for a flag set to true), after checking that the name is an
 * option that a file may set.  So a key and its option cannot differ.
 */
#ifndef HDX_SERVER_OPTIONS_CONF_H
#define HDX_SERVER_OPTIONS_CONF_H

#include <getopt.h>
#include <stddef.h>

/* The arguments of one file: args[i] came from `path` line lines[i]. */
typedef struct conf_args {
    char **args;
    int *lines;
    size_t n;
    char *path;
} conf_args;

/*
 * Read `path` and turn it into *out against the getopt table `table`
 * (ended by a NULL name); `not_in_file` lists the options a file cannot
 * set (NULL-ended: help, config, ...).  0 on success; 2 with a message
 * on stderr ("helpdex-serve: FILE:LINE: ...") for a file that cannot be
 * read or parsed, an unknown option, one a file cannot set, or a flag
 * whose value is not true or false.  Free *out with conf_args_clear().
 */
int conf_args_load(const char *path, const struct option *table,
                   const char *const *not_in_file, conf_args *out);

void conf_args_clear(conf_args *c);

#endif

/*
 * common.h - what the libFuzzer harnesses in tests/fuzz/ share: a
 * reference UTF-8 check, failing loudly (abort, so libFuzzer saves the
 * input), a private temporary folder and a small real index built once
 * from corpus/ (articles, incidents and synonyms) with the library itself.
 */
#ifndef HDX_TESTS_FUZZ_COMMON_H
#define HDX_TESTS_FUZZ_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hdx/xapian.h"

/* libFuzzer's entry points (tests/fuzz/fuzz_*.c define them). */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print "fuzz: <message>" and abort(): the input is a finding. */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2),
                                                    noreturn));

/*
 * An independent UTF-8 check (RFC 3629: no overlongs, no surrogates,
 * nothing above U+10FFFF), written from the table in the RFC rather than
 * from lib/text.c, so the two can be compared.  On false *bad (if not
 * NULL) is the offset of the first byte of the first bad sequence.
 */
bool fuzz_utf8_ok(const char *s, size_t n, size_t *bad);

/* A malloc'd NUL-terminated copy of data[0..n) (caller frees). */
char *fuzz_strndup(const uint8_t *data, size_t n);

/* The source tree: $HDX_FUZZ_ROOT, else the folder the harness was built
 * in.  Static string. */
const char *fuzz_root(void);

/*
 * A new folder under $TMPDIR (or /tmp), removed with everything in it
 * when the process exits normally.  Static string; aborts on failure.
 */
const char *fuzz_tmpdir(void);

/*
 * Index every article of corpus/articles and corpus/incidents and the
 * synonyms of corpus/synonyms.txt into `dir`/index (one commit), and open
 * it.  Aborts (with a message) if anything fails: a harness without its
 * index tests nothing.  Caller closes the handle.
 */
hdx_db *fuzz_index_open(const char *dir);

#endif

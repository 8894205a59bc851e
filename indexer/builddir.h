/*
 * builddir.h - the private work folder of a full build, "<db>.build.<pid>"
 * next to the index, and the removal of the ones killed runs left behind.
 *
 * Right after creating the folder, the run writes a marker file in it,
 * BUILDDIR_MARKER, holding exactly
 *
 *     helpdex-index build folder\nindex: <realpath of db>\npid: <pid>\n
 *
 * A later run (holding the index lock) removes a folder only when it can
 * prove the folder is a dead run's: its name is "<db>.build.<pid>", it is
 * a real folder (not a symlink), its marker says that same index and pid,
 * and process <pid> no longer exists (kill(pid, 0) fails with ESRCH; the
 * run's own pid counts as gone, since its folder is not made yet).  A
 * folder without that marker, or whose process runs, is never touched.
 * No ownership crosses these calls.
 */
#ifndef HDX_INDEXER_BUILDDIR_H
#define HDX_INDEXER_BUILDDIR_H

#include <stddef.h>

#include "hdx/hdx.h"

#define BUILDDIR_MARKER ".helpdex-build"

/* Remove whatever is at "<db>.build.<getpid()>", create it as an empty
 * folder holding the marker, and put its path in out[n].  HDX_EIO with
 * err->msg "PATH: REASON" when that fails (nothing is left behind). */
hdx_status builddir_create(const char *db, char *out, size_t n,
                           hdx_error *err);

/* Remove a work folder, its marker last: a run killed while removing
 * leaves a folder that still proves it is a work folder.  Errors are
 * ignored. */
void builddir_remove(const char *dir);

/* Remove every stale work folder of `db` (see above) and say so on
 * stderr: "helpdex-index: removed DIR, the work folder of a full build
 * by process PID, which no longer runs". */
void builddir_remove_stale(const char *db);

#endif

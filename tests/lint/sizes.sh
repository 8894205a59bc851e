#!/bin/sh
# sizes.sh - the house size rules, checked (make lint).
#
# A source file in lib/, indexer/, server/ or analytics/ stays under 600 lines and a
# function under 80 (docs/style.md).  One that must be longer says why in
# a comment holding "long-file:" (anywhere in the file) or
# "long-function:" (in the function or the 12 lines above its body), so a
# long one is always a decision someone wrote down.
set -eu
cd "$(dirname "$0")/../.."
MAX_FILE=600
MAX_FUNC=80
status=0
files=$(find lib indexer server analytics -type f \( -name '*.c' -o -name '*.cc' \
        -o -name '*.h' -o -name '*.hh' \) | sort)
for f in $files; do
    n=$(wc -l <"$f")
    if [ "$n" -gt "$MAX_FILE" ] && ! grep -q 'long-file:' "$f"; then
        echo "lint: $f: $n lines (over $MAX_FILE, and no long-file: reason)"
        status=1
    fi
    # Function bodies open with "{" and close with "}" in column 0.
    awk -v max="$MAX_FUNC" -v file="$f" '
        { hist[NR % 13] = $0 }
        /^\{/ {
            start = NR; marked = 0
            for (i = 1; i <= 12; i++)
                if (hist[(NR - i + 13) % 13] ~ /long-function:/) marked = 1
            next
        }
        start && /long-function:/ { marked = 1 }
        start && /^\}/ {
            len = NR - start - 1
            if (len > max && !marked) {
                printf "lint: %s:%d: function body of %d lines (over %d, and no long-function: reason)\n", file, start, len, max
                bad = 1
            }
            start = 0
        }
        END { exit bad }
    ' "$f" || status=1
done
exit $status

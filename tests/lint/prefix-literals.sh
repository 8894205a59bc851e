#!/bin/sh
# prefix-literals.sh - `make lint`: no term-prefix literal outside the
# schema module.  The prefixes are read from lib/schema.c itself (its
# field table and HDXI_STEM_PREFIX), so the check follows the schema.
#
# A string literal is a term-prefix literal if it is exactly a prefix
# ("K", "XV"), or a prefix followed by a term value: lower case, digits,
# printf conversions and - _ : @ . ("XPdesktop", "XVp", "XI%s", "Qfoo").
# Capitalised English words are left alone: after the one-letter prefixes
# K, S and Z a value must hold a digit or punctuation ("K%s", "Sx-1"),
# and after Q anything but a "u" ("Qa", not "Quick").  Exit 1 on a hit.
set -eu
cd "$(dirname "$0")/../.."

schema=lib/schema.c
prefixes=$(sed -nE \
    -e 's/^ *\{HDXI_F_[A-Z_]+, *[^,]+, *"([A-Z]+)".*/\1/p' \
    -e 's/^const char HDXI_STEM_PREFIX\[\] = "([A-Z]+)";.*/\1/p' "$schema")
[ -n "$prefixes" ] || { echo "lint: no prefixes found in $schema"; exit 1; }

# Multi-letter prefixes, longest first; the one-letter ones apart.
multi=$(printf '%s\n' $prefixes | awk 'length > 1' | awk '{ print length, $0 }' |
        sort -rn | cut -d' ' -f2 | paste -sd'|' -)
single=$(printf '%s\n' $prefixes | awk 'length == 1' | paste -sd'|' -)
v='[a-z0-9%_:@.-]'   # a character of a term value
p='[0-9%_:@.-]'      # ... that no plain word has

pat="\"($multi|$single)\""
pat="$pat|\"($multi)[a-z0-9%]$v*\""
for c in $(printf '%s' "$single" | tr '|' ' '); do
    if [ "$c" = Q ]; then
        pat="$pat|\"Q[a-tv-z0-9%_:@.-]$v*\""
    else
        pat="$pat|\"$c$v*$p$v*\""
    fi
done

hits=$(grep -rnoE --include='*.c' --include='*.h' --include='*.cc' \
           --include='*.hh' "$pat" lib indexer server tests/unit |
       grep -v "^$schema:" || true)
if [ -n "$hits" ]; then
    printf '%s\n' "$hits"
    echo "lint: term-prefix literal outside $schema (use hdxi_prefix(), hdxi_visibility_term() or the document builder)"
    exit 1
fi

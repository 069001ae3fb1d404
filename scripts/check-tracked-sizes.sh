#!/usr/bin/env bash
# Fails when git tracks a file over 5 MB that is not on the allow-list below.
# The repository holds source, docs and small fixtures only: data sets, wheels, jars and run
# outputs belong elsewhere (see .gitignore). A real fixture that must be larger goes on the list,
# with a comment saying why.
set -euo pipefail
cd "$(dirname "$0")/.."
limit=$((5 * 1024 * 1024))
allowed=(
  # path/of/a/fixture   # why it must be this large
)
status=0
while IFS= read -r -d '' file; do
  [ -f "$file" ] || continue
  size=$(stat -c '%s' "$file")
  if [ "$size" -gt "$limit" ]; then
    for ok in "${allowed[@]:-}"; do [ "$file" = "$ok" ] && continue 2; done
    echo "error: $file is tracked and $((size / 1024 / 1024)) MB (limit 5 MB): git rm --cached it and add it to .gitignore, or add it to the allow-list in $0 with a reason" >&2
    status=1
  fi
done < <(git ls-files -z)
exit $status

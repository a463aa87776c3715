#!/bin/bash
# The folder layering of ARCHITECTURE.md, read from the #include lines of
# lib/tb: each folder includes only the folders listed for it here, so the
# folder graph is acyclic.
source "$(dirname "$0")/lib.sh"
: "${TB_SRC:?}"

allowed() {
  case $1 in
    util) echo "util" ;;
    model) echo "model util" ;;
    io) echo "io model util" ;;
    store) echo "store model util" ;;
    core) echo "core store io model util" ;;
    report) echo "report core store io model util" ;;
    match) echo "match core store io model util" ;;
    cli) echo "cli report match core store io model util" ;;
  esac
}

t "folder includes"
for dir in "$TB_SRC"/lib/tb/*/; do
  folder=$(basename "$dir")
  ok=$(allowed "$folder")
  if [ -z "$ok" ]; then fail "lib/tb/$folder is not a layer of ARCHITECTURE.md"; continue; fi
  while IFS=: read -r file inc; do
    used=$(sed -E 's#.*"tb/([a-z_]+)/.*#\1#' <<<"$inc")
    case " $ok " in
      *" $used "*) ok ;;
      *) fail "${file#"$TB_SRC"/}: $folder may not include $used ($inc)" ;;
    esac
  done < <(grep -H '#include "tb/' "$dir"*.cpp "$dir"*.hpp)
done

finish

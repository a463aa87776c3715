#!/bin/bash
# The folder layering of ARCHITECTURE.md, read from the #include lines of
# lib/tb: each folder includes only the folders listed for it here, so the
# folder graph is acyclic.
source "$(dirname "$0")/lib.sh"
: "${TB_SRC:?}"
# No command runs here: what fail() prints of the last one.
LAST="(grep)" RC=0 OUT="" ERR=""

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

# Every write goes through a core service (ARCHITECTURE.md): lib/tb/cli opens
# no write transaction and calls none of the store functions that write.
t "no store writes from cli"
store_writes="set_meta remove_store_files create_store backup_to checkpoint audit chain_audit_log
  insert_member update_member set_member_status refresh_name_keys add_skill remove_skill set_check remove_check
  replace_checks add_block remove_block forget_member append_exchange append_opening insert_request close_request
  insert_proposal accept_proposals decline_proposals insert_transfer rebuild_rollups refresh_rollups
  reclassify_member"
for name in $store_writes; do
  # The list follows the store headers: a renamed function must be renamed here.
  if grep -qE "\b$name\(" "$TB_SRC"/lib/tb/store/*.hpp; then ok; else fail "store has no $name: update this list"; fi
  hits=$(grep -rnE "\bstore::$name\(" "$TB_SRC"/lib/tb/cli)
  if [ -z "$hits" ]; then ok; else fail "cli calls a store write: $hits"; fi
done
hits=$(grep -rn "WriteTransaction" "$TB_SRC"/lib/tb/cli)
if [ -z "$hits" ]; then ok; else fail "cli opens a write transaction: $hits"; fi
# Unqualified calls must reach core, not store.
hits=$(grep -rnE "using namespace (tb::)?store|using (tb::)?store::" "$TB_SRC"/lib/tb/cli)
if [ -z "$hits" ]; then ok; else fail "cli imports store names: $hits"; fi

finish

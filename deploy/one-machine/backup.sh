#!/usr/bin/env bash
# Daily backup for one machine: zhibu-backup DATA_DIR BACKUP_ROOT KEEP
# Takes a backup into BACKUP_ROOT/<date-time>, verifies it, and removes all but the newest KEEP.
# Installed as /usr/local/bin/zhibu-backup by the README's steps; run by zhibu-backup.timer.
set -euo pipefail
data="${1:?data folder}"; root="${2:?backup folder}"; keep="${3:-14}"
to="$root/$(date +%Y-%m-%dT%H%M%S)"
zhibu admin backup --data "$data" --to "$to"
zhibu admin verify "$to"
# Newest first; everything past the first KEEP goes.
ls -1d "$root"/20*/ 2>/dev/null | sort -r | tail -n +"$((keep + 1))" | xargs -r rm -rf --

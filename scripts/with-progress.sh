#!/usr/bin/env bash
# with-progress.sh LABEL CMD...: runs CMD, printing LABEL first and a heartbeat every 15 s, so a long
# silent build does not look hung.
label=$1; shift
echo "==> $label"
start=$(date +%s)
# sleep gets no stdout: killed with the loop, an orphaned sleep would hold a captured stdout open for 15 s.
( while sleep 15 </dev/null >/dev/null 2>&1; do echo "    ... still working on: $label ($(( $(date +%s) - start ))s)"; done ) &
beat=$!
trap 'kill $beat 2>/dev/null' EXIT
"$@"
status=$?
echo "    done: $label ($(( $(date +%s) - start ))s)"
exit $status

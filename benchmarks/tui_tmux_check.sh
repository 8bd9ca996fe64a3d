#!/bin/bash
# Issue 20's end-to-end check in a real terminal (tmux), from the repository root with its virtualenv:
#   bash benchmarks/tui_tmux_check.sh [WORK] [DENDRON_VAULT]
# Writes the link-list vault (`tui_vaults.py links`: notes of 363, 39 and 5 KB) into WORK (default: a new
# temporary folder), indexes it, and drives `notelink tui` in tmux at 120x34 with $EDITOR a script that only
# logs the note it was started on:
#   A. from a short note, "/links 363" then Enter, e, q, r in one write (one terminal read): the big note
#      opens; e, q, r were typed before it was on screen, so they are dropped (toast), not replayed;
#   B. Enter on the 39 KB note, then e and r as separate writes right after it;
#   C. Up onto the 363 KB note and Down as soon as its border is on screen: ms until the next note is;
#   D. "/ke" in one write: "ke" in the filter, no editor;
#   E. e on the shown big note opens the editor on it; t and q; the state file; a restart opens that note.
# With DENDRON_VAULT (e.g. ../shared/vaults/dendron-site), "/cli" lists its same-titled notes and one is
# opened with its related panel and links picker. Screens go to WORK/screens/*.txt; times are polled every
# 20 ms with capture-pane, so they are upper bounds.
set -uo pipefail
WORK=${1:-$(mktemp -d)}
DENDRON=${2:-}
ROOT=$(pwd)
PY=${PYTHON:-$ROOT/.venv/bin/python}
BIN=$(dirname "$PY")
E=$WORK/screens
rm -rf "$E" && mkdir -p "$E"
[ -d "$WORK/links" ] || "$PY" benchmarks/tui_vaults.py links "$WORK/links"
[ -f "$WORK/index-links/CURRENT" ] || "$PY" -m notelink index "$WORK/links" --index-dir "$WORK/index-links" >/dev/null
printf '#!/bin/sh\necho "$(date +%%T.%%N) editor started on: $1" >> %s/editor.log\n' "$E" > "$WORK/editor.sh"
chmod +x "$WORK/editor.sh"

cap() { tmux capture-pane -p -t "$S"; }
wait_for() { for _ in $(seq 1 1500); do cap | grep -q -- "$1" && return 0; sleep 0.02; done; echo "TIMEOUT waiting for: $1"; return 1; }
ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
editor_log() { cat "$E/editor.log" 2>/dev/null || echo "(empty: the editor never started)"; }
alive() { if cap | grep -q EXITED; then echo "the app QUIT"; else echo "the app still runs"; fi; }
open_note() {  # filter for $1, Enter, wait for the note's border $2
  tmux send-keys -t "$S" Escape; sleep 0.3
  tmux send-keys -t "$S" "/" && tmux send-keys -t "$S" -l "$1" && tmux send-keys -t "$S" Enter
  wait_for "╭─ $2"; sleep 1.5
}
start() {
  tmux kill-session -t "$S" 2>/dev/null
  tmux new-session -d -s "$S" -x 120 -y 34 "cd $ROOT && XDG_STATE_HOME=$WORK/state EDITOR=$WORK/editor.sh \
    $BIN/notelink tui $*; echo EXITED; sleep 900"
}

uptime
S=nl-links
start "$WORK/links" --index-dir "$WORK/index-links"
wait_for "Related notes"; sleep 2; cap > "$E/1-first-screen.txt"
echo "--- A: from a short note, Enter on the 363 KB note with e q r in the same read"
open_note "Topic 001" "Topic 001"
tmux send-keys -t "$S" "/" && tmux send-keys -t "$S" -l "links 363" && sleep 0.5
t0=$(date +%s%N); tmux send-keys -t "$S" Enter e q r
wait_for "╭─ Links 363 KB" && echo "the big note's border on screen $(ms_since "$t0") ms after Enter"
wait_for "Ignored"; cap > "$E/2-keys-ignored.txt"; sleep 2
echo "editor log: $(editor_log); $(alive)"
if cap | grep -qE "Re-index|Building|Reading notes|Learning"; then echo "a build STARTED"; else echo "no build started"; fi
echo "--- B: Enter on the 39 KB note, then e and r as separate writes right after"
tmux send-keys -t "$S" "/" && tmux send-keys -t "$S" -l "links 39" && sleep 0.5
t0=$(date +%s%N); tmux send-keys -t "$S" Enter; tmux send-keys -t "$S" e; tmux send-keys -t "$S" r
wait_for "╭─ Links 39 KB" && echo "the 39 KB note's border on screen $(ms_since "$t0") ms after Enter"
sleep 3; cap > "$E/3-separate-keys.txt"; echo "editor log: $(editor_log); $(alive)"
grep -o "Ignored [^│▌]*" "$E/3-separate-keys.txt" || echo "(no keys ignored)"
echo "--- C: Down while the 363 KB note's rest is laid out"
open_note "Topic 000" "Topic 000"
tmux send-keys -t "$S" "/"; sleep 0.3; tmux send-keys -t "$S" Escape; sleep 1  # the filter cleared, the list focused
for _ in 1 2 3; do
  tmux send-keys -t "$S" Up; wait_for "╭─ Links 363 KB"; t1=$(date +%s%N); tmux send-keys -t "$S" Down
  wait_for "╭─ Topic 000" && echo "the next note on screen $(ms_since "$t1") ms after Down"
  sleep 1
done
echo "--- D: /ke in one read"
tmux send-keys -t "$S" Escape; sleep 0.5; tmux send-keys -t "$S" "/ke"; sleep 1.5; cap > "$E/5-slash-ke.txt"
echo "filter: $(sed -n 3p "$E/5-slash-ke.txt" | cut -c1-36); editor log: $(editor_log); $(alive)"
echo "--- E: e on the shown note does its job; the theme and the last note are kept"
open_note "links 363" "Links 363 KB"
tmux send-keys -t "$S" e; sleep 2; echo "editor log: $(editor_log)"
tmux send-keys -t "$S" t; sleep 0.5; tmux send-keys -t "$S" q; wait_for EXITED
echo "state file: $(tr -d '\n' < "$WORK/state/notelink/tui.json")"
start "$WORK/links" --index-dir "$WORK/index-links"; wait_for "Related notes"; sleep 2; cap > "$E/6-restart.txt"
echo "after a restart, the note shown: $(sed -n 2p "$E/6-restart.txt" | grep -o "╭─ [^─]*" | sed -n 2p)"
tmux send-keys -t "$S" q; wait_for EXITED; tmux kill-session -t "$S"
if [ -n "$DENDRON" ]; then
  [ -f "$WORK/index-dendron/CURRENT" ] || "$PY" -m notelink index "$DENDRON" --index-dir "$WORK/index-dendron" >/dev/null
  S=nl-dendron
  start "$DENDRON" --index-dir "$WORK/index-dendron" --no-watch
  wait_for "Related notes"; sleep 2; cap > "$E/7-dendron-first.txt"
  tmux send-keys -t "$S" "/cli"; sleep 2; cap > "$E/8-dendron-cli-list.txt"
  echo "rows listed for /cli that read 'CLI ...':"; grep -o "│ CLI[^│]*" "$E/8-dendron-cli-list.txt"
  tmux send-keys -t "$S" Down Down; sleep 2; cap > "$E/9-dendron-cli-note.txt"
  tmux send-keys -t "$S" l; sleep 1.5; cap > "$E/10-dendron-links.txt"
  tmux send-keys -t "$S" Escape; sleep 0.5; tmux send-keys -t "$S" q; wait_for EXITED; tmux kill-session -t "$S"
fi
echo "screens in $E"

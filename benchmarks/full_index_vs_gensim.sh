#!/bin/bash
# Full `notelink index` of the link-recovery vault against gensim training on the same tokens and settings
# (issue 3's time target), then recall@10 / MRR. Run from the repository root with its virtualenv:
#   python ../shared/eval/linkeval.py prepare ../shared/vaults/obsidian-help/en /tmp/ev   # once
#   bash benchmarks/full_index_vs_gensim.sh [/tmp/ev]
set -euo pipefail
EV=${1:-/tmp/ev}
IX=$(mktemp -d)/index
PY=${PYTHON:-.venv/bin/python}
uptime
"$PY" -m notelink index "$EV/notes" --index-dir "$IX" --json \
  | grep -E '"(tokens|epochs|parse_seconds|train_seconds|total_seconds|words_per_second)"' | tr -d '\n '; echo
"$PY" -c "
import sys; from pathlib import Path; sys.path.insert(0, 'benchmarks')
from relevance import _gensim_seconds
from notelink.config import TrainConfig
from notelink.index import Index
epochs = Index.open(Path('$IX')).meta['model']['epochs']
print('gensim on the same tokens, %d epochs, 2 workers: %.2f s' % (epochs, _gensim_seconds(Path('$IX'), TrainConfig(), epochs)))"
"$PY" -m notelink export "$EV/notes" --index-dir "$IX" --format json --top 10 -o "$IX/../pred.json"
SHARED=$(cd "$(dirname "$0")/.." && pwd)/../shared
[ -d "$SHARED" ] || SHARED=/work/shared
"$PY" "$SHARED/eval/linkeval.py" score "$EV" "$IX/../pred.json"

#!/bin/bash
# Full `notelink index` of the link-recovery vault against gensim training on the same tokens and settings
# (issue 3's time target), then recall@10 / MRR. Run from the repository root with its virtualenv:
#   python ../shared/eval/linkeval.py prepare ../shared/vaults/obsidian-help/en /tmp/ev   # once
#   bash benchmarks/full_index_vs_gensim.sh [/tmp/ev]
# Two comparisons: the build (parse + train + note vectors, timed inside `notelink index`) against gensim's
# Word2Vec(...) call in a warm interpreter; and whole processes: `notelink index` from start to exit against
# a Python process that imports gensim, reads the same tokens and trains.
set -euo pipefail
EV=${1:-/tmp/ev}
WORK=$(mktemp -d)
IX=$WORK/index
PY=${PYTHON:-.venv/bin/python}
uptime
t0=$(date +%s.%N)
"$PY" -m notelink index "$EV/notes" --index-dir "$IX" --json > "$WORK/index.json"
t1=$(date +%s.%N)
grep -E '"(tokens|epochs|parse_seconds|train_seconds|total_seconds|words_per_second)"' "$WORK/index.json" | tr -d '\n '; echo
"$PY" -c "
import sys; from pathlib import Path; sys.path.insert(0, 'benchmarks')
from relevance import _gensim_seconds
from notelink.config import TrainConfig
from notelink.index import Index
ix = Index.open(Path('$IX'))
epochs = ix.meta['model']['epochs']
Path('$WORK/tokens.txt').write_text('\n'.join(t for (t,) in ix.db.execute('SELECT tokens FROM notes ORDER BY id')))
Path('$WORK/epochs').write_text(str(epochs))
print('gensim on the same tokens, %d epochs, 2 workers: %.2f s' % (epochs, _gensim_seconds(Path('$IX'), TrainConfig(), epochs)))"
cfg=$("$PY" -c "from notelink.config import TrainConfig as T; c = T(); print(c.dim, c.window, c.negative, c.sample, c.min_count)")
t2=$(date +%s.%N)
"$PY" -c "
import sys
from gensim.models import Word2Vec
dim, window, negative, sample, min_count = '$cfg'.split()
docs = [line.split() for line in open('$WORK/tokens.txt', encoding='utf-8')]
Word2Vec(docs, vector_size=int(dim), window=int(window), negative=int(negative), sample=float(sample),
         min_count=int(min_count), epochs=int(open('$WORK/epochs').read()), workers=2, sg=0, seed=1)"
t3=$(date +%s.%N)
"$PY" -c "a, b = $t1 - $t0, $t3 - $t2; print('whole processes: notelink index %.2f s, gensim (import, read, train) %.2f s = %.2fx' % (a, b, a / b))"
"$PY" -m notelink export "$EV/notes" --index-dir "$IX" --format json --top 10 -o "$WORK/pred.json"
SHARED=$(cd "$(dirname "$0")/.." && pwd)/../shared
[ -d "$SHARED" ] || SHARED=/work/shared
"$PY" "$SHARED/eval/linkeval.py" score "$EV" "$WORK/pred.json"

"""Seeded sanity tests for CBOW training."""

import itertools
import multiprocessing
import os
import signal
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from notelink.config import TrainConfig
from notelink.index.notevectors import unit_rows
from notelink.model import cbow, hogwild, windows
from notelink.model.vocab import Vocab

GROUPS = [["apple", "pear", "plum", "cherry", "peach"], ["lion", "tiger", "wolf", "bear", "fox"],
          ["red", "green", "blue", "yellow", "purple"]]


def _corpus(seed: int = 0) -> tuple[np.ndarray, np.ndarray, Vocab]:
    """Sentences drawn from one group at a time: words of a group share contexts."""
    rng = np.random.default_rng(seed)
    docs = [[GROUPS[g][i] for i in rng.integers(0, 5, 12)] for g in rng.integers(0, 3, 300)]
    vocab = Vocab.build(docs, 1)
    ids = [vocab.encode(d) for d in docs]
    owner = np.repeat(np.arange(len(ids)), [len(d) for d in ids])
    return np.concatenate(ids), owner, vocab


CFG = TrainConfig(dim=16, epochs=5, window=3, min_count=1, sample=0, seed=3, threads=1, device="cpu")


def test_words_of_a_group_are_nearest() -> None:
    ids, owner, vocab = _corpus()
    wv = cbow.train(ids, owner, vocab, CFG)
    m = unit_rows(wv.syn0)
    for group in GROUPS:
        for w in group:
            sims = m @ m[vocab.index[w]]
            sims[vocab.index[w]] = -1
            best = vocab.words[int(np.argmax(sims))]
            assert best in group, (w, best)


def test_deterministic_with_seed_on_cpu() -> None:
    ids, owner, vocab = _corpus()
    a = cbow.train(ids, owner, vocab, CFG)
    b = cbow.train(ids, owner, vocab, CFG)
    c = cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "seed": 4}))
    assert np.array_equal(a.syn0, b.syn0) and np.array_equal(a.syn1neg, b.syn1neg)
    assert not np.array_equal(a.syn0, c.syn0)


def test_initialisation_and_shapes() -> None:
    ids, owner, vocab = _corpus()
    wv = cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "epochs": 1, "lr": 1e-12,
                                                       "min_lr": 1e-12}))
    assert wv.syn0.shape == (len(vocab), 16)
    assert np.abs(wv.syn0).max() <= 1 / 16 + 1e-6  # small uniform input vectors, in [-1/D, 1/D) as gensim 4
    assert np.abs(wv.syn0).max() > 0.9 / 16
    assert np.abs(wv.syn1neg).max() < 1e-6  # output vectors start at zero


def test_progress_and_cancel() -> None:
    ids, owner, vocab = _corpus()
    seen: list[cbow.TrainProgress] = []
    cbow.train(ids, owner, vocab, CFG, progress=seen.append)
    assert seen and seen[-1].words_done == seen[-1].words_total and seen[-1].epoch == 5
    assert all(a.lr >= b.lr for a, b in itertools.pairwise(seen))  # linear decay
    with pytest.raises(cbow.Cancelled):
        cbow.train(ids, owner, vocab, CFG, should_stop=lambda: True)


def test_auto_epochs_scale_with_corpus() -> None:
    cfg = TrainConfig()
    assert cfg.epochs_for(10_000) == 40
    assert cfg.epochs_for(100_000_000) == 5
    assert TrainConfig(epochs=3).epochs_for(10) == 3


def test_vectors_that_are_not_finite_fail_the_training(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever made them so, a build never writes NaN vectors: it says so and leaves the index as it was."""
    real = cbow._Trainer.step

    def step(self: cbow._Trainer, c: Any, i: int, lr: float) -> None:
        real(self, c, i, lr)
        self.syn1neg[0, 0] = float("nan")

    monkeypatch.setattr(cbow._Trainer, "step", step)
    ids, owner, vocab = _corpus()
    with pytest.raises(cbow.TrainingDiverged, match="--lr"):
        cbow.train(ids, owner, vocab, CFG)


def test_cuda_request_without_gpu_is_a_clear_error() -> None:
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a GPU is present")
    with pytest.raises(cbow.DeviceError, match="no CUDA"):
        cbow.resolve_device("cuda")


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_training_learns_groups() -> None:
    ids, owner, vocab = _corpus()
    wv = cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "device": "cuda"}))
    assert wv.device == "cuda"
    m = unit_rows(wv.syn0)
    sims = m @ m[vocab.index["apple"]]
    sims[vocab.index["apple"]] = -1
    assert vocab.words[int(np.argmax(sims))] in GROUPS[0]


def test_training_can_continue_from_given_vectors() -> None:
    ids, owner, vocab = _corpus()
    first = cbow.train(ids, owner, vocab, CFG)
    frozen = TrainConfig(**{**CFG.to_dict(), "epochs": 1, "lr": 1e-12, "min_lr": 1e-12})
    again = cbow.train(ids, owner, vocab, frozen, init=(first.syn0, first.syn1neg))
    assert np.allclose(again.syn0, first.syn0, atol=1e-6)


def test_windows_stay_inside_a_note_and_chunks_cover_the_corpus() -> None:
    ids, owner, vocab = _corpus()
    cfg = TrainConfig(**{**CFG.to_dict(), "chunk": 500})
    tr = cbow._Trainer(ids, owner, vocab, cfg, "cpu")
    ranges = tr.chunk_ranges()
    assert ranges[0][0] == 0 and ranges[-1][1] == ids.size and len(ranges) > 1
    assert all(b == c for (_, b), (c, _) in itertools.pairwise(ranges))
    a, b = ranges[1]
    assert owner[a] != owner[a - 1]  # cut at a note boundary
    c = tr.make_chunk(a, b, seed=1)  # sample=0: every token is kept, so positions are corpus positions
    assert c.n == b - a and np.array_equal(c.centre.numpy(), ids[a:b])
    lo, hi = _window_bounds(tr, c)
    for t in range(c.n):
        assert max(0, t - CFG.window) <= lo[t] <= t <= hi[t] <= min(c.n - 1, t + CFG.window)
        assert len(set(owner[a + lo[t]:a + hi[t] + 1].tolist())) == 1  # one note
        mean = tr.window_mean[int(c.widths[t + 2 * CFG.window])]  # offsets -W..W from the centre
        assert int((mean > 0).sum()) == hi[t] - lo[t] and float(mean[CFG.window]) == 0
        assert float(mean.sum()) == pytest.approx(float(hi[t] > lo[t]))


def _window_bounds(tr: cbow._Trainer, c: cbow._Chunk) -> tuple[np.ndarray, np.ndarray]:
    """Inclusive chunk positions of each centre's window, decoded from its widths a*(W+1) + c."""
    side, W = tr.cfg.window + 1, tr.cfg.window
    t, code = np.arange(c.n), c.widths.numpy()[2 * W: 2 * W + c.n]
    assert not c.widths[: 2 * W].any() and not c.widths[2 * W + c.n:].any()  # zeros around: no window
    return t - code // side, t + code % side


def test_window_tables_cover_every_width() -> None:
    """A window row is 1 / size at the offsets of the centre's window (never the centre), and its inside
    row 1 there."""
    ids, owner, vocab = _corpus()
    tr = cbow._Trainer(ids, owner, vocab, CFG, "cpu")
    W, side = CFG.window, CFG.window + 1
    assert tr.window_mean.shape == tr.window_in.shape == (side**2, 2 * W + 1)
    for row in range(side**2):
        a, c = row // side, row % side
        cols = {j for j in range(2 * W + 1) if tr.window_mean[row, j]}
        assert cols == set(range(W - a, W + c + 1)) - {W}
        assert float(tr.window_mean[row].sum()) == pytest.approx(1.0 if a + c else 0.0)
        assert tr.window_in[row].tolist() == [float(j in cols) for j in range(2 * W + 1)]


@pytest.mark.parametrize("i", [0, 1, 3])  # 3: the last, partial batch
def test_a_position_sees_the_centres_whose_windows_hold_it(i: int) -> None:
    """Column j of a batch's padded position q is 1 where the centre at row q + j of the position sums
    (centre s + q + j - 2W) holds the position (s + q - W) in its window, never the position's own centre."""
    ids, owner, vocab = _corpus()
    tr = cbow._Trainer(ids, owner, vocab, CFG, "cpu")
    tr.batch = 48
    c = tr.make_chunk(0, 170, seed=5)
    lo, hi = _window_bounds(tr, c)
    W, s = CFG.window, i * tr.batch
    P = -(-(min(s + tr.batch, c.n) - s) // 16) * 16 + tr.tail  # whole blocks of 16, then 2W or more
    M = windows.position_windows(tr.window_in, c.widths[s:s + P + 2 * W], W)
    assert M.shape == (P, 2 * W + 1) and tr.batches(c) == 4
    for q, j in itertools.product(range(P), range(2 * W + 1)):
        t, pos = s + q + j - 2 * W, s + q - W
        if 0 <= t < c.n and pos < c.n:
            assert float(M[q, j]) == float(lo[t] <= pos <= hi[t] and pos != t)


@pytest.mark.parametrize(("batch", "i"), [(16, 2), (48, 1), (48, 6)])  # 6: the last, partial block
@pytest.mark.parametrize("dim", [16, 40])  # 40: the sketch is the first 16 coordinates
def test_a_step_is_the_cbow_update_of_every_centre(batch: int, i: int, dim: int) -> None:
    """The step (weighted bags) equals the textbook per-centre CBOW update (all from the same old vectors),
    each input row's sum scaled as `rowscale.RowScale` says."""
    ids, owner, vocab = _corpus()
    cfg = TrainConfig(**{**CFG.to_dict(), "neg_share": 2, "dim": dim})
    tr = cbow._Trainer(ids, owner, vocab, cfg, "cpu")
    tr.batch = batch
    tr.syn1neg.normal_(0, 0.3, generator=__import__("torch").Generator().manual_seed(0))
    c = tr.make_chunk(0, 300, seed=5)
    assert i < tr.batches(c) and (i < tr.batches(c) - 1 or c.n % 16)
    _check_step(tr, c, i, 0.05)


@pytest.mark.parametrize(("window", "neg_share", "batch", "start", "sample"),
                         [(1, 1, 32, 0, 0.0), (10, 3, 48, 37, 0.0), (10, 5, 80, 5, 0.05),
                          (2, 4, 16, 11, 0.05)])
def test_a_step_is_the_cbow_update_for_other_windows_groups_and_short_notes(
        window: int, neg_share: int, batch: int, start: int, sample: float) -> None:
    """Every batch of a chunk that starts mid-corpus, with notes of 1-3 words (shorter than a window), other
    window widths and group sizes, and subsampling, against the per-centre reference."""
    rng = np.random.default_rng(1)
    docs = [[GROUPS[0][i] for i in rng.integers(0, 5, rng.integers(1, 4))] for _ in range(150)]
    vocab = Vocab.build(docs, 1)
    ids = np.concatenate([vocab.encode(d) for d in docs])
    owner = np.repeat(np.arange(len(docs)), [len(d) for d in docs])
    cfg = TrainConfig(**{**CFG.to_dict(), "window": window, "neg_share": neg_share, "sample": sample})
    tr = cbow._Trainer(ids, owner, vocab, cfg, "cpu")
    tr.batch = batch  # a multiple of lcm(neg_share, 16), as the trainer rounds it
    tr.syn1neg.normal_(0, 0.3, generator=__import__("torch").Generator().manual_seed(0))
    c = tr.make_chunk(start, start + 200, seed=5)
    assert tr.batches(c) > 1 and c.n % 16
    for i in range(tr.batches(c)):
        _check_step(tr, c, i, 0.05)


@pytest.mark.parametrize(("batch", "i"), [(16, 2), (48, 6)])
def test_the_gpu_s_fixed_size_grouping_makes_the_same_step(batch: int, i: int,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The grouping a GPU step uses (`bags.by_value(fixed=True)`: empty bags past the distinct rows, no
    host wait), run on the CPU: the same per-centre CBOW update."""
    from notelink.model import bags

    monkeypatch.setattr(cbow, "by_value",
                        lambda torch, index, bound: bags.by_value(torch, index, bound, fixed=True))
    ids, owner, vocab = _corpus()
    tr = cbow._Trainer(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "neg_share": 2}), "cpu")
    tr.batch = batch
    tr.syn1neg.normal_(0, 0.3, generator=__import__("torch").Generator().manual_seed(0))
    c = tr.make_chunk(0, 300, seed=5)
    _check_step(tr, c, i, 0.05)


def _check_step(tr: cbow._Trainer, c: cbow._Chunk, i: int, lr: float) -> None:
    """Runs batch i of chunk c and compares it with the textbook per-centre CBOW update in float64 (all
    centres from the same old vectors). The input row of word x takes lr / (1 + lr (kappa_x - 1) m_x) * sum
    of neu1e_t over its uses t, kappa_x = |sum s_t|^2 / sum |s_t|^2 over the sketches s_t (first r
    coordinates of neu1e_t; at least 1), m_x the mean over its uses, weighted by |s_t|^2, of the curvature
    sum_k lambda(f_k) (|u_k|^2 + |h_t|^2) of centre t, lambda(f) = tanh(f / 2) / (2 f). The output row of
    word k takes the same scale of the sum of its uses, a use being one group's column of k: sum over the
    group's centres of (label - sigmoid(f)) h, of curvature sum of lambda(f) |h|^2."""
    syn0, syn1 = tr.syn0.numpy().astype(np.float64), tr.syn1neg.numpy().astype(np.float64)
    d0, d1 = np.zeros_like(syn0), np.zeros_like(syn1)
    lo, hi = _window_bounds(tr, c)
    words, B, G, K, r = c.centre.numpy(), tr.batch, tr.group, tr.cfg.negative, tr.r
    terms = []  # (centre t, h, context words, output row, label, mask) of every output-layer term
    s, e = i * B, min((i + 1) * B, c.n)
    bq = -(-(e - s) // G)  # groups of the batch: group q holds its centres q, q + bq, q + 2 bq, ...
    for t in range(s, e):
        ctx = [words[j] for j in range(lo[t], hi[t] + 1) if j != t]
        h = syn0[ctx].mean(0) if ctx else np.zeros(syn0.shape[1])
        q, j = s // G + (t - s) % bq, (t - s) // bq  # group of G centres, place in it
        assert int(c.out[q, K + j]) == words[t]
        terms.append((t, h, ctx, words[t], 1.0, 1.0, (q, K + j)))
        negs = c.out[q, :K].tolist()  # a negative equal to the centre is skipped (word2vec.c)
        terms += [(t, h, ctx, k, 0.0, float(k != words[t]), (q, col)) for col, k in enumerate(negs)]
    score = [syn1[k] @ h for _, h, _, k, *_ in terms]
    neu1e = {t: np.zeros(syn0.shape[1]) for t, *_ in terms}
    curv = dict.fromkeys(neu1e, 0.0)
    out_use: dict[tuple[int, int], list[Any]] = {}  # (group, column) -> [word, update, curvature]
    for f, (t, h, _, k, label, w, col) in zip(score, terms, strict=True):
        s, lam = 1 / (1 + np.exp(-f)), np.tanh(f / 2) / (2 * f) if f else 0.25
        neu1e[t] += (label - s) * w * syn1[k]
        use = out_use.setdefault(col, [k, np.zeros(syn1.shape[1]), 0.0])
        use[1] = use[1] + (label - s) * w * h
        use[2] += lam * w * (h @ h)
        curv[t] += lam * w * (syn1[k] @ syn1[k] + h @ h)
    uses: dict[int, list[tuple[np.ndarray, float]]] = {}  # input row -> (neu1e_t, curvature) of each use
    for t, _, ctx, _k, label, *_ in terms:
        if label:  # once per centre
            for x in ctx:
                uses.setdefault(x, []).append((neu1e[t], curv[t]))
    for x, u in uses.items():
        d0[x] += _scaled_sum(u, r, lr)
    by_row: dict[int, list[tuple[np.ndarray, float]]] = {}
    for k, du, cu in out_use.values():
        by_row.setdefault(k, []).append((du, cu))
    for k, u in by_row.items():
        d1[k] += _scaled_sum(u, r, lr)
    tr.step(c, i, lr)
    assert np.allclose(tr.syn0.numpy(), syn0 + d0, atol=1e-6)
    assert np.allclose(tr.syn1neg.numpy(), syn1 + d1, atol=1e-6)


def _scaled_sum(uses: list[tuple[np.ndarray, float]], r: int, lr: float) -> np.ndarray:
    """lr / (1 + lr (kappa - 1) m) * the sum of a row's updates, kappa and m from their sketches (first r
    coordinates) and curvatures, as `_check_step` says."""
    sk = [x[:r] for x, _ in uses]
    e = [v @ v for v in sk]
    if sum(e) == 0:
        return lr * np.sum([x for x, _ in uses], 0)
    kappa = max(1.0, np.sum(sk, 0) @ np.sum(sk, 0) / sum(e))
    m = sum(ei * c for ei, (_, c) in zip(e, uses, strict=True)) / sum(e)
    return lr / (1 + lr * (kappa - 1) * m) * np.sum([x for x, _ in uses], 0)


def test_hogwild_threads_learn_groups() -> None:
    ids, owner, vocab = _corpus()
    wv = cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "threads": 2, "chunk": 600}))
    m = unit_rows(wv.syn0)
    sims = m @ m[vocab.index["lion"]]
    sims[vocab.index["lion"]] = -1
    assert vocab.words[int(np.argmax(sims))] in GROUPS[1]


@pytest.mark.skipif(not __import__("torch").cuda.is_available(), reason="needs a CUDA GPU")
def test_cuda_inner_loop_never_waits_for_the_host() -> None:
    import torch

    ids, owner, vocab = _corpus()
    tr = cbow._Trainer(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "device": "cuda"}), "cuda")
    a, b = tr.chunk_ranges()[0]
    c = tr.make_chunk(a, b, seed=1)
    assert c.centre.is_cuda and c.out.is_cuda  # random numbers and layouts are made on the device
    torch.cuda.set_sync_debug_mode("error")  # any host sync in a step raises
    try:
        for i in range(tr.batches(c)):
            tr.step(c, i, 0.025)
    finally:
        torch.cuda.set_sync_debug_mode(0)
    assert torch.isfinite(tr.syn0).all()


@pytest.fixture
def processes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes even for the tiny test corpus."""
    if not hogwild.use_processes(2, hogwild.MIN_PROCESS_WORDS):
        pytest.skip("worker processes need Linux, a non-daemonic process and no other thread")
    monkeypatch.setattr(hogwild, "MIN_PROCESS_WORDS", 0)


def test_hogwild_processes_learn_groups(processes: None) -> None:
    ids, owner, vocab = _corpus()
    seen: list[cbow.TrainProgress] = []
    wv = cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "threads": 2, "chunk": 600}),
                    progress=seen.append)
    assert seen[-1].words_done == seen[-1].words_total
    _assert_nearest_in(wv, "lion", GROUPS[1])
    assert not multiprocessing.active_children()


def test_processes_are_used_only_where_they_pay_and_are_safe() -> None:
    assert not hogwild.use_processes(1, 10**9)  # --threads 1: in process, deterministic
    assert not hogwild.use_processes(2, hogwild.MIN_PROCESS_WORDS - 1)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert not hogwild.use_processes(2, 10**9)  # no fork while another thread may hold a lock
    finally:
        release.set()
        other.join()


def test_an_error_in_a_worker_process_is_raised_in_the_parent(processes: None,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    parent, step = os.getpid(), cbow._Trainer.step

    def failing_step(self: cbow._Trainer, c: cbow._Chunk, i: int, lr: float) -> None:
        if os.getpid() != parent:
            raise MemoryError("no room")
        step(self, c, i, lr)

    monkeypatch.setattr(cbow._Trainer, "step", failing_step)
    ids, owner, vocab = _corpus()
    with pytest.raises(cbow.WorkerError, match="MemoryError: no room"):
        cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "threads": 2, "chunk": 600}))
    assert not multiprocessing.active_children()


def test_worker_processes_update_the_callers_matrices(processes: None,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the forked worker steps here (the parent takes jobs but skips them); its updates must reach
    the matrices the parent returns."""
    parent, step = os.getpid(), cbow._Trainer.step

    def child_only(self: cbow._Trainer, c: cbow._Chunk, i: int, lr: float) -> None:
        if os.getpid() != parent:
            step(self, c, i, lr)

    monkeypatch.setattr(cbow._Trainer, "step", child_only)
    ids, owner, vocab = _corpus()
    wv = cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "threads": 2, "chunk": 600}))
    assert np.abs(wv.syn1neg).max() > 0  # output vectors start at zero: only the child changed them


def test_cancelling_stops_worker_processes(processes: None) -> None:
    ids, owner, vocab = _corpus()
    calls = itertools.count()
    with pytest.raises(cbow.Cancelled):
        cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "threads": 2, "epochs": 10_000}),
                   should_stop=lambda: next(calls) > 50)
    assert not multiprocessing.active_children()


def _train_and_report(conn: Connection) -> None:
    """Trains long with worker processes, sending the workers' pids once."""
    ids, owner, vocab = _corpus()
    pids = lambda p: conn.send([c.pid for c in multiprocessing.active_children()])  # noqa: E731
    cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "threads": 2, "epochs": 100_000}), pids)


def test_no_worker_outlives_a_killed_build(processes: None) -> None:
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    build = ctx.Process(target=_train_and_report, args=(send,))
    build.start()
    assert recv.poll(30), "training did not start"
    workers = recv.recv()
    os.kill(build.pid, signal.SIGKILL)
    build.join()
    assert workers and all(_gone(pid) for pid in workers)


def _gone(pid: int, wait_s: float = 120.0) -> bool:
    """True once `pid` has exited (or is a zombie waiting for init); False only after `wait_s`, a guard
    against a worker that never dies (5 s was a time a busy machine could take to end one)."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            if Path(f"/proc/{pid}/stat").read_text().split(") ")[1].startswith("Z"):
                return True
        except (FileNotFoundError, IndexError):
            return True
        time.sleep(0.02)
    return False


def _train_in_a_daemon(conn: Connection) -> None:
    ids, owner, vocab = _corpus()
    wv = cbow.train(ids, owner, vocab, TrainConfig(**{**CFG.to_dict(), "threads": 2}))
    conn.send((hogwild.use_processes(2, 10**9), bool(np.isfinite(wv.syn0).all())))


def test_a_daemonic_process_trains_with_threads(processes: None) -> None:
    """The watcher builds in daemonic children, which cannot have children of their own."""
    ctx = multiprocessing.get_context("fork")
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_train_in_a_daemon, args=(send,), daemon=True)
    proc.start()
    assert recv.poll(60)
    assert recv.recv() == (False, True)
    proc.join()


def _assert_nearest_in(wv: cbow.WordVectors, word: str, group: list[str]) -> None:
    vocab = _corpus()[2]
    m = unit_rows(wv.syn0)
    sims = m @ m[vocab.index[word]]
    sims[vocab.index[word]] = -1
    assert vocab.words[int(np.argmax(sims))] in group

"""The index layouts of the trainer's weighted bags (`cbow._Trainer.step`): which rows each bag of a batch
sums, as `embedding_bag`'s flat index and bag offsets. A batch's sums over windows and groups are weighted
bags over rows laid out in a fixed order, so a layout depends only on the batch's shape: the trainer makes
each once (`Bags`) and reuses it for every batch of that shape. The sums by matrix row (a row's uses in a
batch) depend on the batch's words: `by_value` groups them, once per batch and matrix.

This module does not import torch: the trainer does, lazily, and passes it in.
"""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch

Layout = tuple["torch.Tensor", "torch.Tensor"]  # (index [entries], offsets [bags]) as `embedding_bag` takes


class Bags:
    """The layouts made so far, by kind and shape, on one device (shared by worker threads: making one
    twice in a race is harmless). `torch` is the module, passed in by the trainer that imported it."""

    def __init__(self, torch: ModuleType, device: torch.device) -> None:
        self.torch, self.device = torch, device
        self._made: dict[tuple[str, int, int], Layout] = {}

    def _get(self, key: tuple[str, int, int], make: Callable[[], Layout]) -> Layout:
        got = self._made.get(key)
        if got is None:
            got = self._made[key] = make()
        return got

    def centres(self, bq: int, G: int, K: int, W: int, rows: int) -> Layout:
        """neu1e of a batch's bq * G centres in order after 2W empty rows, then empty rows up to `rows`:
        a centre's bag holds its group's K negatives, then its own row, as rows of the gathered output
        rows (`cbow._Chunk.out`, group by group: group q's negatives at q (K + G) .., centre j bq + q's own
        row at q (K + G) + K + j; the empty rows' bags hold row 0, weight 0) [rows * (K + 1)], [rows]."""
        def make() -> Layout:
            torch, dev = self.torch, self.device
            b = torch.zeros(rows, K + 1, dtype=torch.int64, device=dev)
            by_group = b[2 * W:2 * W + bq * G].view(G, bq, K + 1)  # centre j bq + q
            group = torch.arange(bq, device=dev) * (K + G)  # [bq] where group q's rows start
            by_group[:, :, :K] = group[:, None] + torch.arange(K, device=dev)
            by_group[:, :, K] = group + K + torch.arange(G, device=dev)[:, None]
            return _small(torch, b.view(-1), torch.arange(0, b.numel(), K + 1, device=dev))
        return self._get(("centres", bq, rows), make)

    def outputs(self, bq: int, G: int, K: int) -> Layout:
        """The updates of a batch's output rows as `cbow._Chunk.out` lays them out, group by group, from h
        in centre order: negative k of group q sums the G centres q + j bq of its group, then each
        centre's own row is its centre alone; entry (q, k, j) is centre j of group q for every row k, as
        the weights g [bq, K + 1, G] are laid out [bq (K + 1) G], [bq (K + G)]."""
        def make() -> Layout:
            torch, dev = self.torch, self.device
            centre = torch.arange(G, device=dev) * bq + torch.arange(bq, device=dev)[:, None]  # [bq, G]
            idx = centre[:, None].expand(bq, K + 1, G).reshape(-1)
            starts = torch.cat([torch.arange(K, device=dev) * G, K * G + torch.arange(G, device=dev)])
            offsets = torch.arange(bq, device=dev)[:, None] * ((K + 1) * G) + starts  # [bq, K + G]
            return _small(torch, idx, offsets.view(-1))
        return self._get(("outputs", bq, G * K), make)

    def local_windows(self, n: int, width: int) -> Layout:
        """n bags of `width` consecutive rows, bag i from row i on: the context windows of a batch's n
        centres over the rows of its padded positions, gathered in order (`cbow._Trainer._step`: reading
        them there, in cache, rather than from the matrix costs less than the gather) [n * width], [n]."""
        def make() -> Layout:
            torch, dev = self.torch, self.device
            index = (torch.arange(n, device=dev)[:, None] + torch.arange(width, device=dev)).view(-1)
            return index, torch.arange(0, n * width, width, device=dev)
        return self._get(("local", n, width), make)

    def singles(self, n: int) -> torch.Tensor:
        """Offsets of n bags of one entry each [n] (the layout of rows 0..n-1 one by one): `embedding_bag`
        with them gathers rows, 3% of a step faster than `index_select` on the CPU (fbgemm's kernel
        prefetches the rows; `index_select` copies one row at a time, and a large matrix's rows are rarely
        in cache)."""
        def make() -> Layout:
            one = self.torch.arange(n, device=self.device)
            return one, one
        return self._get(("singles", n, 0), make)[1]


def bag_sum(torch: ModuleType, index: torch.Tensor, rows: torch.Tensor, offsets: torch.Tensor,
            weight: torch.Tensor | None = None) -> torch.Tensor:
    """Per bag, the sum of the rows of `rows` [R, D] that `index` [entries] names from `offsets` [bags] on,
    each times its `weight` [entries] when given [bags, D]: `embedding_bag` in mode "sum", called as
    torch's op itself (`torch.nn.functional.embedding_bag` checks its arguments in Python first: ~2 us a
    call, and a step makes 8; the same kernel, the same sums)."""
    return torch.embedding_bag(rows, index, offsets, False, 0, False, weight)[0]


def _small(torch: ModuleType, index: torch.Tensor, offsets: torch.Tensor) -> Layout:
    """A layout in 32-bit integers (the batch's bags are far below 2^31 entries): `embedding_bag` reads
    half the bytes and runs ~4% faster than with 64-bit ones."""
    return index.to(torch.int32), offsets.to(torch.int32)


def by_value(torch: ModuleType, index: torch.Tensor, bound: int,
             fixed: bool | None = None) -> tuple[torch.Tensor, ...]:
    """The entries of `index` [L] (values below `bound`) grouped by value, for bags that sum the entries of
    each value (a batch's uses of each matrix row): the entries in order of value [L], the distinct values
    ascending [U], and where each value's entries start in that order [U] (one sort: cheaper than the sort
    that a scatter of repeated rows does, which then sums each row's uses again). On the CPU, values that
    fit 16 bits are sorted by numpy's radix sort (2-2.5x faster than torch's sort of a batch's rows).
    `fixed` (the default off the CPU): U = L, the groups past the distinct values empty (`_fixed_size`).
    The entries and starts share a dtype, as `embedding_bag` needs: int32 on the CPU's numpy path (values
    below 2^16, not `fixed`), else int64."""
    fixed = fixed if fixed is not None else index.device.type != "cpu"
    if index.device.type == "cpu" and bound <= 1 << 16:
        if not fixed:
            return tuple(torch.from_numpy(a) for a in _grouped_numpy(index.numpy()))
        order = torch.from_numpy(np.argsort(index.numpy().astype(np.uint16), kind="stable"))
        values = index.index_select(0, order)
    else:
        values, order = torch.sort(index)
    if fixed:
        return _fixed_size(torch, values, order)
    distinct, counts = torch.unique_consecutive(values, return_counts=True)
    return order, distinct, counts.cumsum(0).sub_(counts)


def _grouped_numpy(index: np.ndarray) -> tuple[np.ndarray, ...]:
    """`by_value` of `index` [L] (values below 2^16) in numpy: its 16-bit radix sort, then the first entry
    of each value where the sorted values change (numpy's calls on a batch's few thousand entries cost less
    than torch's `unique_consecutive`, cumulative sum and gather). The entries and where each value starts
    in 32-bit integers, as bag indices and offsets: `embedding_bag` reads half the bytes (the values keep
    their type: `index_add_` is 3x slower with 32-bit rows)."""
    order = np.argsort(index.astype(np.uint16), kind="stable")
    values = index[order]
    new = np.ones(values.shape[0], dtype=bool)  # [L] an entry whose value differs from the one before
    np.not_equal(values[1:], values[:-1], out=new[1:])
    first = np.flatnonzero(new)
    return order.astype(np.int32), values[first], first.astype(np.int32)


def _fixed_size(torch: ModuleType, values: torch.Tensor, order: torch.Tensor) -> tuple[torch.Tensor, ...]:
    """`by_value`'s groups with shapes that do not depend on the data, as a GPU step needs (a size known
    only from the data makes the host wait for the device: `unique_consecutive` did, twice a step): [L]
    groups, the first U the distinct values, the rest empty bags of value 0 starting at L (they sum to
    0, and adding 0 to row 0 changes nothing). `values` [L] sorted, `order` [L] their entries."""
    L = values.numel()
    new = torch.ones_like(values, dtype=torch.bool)  # [L] an entry whose value differs from the one before
    new[1:] = values[1:] != values[:-1]
    group = new.cumsum(0).sub_(1)  # [L] each entry's group
    distinct = torch.zeros_like(values).scatter_(0, group, values)  # [L]
    starts = torch.arange(L, device=values.device)
    first = torch.full_like(values, L).scatter_reduce_(0, group, starts, "amin")  # [L]
    return order, distinct, first

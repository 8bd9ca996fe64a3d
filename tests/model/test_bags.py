"""`bags`: a batch's bag layouts (`Bags`), and its uses of each matrix row grouped for one bag per row
(`by_value`)."""

from __future__ import annotations

import pytest
import torch

from notelink.model.bags import Bags, bag_sum, by_value


def test_by_value_groups_the_entries_of_each_value() -> None:
    """Entries in order of value, the distinct values, and where each value's entries start: a bag per
    value sums its entries."""
    index = torch.tensor([7, 2, 9, 2, 7, 7, 0])
    order, distinct, first = by_value(torch, index, 10)
    assert distinct.tolist() == [0, 2, 7, 9] and first.tolist() == [0, 1, 3, 6]
    assert index[order].tolist() == [0, 2, 2, 7, 7, 7, 9]
    x = torch.arange(14.0).view(7, 2)
    sums = torch.nn.functional.embedding_bag(order, x, first, mode="sum")
    assert sums.tolist() == [[12.0, 13.0], [8.0, 10.0], [18.0, 21.0], [4.0, 5.0]]


@pytest.mark.parametrize("bound", [40_000, 1 << 16, 70_000])  # numpy's 16-bit radix sort, then torch's sort
def test_by_value_is_the_same_grouping_by_either_sort(bound: int) -> None:
    index = torch.randint(0, min(bound, 70_000), (3000,), generator=torch.Generator().manual_seed(bound))
    order, distinct, first = by_value(torch, index, bound)
    assert distinct.equal(torch.unique(index)) and index[order].equal(torch.sort(index).values)
    counts = torch.unique(index, return_counts=True)[1]
    assert first.equal(counts.cumsum(0) - counts)


def test_the_fixed_size_grouping_sums_the_same_with_empty_bags_after() -> None:
    """Off the CPU the groups have the batch's size (no wait for the host): the distinct values first,
    as in the CPU's grouping, then empty bags of row 0, which sum to 0."""
    index = torch.tensor([7, 2, 9, 2, 7, 7, 0])
    order, distinct, first = by_value(torch, index, 10, fixed=True)
    assert distinct.tolist() == [0, 2, 7, 9, 0, 0, 0] and first.tolist() == [0, 1, 3, 6, 7, 7, 7]
    x = torch.arange(14.0).view(7, 2)
    sums = torch.nn.functional.embedding_bag(order, x, first, mode="sum", per_sample_weights=torch.ones(7))
    assert sums.tolist() == [[12.0, 13.0], [8.0, 10.0], [18.0, 21.0], [4.0, 5.0]] + [[0.0, 0.0]] * 3
    assert by_value(torch, index[:0], 10, fixed=True)[1].numel() == 0


def test_the_fixed_size_grouping_has_no_shape_known_only_from_the_data() -> None:
    """What a GPU step needs, checked without one: under fake tensors an op whose output size depends on
    the data raises (the grouping by `unique_consecutive` did: a host sync per call on CUDA)."""
    from torch._subclasses.fake_tensor import DynamicOutputShapeException, FakeTensorMode

    with FakeTensorMode() as mode:
        index = mode.from_tensor(torch.tensor([7, 2, 9, 2, 7, 7, 0]))
        order, distinct, first = by_value(torch, index, 1 << 20, fixed=True)
        assert order.shape == distinct.shape == first.shape == (7,)
        with pytest.raises(DynamicOutputShapeException):
            by_value(torch, index, 1 << 20, fixed=False)


def test_windows_over_the_gathered_rows_sum_as_over_the_matrix_itself() -> None:
    """A batch's context windows summed over its positions' rows gathered in order (`Bags.local_windows`)
    are bit for bit the windows summed over the matrix rows themselves, the step's window means before."""
    gen = torch.Generator().manual_seed(3)
    matrix, words = torch.randn(50, 12, generator=gen), torch.randint(0, 50, (40,), generator=gen)
    n, width = 30, 11
    weight = torch.rand(n * width, generator=gen) * (torch.rand(n * width, generator=gen) > 0.3)
    direct = bag_sum(torch, words.unfold(0, width, 1)[:n].reshape(-1), matrix,
                     torch.arange(0, n * width, width), weight)
    bags = Bags(torch, torch.device("cpu"))
    gathered = bag_sum(torch, words, matrix, bags.singles(words.shape[0]))  # [40, 12]
    near, starts = bags.local_windows(n, width)
    assert near.shape == (n * width,) and starts.shape == (n,)
    assert torch.equal(bag_sum(torch, near, gathered, starts, weight), direct)

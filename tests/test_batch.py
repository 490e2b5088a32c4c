from __future__ import annotations

import asyncio

import pytest

from pipeline.batch import Batch


class Writer:
    """Doubles numbers, all or nothing; refuses 13."""

    def __init__(self) -> None:
        self.calls: list[list[int]] = []

    def __call__(self, items: list[int]) -> list[int]:
        self.calls.append(items)
        if 13 in items:
            raise ValueError("13 refused")
        return [2 * n for n in items]


async def submit_all(batch: Batch[int, int], items: list[int]) -> list[int | BaseException]:
    return await asyncio.gather(*(batch.submit(n) for n in items), return_exceptions=True)


def test_what_arrives_together_is_written_in_one_call_and_each_gets_its_own_result() -> None:
    writer = Writer()
    results = asyncio.run(submit_all(Batch(writer), list(range(10))))
    assert results == [2 * n for n in range(10)]
    assert writer.calls == [list(range(10))]


def test_what_arrives_while_a_batch_is_written_goes_in_the_next_one() -> None:
    writer = Writer()

    async def main() -> list[int]:
        batch: Batch[int, int] = Batch(writer)
        first = asyncio.ensure_future(batch.submit(1))
        await asyncio.sleep(0)  # the first batch starts with 1 alone
        rest = [asyncio.ensure_future(batch.submit(n)) for n in (2, 3)]
        return list(await asyncio.gather(first, *rest))

    assert asyncio.run(main()) == [2, 4, 6]
    assert writer.calls == [[1], [2, 3]]


def test_a_batch_holds_at_most_its_limit() -> None:
    writer = Writer()
    assert asyncio.run(submit_all(Batch(writer, most=4), list(range(10)))) == [
        2 * n for n in range(10)
    ]
    assert [len(c) for c in writer.calls] == [4, 4, 2]


def test_a_failed_batch_is_written_one_by_one_so_only_the_bad_item_fails() -> None:
    writer = Writer()
    results = asyncio.run(submit_all(Batch(writer), [11, 12, 13, 14]))
    assert results[:2] == [22, 24] and results[3] == 28
    assert isinstance(results[2], ValueError)
    assert writer.calls == [[11, 12, 13, 14], [11], [12], [13], [14]]


def test_a_writer_that_breaks_its_contract_leaves_no_caller_waiting() -> None:
    async def main() -> None:
        batch: Batch[int, int] = Batch(lambda items: [])  # one result short
        await asyncio.wait_for(asyncio.gather(batch.submit(1), batch.submit(2)), timeout=5)

    with pytest.raises(ValueError, match="shorter"):
        asyncio.run(main())

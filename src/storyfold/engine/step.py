"""A step: one stage of the flow over a batch of records.

Why this shape (datatrove's pipeline steps): a stage says only what it does to a batch and
whether that work is *parallel*, a pure function of each record, or *serial*, because it reads
and changes state that the records before it left (the fold index, the live stories, the store).
Where a step runs is the executor's business: the local executor sends parallel steps to its
worker processes and runs serial ones in order in the writing process; a Dask job runs the same
parallel steps on partitions.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Generic, TypeVar

T = TypeVar("T")


class Step(ABC, Generic[T]):
    """One stage over a batch; `parallel` steps must be picklable and keep no state."""

    name: str = "step"
    parallel: bool = False

    @abstractmethod
    def run(self, batch: list[T]) -> list[T]:
        """The batch after this step (the same records, changed or replaced, in order)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name} {'parallel' if self.parallel else 'serial'}>"


def segments(steps: list[Step[T]]) -> list[tuple[bool, list[Step[T]]]]:
    """Consecutive steps of one kind, grouped: (parallel, steps) in flow order. A parallel group
    crosses to a worker once per batch however many steps it holds."""
    out: list[tuple[bool, list[Step[T]]]] = []
    for s in steps:
        if out and out[-1][0] == s.parallel:
            out[-1][1].append(s)
        else:
            out.append((s.parallel, [s]))
    return out


def run_steps(steps: list[Step[T]], batch: list[T]) -> list[T]:
    """A group of steps over one batch, in this process (what a worker runs)."""
    for s in steps:
        batch = s.run(batch)
    return batch

"""A step: one stage of the flow over a batch of records.

Why this shape (datatrove's pipeline steps): a stage says only what it does to a batch and
whether that work is *parallel*, a pure function of each record, or *serial*, because it reads
and changes state that the records before it left (the fold index, the live stories, the store).
Where a step runs is the executor's business: the local executor sends parallel steps to its
worker processes and runs serial ones in order in the writing process; a Dask job runs the same
parallel steps on partitions.

A serial step whose state is its own, not the writer's (the fold index), is *portable*: it may
run in another process, fed the batches in order, while this one writes earlier batches. Its
`send` picks what the other half needs, `work` runs where the state lives, `receive` puts the
answer back in the batch; `lost` says what a batch becomes if the process holding the state
is gone.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from typing import Any, Generic, TypeVar

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


class PortableStep(Step[T]):
    """A serial step with state of its own, which an executor may keep on another process."""

    @abstractmethod
    def send(self, batch: list[T]) -> Any:
        """What `work` needs of the batch (small: it crosses processes)."""

    @abstractmethod
    def work(self, payload: Any) -> Any:
        """Where the state lives: the answer for one batch, batches in order."""

    @abstractmethod
    def receive(self, batch: list[T], answer: Any) -> list[T]:
        """The batch with `work`'s answer in it."""

    def lost(self, batch: list[T]) -> list[T]:
        """The batch when the state is gone mid-run (a dead worker, a failed `work`): a step
        whose work a later step can do itself returns the batch as it is."""
        raise RuntimeError(f"the state of step {self.name!r} was lost")

    def run(self, batch: list[T]) -> list[T]:
        return self.receive(batch, self.work(self.send(batch)))


class StepHost:
    """A portable step where its state is kept (a Dask actor, the local executor's host
    process): the batches must come in the order they were handed over, and once one did not
    (the state was lost), every later one fails too."""

    def __init__(self, step: PortableStep[Any]) -> None:
        self.step = step
        self.done = 0

    def work(self, number: int, payload: Any) -> tuple[Any, float]:
        """The step's answer for batch `number`, and the CPU seconds it took here."""
        if number != self.done:
            raise RuntimeError(
                f"batch {number} reached a host that has done {self.done} (its state was lost)"
            )
        t = time.thread_time()
        answer = self.step.work(payload)
        self.done += 1
        return answer, time.thread_time() - t


def segments(steps: list[Step[T]]) -> list[tuple[bool, list[Step[T]]]]:
    """Consecutive steps of one kind, grouped: (parallel, steps) in flow order. A parallel group
    crosses to a worker once per batch however many steps it holds. A portable step is a group
    of its own: its executor may run it elsewhere."""
    out: list[tuple[bool, list[Step[T]]]] = []
    for s in steps:
        portable = isinstance(s, PortableStep) or (out and isinstance(out[-1][1][-1], PortableStep))
        if out and out[-1][0] == s.parallel and not portable:
            out[-1][1].append(s)
        else:
            out.append((s.parallel, [s]))
    return out


def run_steps(steps: list[Step[T]], batch: list[T], spent: dict[str, float] | None = None) -> list[T]:
    """A group of steps over one batch, in this process (what a worker runs); `spent`, if
    given, adds up the CPU seconds of this thread in each step, by name."""
    for s in steps:
        t = time.thread_time()
        batch = s.run(batch)
        if spent is not None:
            spent[s.name] = spent.get(s.name, 0.0) + time.thread_time() - t
    return batch

"""Where the flow's steps run: the step shape, and the executors that run steps.

`Step` is one stage over a batch, parallel (pure per record) or serial (ordered, stateful).
`LocalExecutor` runs parallel steps on worker processes of this machine and serial steps in
the writing process; `DaskExecutor` (`storyfold batch`) runs the same parallel steps on a Dask
cluster.
"""

from storyfold.engine.dask import DaskExecutor
from storyfold.engine.local import LocalExecutor, default_workers
from storyfold.engine.step import Step, run_steps, segments

__all__ = ["DaskExecutor", "LocalExecutor", "Step", "default_workers", "run_steps", "segments"]

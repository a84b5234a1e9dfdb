"""Evaluation and fitting for storyfold: readers of the shared gold sets, clustering metrics,
and the fitter of the story-linking model.

Kept apart from the runtime package: `storyfold` never reads a benchmark set; the tests,
the benches and the fitter do, through this package.
"""

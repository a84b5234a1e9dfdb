"""Batch jobs on a distributed engine: not built yet.

The stage functions are plain functions over model records so that a batch job (Dask, the
`dask` extra in pyproject.toml) can run them unchanged over partitions of a large corpus; the
job itself comes with the issue that asks for it.
"""

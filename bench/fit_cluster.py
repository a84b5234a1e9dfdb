"""Refit the cluster link model on the ECB+ train topics: same as `python -m storyfold.cluster.fit`."""

from storyfold.cluster.fit import main

if __name__ == "__main__":
    main()

"""Refit the cluster link model (ECB+ train topics, NewsWCL50, Gedikli; never ECB+ dev):
same as `python -m storyfold.cluster.fit`."""

from storyfold.cluster.fit import main

if __name__ == "__main__":
    main()

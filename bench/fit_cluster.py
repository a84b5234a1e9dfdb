"""Refit the cluster link model (ECB+ train topics, NewsWCL50, Gedikli; never ECB+ dev):
same as `python -m storyfold_eval.fit_cluster`."""

from storyfold_eval.fit_cluster import main

if __name__ == "__main__":
    main()

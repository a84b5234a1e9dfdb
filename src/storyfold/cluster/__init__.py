"""cluster stage: online assignment of articles to stories, and the metrics to judge it."""

from storyfold.cluster.evaluate import PRF, bcubed, n_clusters, pairwise
from storyfold.cluster.model import LinkModel
from storyfold.cluster.stories import ClusterSettings, StoryClusterer

__all__ = ["PRF", "ClusterSettings", "LinkModel", "StoryClusterer", "bcubed", "n_clusters", "pairwise"]

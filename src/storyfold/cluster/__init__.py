"""cluster stage: online assignment of articles to stories."""

from storyfold.cluster.model import LinkModel
from storyfold.cluster.stories import ClusterSettings, StoryClusterer

__all__ = ["ClusterSettings", "LinkModel", "StoryClusterer"]

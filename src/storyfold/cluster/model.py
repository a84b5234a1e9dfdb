"""The link model: a logistic regression over (article, story) features, stored as JSON.

Weights live in link_model.json beside this module, fitted by `python -m
storyfold_eval.fit_cluster` on the ECB+ train topics only; run time needs only this file and math.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from operator import mul
from pathlib import Path

FEATURES = (
    "body_cos",
    "max_cos",
    "title_cos",
    "names",
    "name_core",
    "anchors",
    "anchor_core",
    "year_same",
    "year_clash",
    "log_size",
    "days",
    "emb_cos",
)
MODEL_PATH = Path(__file__).with_name("link_model.json")
# fitted with the optional multilingual encoder on (`fit --embed`); used only when it is active
EMBED_MODEL_PATH = Path(__file__).with_name("link_model_embed.json")


@dataclass(frozen=True)
class LinkModel:
    weights: tuple[float, ...]
    bias: float
    threshold: float
    # an article at least this likely in a second live story too merges the two (None: never)
    merge_threshold: float | None = None

    def prob(self, x: Sequence[float]) -> float:
        if len(x) != len(self.weights):
            raise ValueError(f"{len(x)} features for {len(self.weights)} weights")
        z = self.bias + sum(map(mul, self.weights, x))  # products summed in order, in C
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    @classmethod
    def load(cls, path: Path = MODEL_PATH) -> LinkModel:
        d = json.loads(path.read_text())
        merge = d.get("merge_threshold")
        return cls(
            tuple(float(d["weights"][f]) for f in FEATURES),
            float(d["bias"]),
            float(d["threshold"]),
            None if merge is None else float(merge),
        )

    def save(self, path: Path = MODEL_PATH, **meta: object) -> None:
        d = {
            "weights": dict(zip(FEATURES, self.weights, strict=True)),
            "bias": self.bias,
            "threshold": self.threshold,
            "merge_threshold": self.merge_threshold,
            **meta,
        }
        path.write_text(json.dumps(d, indent=2) + "\n")


# Hand-set fallback used only when link_model.json is absent.
DEFAULT = LinkModel((5.0, 3.0, 4.0, 4.0, 3.0, 2.0, 1.0, 1.0, -1.0, -1.0, -0.2, 0.0), -5.0, 0.3)


def default_model(embeddings: bool = False) -> LinkModel:
    if embeddings and EMBED_MODEL_PATH.exists():
        return LinkModel.load(EMBED_MODEL_PATH)
    return LinkModel.load() if MODEL_PATH.exists() else DEFAULT

"""Cluster metrics against hand-computed cases."""

import pytest

from storyfold_eval.metrics import bcubed, n_clusters, pair_labels, pairwise


def test_bcubed_hand_case():
    gold = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    # P: a,b 1; c 1/3; d,e 2/3 -> (2 + 1/3 + 4/3)/5 = 11/15
    # R: a,b 2/3; c 1/3; d,e 1 -> (4/3 + 1/3 + 2)/5 = 11/15
    m = bcubed(pred, gold)
    assert m.precision == pytest.approx(11 / 15)
    assert m.recall == pytest.approx(11 / 15)
    assert m.f1 == pytest.approx(11 / 15)


def test_bcubed_extremes():
    gold = {"a": "1", "b": "1", "c": "2"}
    assert bcubed(gold, gold).f1 == pytest.approx(1.0)
    single = {k: k for k in gold}
    m = bcubed(single, gold)
    assert m.precision == 1.0 and m.recall == pytest.approx((0.5 + 0.5 + 1) / 3)


def test_pairwise_hand_case():
    gold = {"a": "1", "b": "1", "c": "1", "d": "2", "e": "2"}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    # gold pairs ab ac bc de (4); pred pairs ab cd ce de (4); common ab de (2)
    m = pairwise(pred, gold)
    assert (m.precision, m.recall, m.f1) == pytest.approx((0.5, 0.5, 0.5))
    assert n_clusters(pred) == 2


def test_pair_labels():
    pred = {"a": "x", "b": "x", "c": "y"}
    m = pair_labels(pred, {("a", "b"): True, ("a", "c"): True, ("b", "c"): False})
    assert (m.precision, m.recall) == pytest.approx((1.0, 0.5))


def test_bcubed_one_big_cluster_and_unscored_items():
    gold = {"a": "1", "b": "1", "c": "2"}
    pred = {"a": "x", "b": "x", "c": "x", "z": "x"}  # "z" has no gold label: not scored
    # P: a,b 2/3; c 1/3 -> 5/9; R: 1 for all; F1 = 2*(5/9)/(5/9+1) = 5/7
    m = bcubed(pred, gold)
    assert (m.precision, m.recall, m.f1) == pytest.approx((5 / 9, 1.0, 5 / 7))
    # pairwise: pred pairs ab ac bc (3), gold pairs ab (1), common ab -> P 1/3, R 1
    assert (pairwise(pred, gold).precision, pairwise(pred, gold).recall) == pytest.approx((1 / 3, 1.0))

"""Source kinds: a prior learned per kind of source (e.g. unattributed vs named), by hand."""

from __future__ import annotations

from storyfold.model import Article, Claim, ValueKind, article_id
from storyfold.reconcile import reconcile_all
from storyfold.reconcile.reliability import volume_groups


def _art(name: str) -> Article:
    return Article(article_id(name, name), f"{name}.txt", name, name, "en", outlet=name)


def _count(a: Article, v: float) -> Claim:
    return Claim(a.id, ValueKind.COUNT, v, "person", "population", "", 0, 1, str(v), "en", "Ely")


def test_volume_groups_are_formed_within_each_kind():
    """12 named sources with 4 statements (log2 bin 2), 3 named with 1 (bin 0), 2 anonymous
    with 1. Bin 2 of the named has >= 10 sources, so bin 0 keeps its own group; the anonymous
    never join a named group. Without kinds, all 5 one-statement sources share ("", 0)."""
    volume = {f"n{i}": 4 for i in range(12)} | {f"m{i}": 1 for i in range(3)} | {"ip1": 1, "ip2": 1}
    kinds = {s: "named" for s in volume if not s.startswith("ip")} | {"ip1": "anonymous", "ip2": "anonymous"}
    g = volume_groups(volume, kinds)
    assert g["n0"] == ("named", 2) and g["m0"] == ("named", 0) and g["ip1"] == g["ip2"] == ("anonymous", 0)
    plain = volume_groups(volume)
    assert plain["n0"] == ("", 2) and plain["m0"] == plain["ip1"] == ("", 0)
    # a small bin joins the next lower bin of its own kind: 3 named at bin 2 fold into bin 0
    small = volume_groups({"a": 4, "b": 4, "c": 4, "d": 1, "ip": 4}, {"ip": "anonymous"})
    assert small["a"] == small["d"] == ("", 2) and small["ip"] == ("anonymous", 2)


def test_a_fresh_source_inherits_the_record_of_its_kind():
    """Five stories: three named sources agree, a different one-off anonymous source each time
    states a wrong value. Then a story where only a new anonymous source (first) and a new
    named source disagree, one voice each.

    Without kinds both newcomers share one prior: an exact tie, which goes to the earlier
    voice (the anonymous 7). With kinds the anonymous group's prior is learned from five
    anonymous sources that were all outvoted, the named group's from sources that were
    right, so the named newcomer's 9 wins and the anonymous newcomer is rated lower."""
    named = [_art(f"n{i}") for i in range(3)]
    anon = [_art(f"ip{k}") for k in range(5)]
    annie, ned = _art("ip-new"), _art("ned")
    stories = {f"s{k}": [_count(n, 1000 + k) for n in named] + [_count(anon[k], 5 + k)] for k in range(5)}
    stories["t"] = [_count(annie, 7), _count(ned, 9)]
    arts = {a.id: a for a in (*named, *anon, annie, ned)}
    kinds = {a.voice: "anonymous" for a in (*anon, annie)}

    facts, rel = reconcile_all(stories, arts, [])
    t = next(f for f in facts if f.story_id == "t")
    assert t.value == 7
    assert rel["ip-new"].reliability == rel["ned"].reliability

    facts, rel = reconcile_all(stories, arts, [], kinds=kinds)
    t = next(f for f in facts if f.story_id == "t")
    assert t.value == 9 and [v.source for v in t.conflicting] == ["ip-new"]
    assert rel["ip-new"].reliability < 0.5 < rel["ned"].reliability
    # the other stories keep the named consensus either way
    assert all(f.value == 1000 + int(f.story_id[1]) for f in facts if f.story_id != "t")

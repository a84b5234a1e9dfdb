"""What the cluster stage reads of an article (terms, names, anchors, years) and the loops that
score it, on hand-worked cases whose answers are written out here."""

from __future__ import annotations

import math
from collections import Counter

from storyfold.cluster import features as F
from storyfold.cluster import kernels as K


def test_terms_drop_stop_words_and_cut_to_seven_in_first_order():
    got = F.terms("Floods closed the harbour; the harbour reopened, floods")
    assert list(got.items()) == [("floods", 2), ("closed", 1), ("harbour", 2), ("reopene", 1)]


def test_anchors_and_years_by_hand():
    # ', ' between two numbers joins them, as it joins the groups of one number
    assert F.anchors("In 2019, 10,000 (10.000) fled 3 towns; 1.5% said 007.") == {
        "#20191",
        "#1",
        "#15",
        "#007",
    }
    text = "In 2019 there were 10,000 (10.000); 3 towns; 1.5% said 007."
    assert F.anchors(text) == {"#2019", "#1", "#15", "#007"}
    assert F.years(F.anchors(text)) == {"#2019"}
    found = F.extract("", "1999; 2039; 2040; 1899; 199900")
    assert found.anchors == {"#1999", "#2039", "#2040", "#1899"}  # 199900: trailing zeros cut
    assert found.years == {"#1999", "#2039"}  # 1900-2039 only
    # every script's digits are read as their values before the anchors are taken
    assert F.extract("", "٢٠١٩ و ১৯৯৯").years == {"#2019", "#1999"}


def test_thousands_written_every_way_meet():
    """A figure reads the same whatever the language puts between its thousands: a comma, a
    dot, a space, or the no-break, narrow no-break and thin spaces of French, Czech or Russian
    text, so a translation shares the anchor with its original."""
    for sep in (",", ".", " ", "\u00a0", "\u202f", "\u2009"):
        text = f"un budget de 3{sep}200{sep}000 euros"
        assert F.anchors(text) == {"#32"}
        assert F.extract("", text).anchors == {"#32"}


def test_dot_is_correctly_rounded():
    """The classic cases a left-to-right sum gets wrong: 1e16 + 1 + 1e-16 lies just above the
    midpoint of 1e16 and the next double, 1e16 + 2; cancellation; ten tenths."""
    for values, want in (([1e-16, 1.0, 1e16], 1e16 + 2.0), ([1e100, 1.0, -1e100], 1.0), ([0.1] * 10, 1.0)):
        a = {str(i): v for i, v in enumerate(values)}
        assert K.dot(a, dict.fromkeys(a, 1.0)) == want
    assert K.dot({}, {"x": 1.0}) == 0.0
    assert K.dot({"a": 2.0, "b": 3.0}, {"b": 4.0, "c": 9.0}) == 12.0


def test_heaviest_breaks_ties_by_term():
    vec = {"b": 1.0, "a": 1.0, "c": 2.0, "d": 0.5, "ab": 2.0}
    assert K.heaviest(vec, 3) == [("ab", 2.0), ("c", 2.0), ("a", 1.0)]
    assert list(K.top(vec, 10)) == ["ab", "c", "a", "b", "d"]
    assert K.heaviest_sorted(vec, sorted(vec), 3) == dict(K.heaviest(vec, 3))


def test_title_counts_and_their_squares_stay_exact():
    counts = Counter(a=3, b=1)
    sq = K.add_counts(counts, {"a": 2, "c": 5}, 3 * 3 + 1 * 1)
    assert counts == Counter(a=5, b=1, c=5)
    assert sq == 5 * 5 + 1 + 5 * 5  # kept equal to the sum of squared counts
    big = 2**70
    assert K.add_counts(Counter(a=1), {"a": 1}, big) == big + 3  # an int: exact however large
    assert K.cos(Counter(), 0.0, counts, 1.0) == 0.0
    assert K.cos(Counter(a=3, b=4), 5.0, Counter(a=6, b=8, c=0), 10.0) == 1.0  # 50 / (5 * 10)
    assert K.cos(Counter(a=3, b=4), 5.0, Counter(b=5), 5.0) == 20 / 25


def test_set_match_by_hand():
    assert K.set_match({}, 0.0, Counter(a=1), 1, {}, 1.0, 0.0) == (0.0, 0.0)
    assert K.set_match({"a": 4.0}, 2.0, Counter(b=1), 1, {"b": 2.0}, 1.0, 2.0) == (0.0, 0.0)
    # shared "a" only: dot = 4 * 2 / 2 = 4; cos = 4 / (sqrt(17) * 5); core share = 3 / 3
    cos, core = K.set_match({"a": 4.0, "b": 1.0}, math.sqrt(17), Counter(a=2, c=1), 2, {"a": 3.0}, 5.0, 3.0)
    assert math.isclose(cos, 4 / (math.sqrt(17) * 5)) and core == 1.0

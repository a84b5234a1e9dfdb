"""The fast paths of the fold stage compute what the plain definitions do (hand-worked cases)."""

from __future__ import annotations

import zlib

import numpy as np

from storyfold.fold.anchors import anchors, fold
from storyfold.fold.signatures import MinHasher, shingles
from storyfold.fold.translate import sentence_alignment


def test_three_word_shingles_are_the_crc32_of_each_window():
    toks = ["the", "cat", "sat", "on", "the", "mat"]
    expected = {zlib.crc32(w.encode()) for w in ["the cat sat", "cat sat on", "sat on the", "on the mat"]}
    assert shingles(toks, 3) == expected
    assert shingles(["two", "words"], 3) == {zlib.crc32(b"two words")}


def test_batched_paragraph_signatures_equal_one_signature_each():
    hasher = MinHasher(32, seed=11)
    sets = [shingles(p.split(), 3) for p in ["a b c d e f g", "one two three", "x y z x y z w v"]]
    batched = hasher.signatures(sets)
    assert len(batched) == 3
    for sig, sh in zip(batched, sets, strict=True):
        # the minimum over each set of ((a*x + b) mod p) & 0xffffffff, written out per element
        with np.errstate(over="ignore"):
            per = [(hasher.a * np.uint64(x) + hasher.b) % np.uint64((1 << 61) - 1) for x in sh]
        assert (sig == np.min(np.array(per) & np.uint64(0xFFFFFFFF), axis=0)).all()
    # an empty set keeps its all-max signature
    assert (hasher.signatures([set(), {1}])[0] == np.uint64(0xFFFFFFFF)).all()


def test_sentence_alignment_counts_sentences_paired_in_order():
    a = (frozenset("AB"), frozenset("C"), frozenset("D"))
    b = (frozenset("C"), frozenset("AB"), frozenset("D"))
    # pairs AB-AB, C-C, D-D exist, but AB and C are swapped: the longest in-order run is 2 of 3
    assert sentence_alignment(a, b) == 2 / 3
    # keys the other side lacks are ignored, and so are sentences left empty: a becomes
    # ({A}, {D}) and b ({A}, {D}) (C is not in a, B not in a), which pair up in full
    assert sentence_alignment((frozenset("AE"), frozenset("E"), frozenset("D")), b) == 1.0
    # half the smaller sentence shared is a match
    assert sentence_alignment((frozenset("ABXY"),), (frozenset("AB"), frozenset("XY"))) == 1 / 2
    # {A,B,C} / {A,D,E} share one key of three: no match; ABC-BC and DE-ADE match but cross,
    # so one pair of the two sentences a side
    assert (
        sentence_alignment((frozenset("ABC"), frozenset("DE")), (frozenset("ADE"), frozenset("BC"))) == 1 / 2
    )
    # a third sentence F in place on both sides extends either crossing pair by one
    a3 = (frozenset("ABC"), frozenset("DE"), frozenset("F"))
    b3 = (frozenset("ADE"), frozenset("BC"), frozenset("F"))
    assert sentence_alignment(a3, b3) == 2 / 3
    assert sentence_alignment((frozenset("A"),), (frozenset("B"),)) == 0.0


def test_fold_ascii_shortcut_and_accented_words_agree():
    assert fold("Obama") == "obama"
    assert fold("Décennie") == "decennie"
    assert fold("Путин") == "putin"


def test_memoised_word_classes_keep_month_and_name_readings_apart():
    # "May" beside a number is a month, elsewhere a name; asked twice, the memo answers
    for _ in range(2):
        assert anchors("Prices rose on May 5 as Obama spoke.") == ["@m5", "#5", "obama"]
        assert anchors("Yesterday Theresa May spoke.") == ["theresa", "may"]
        assert anchors("Rio-de-Janeiro hosts it.", "pt") == []  # sentence-initial: not a name
    # Hungarian case endings on a month are read only for Hungarian
    assert anchors("Ez októberben volt.", "hu") == ["@m10"]
    assert anchors("Ez októberben volt.", "en") == []

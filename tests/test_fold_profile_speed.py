"""Anchors and translation profiles: hand-worked cases, and the invariants the fast token walk
(`anchors._scanner`, which steps over most words inside the regex engine) must keep on real
documents: it walks the same tokens as the plain tokenizer and never skips a possible anchor."""

from __future__ import annotations

import gzip
import importlib
import json
import random
import re
from itertools import islice
from pathlib import Path

import pytest

from storyfold.fold.anchors import anchor_keys, anchor_spans, anchors, fold
from storyfold.fold.translate import profile

# the module itself: storyfold.fold re-exports its `anchors` function under the module's name
A = importlib.import_module("storyfold.fold.anchors")

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"


# ----------------------------------------------------------------------- hand-worked cases


def test_sentence_initial_capitals_are_skipped_and_mid_sentence_names_kept():
    # "Obama" opens the text and "Then" follows ". ": both start a sentence
    assert anchor_spans("Obama met Putin in Moscow. Then Merkel spoke.") == [
        ("putin", 10),
        ("moscow", 19),
        ("merkel", 32),
    ]
    # a comma does not end a sentence; a line break and an opening quote after a colon do
    assert anchor_spans("In Paris, Obama spoke") == [("paris", 3), ("obama", 10)]
    assert anchor_spans("He said\nObama spoke") == []
    assert anchor_spans('He said: "Obama spoke"') == []
    # a blank at the very start is still the gap before the text's first token
    assert anchor_spans(" Obama spoke") == []


def test_cyrillic_and_greek_names():
    assert anchor_spans("Вчера Путин встретился с Обамой.", "ru") == [("putin", 6), ("obamoi", 25)]
    # Greek is folded (accents off, final sigma as sigma) but not transliterated; its key is
    # the folded name itself, marked with "~"
    assert anchor_spans("Χθες ο Τσίπρας μίλησε.", "el") == [("τσιπρασ", 7)]
    assert anchor_keys(["putin", "obamoi", "τσιπρασ"]) == ["puti", "obam", "~τσιπ"]


def test_numbers_with_separators_meet():
    # 3200000: leading/trailing zeros of a number over 4 digits go, so "#32"
    for sep in (",", " ", NBSP, NNBSP, THIN):
        text = f"It cost 3{sep}200{sep}000 dollars"
        assert anchor_spans(text) == [("#32", 8)], repr(text)
    # a space-separated group must have three digits: "2008 10" is two numbers
    assert anchors("In 2008 10 people left") == ["#2008", "#10"]
    assert anchors("rates of 1.5 and 1,5") == ["#15", "#15"]
    # an hour: "11.00" drops its "00", "5 p.m." is 17
    assert anchor_spans("Doors open at 11.00 sharp") == [("#11", 14)]
    assert anchor_spans("The vote ends at 5 p.m. today.") == [("#17", 17)]
    assert anchors("0 and 00 and 000") == []


def test_superscripts_and_circled_digits_are_no_numbers_and_no_error():
    # "³" and "①" are digits to str.isdigit but not to int(): the hour rule must not call it
    assert anchor_spans("10³ km") == [("#10", 0)]
    assert anchor_spans("x ① y") == []
    assert anchor_spans("at ² pm") == []


def test_months_next_to_a_day():
    assert anchor_spans("Talks began on 29 November in Paris.") == [("#29", 15), ("@m11", 18), ("paris", 30)]
    assert anchors("la réunion du 29 novembre", "fr") == ["#29", "@m11"]
    assert anchors("встреча 29 ноября", "ru") == ["#29", "@m11"]


def test_an_ambiguous_month_word_is_a_month_only_beside_a_number():
    # "May" with no number near is a name, mid-sentence; "Friday" is never one, but a weekday
    assert anchor_spans("On Friday Theresa May met Obama.") == [
        ("@d4", 3),
        ("theresa", 10),
        ("may", 18),
        ("obama", 26),
    ]
    assert anchor_spans("The vote is on May 5.") == [("@m5", 15), ("#5", 19)]
    assert anchors("prices may rise") == []


def test_hungarian_months_with_case_endings():
    assert anchor_spans("A szavazás októberben volt.", "hu") == [("@m10", 11)]
    assert anchor_spans("A szavazás októberben volt.", "en") == []
    assert anchors("Ez decemberében történt.", "hu") == ["@m12"]
    # a month counts even at the start of a sentence
    assert anchor_spans("Májusban esett.", "hu") == [("@m5", 0)]


def test_profile_groups_anchor_keys_per_sentence():
    text = "Talks in Paris went on. Later Obama and Putin met in Paris on 5 May.\n\nNo comment."
    p = profile(text, "en")
    # anchors: paris@9, obama@30, putin@40, paris@53, #5@62, May@64 (a month: "5 " before it)
    assert p.lang == "en" and p.length == 81 and p.paragraphs == 2 and p.embedding is None
    assert p.keys == ("pari", "obam", "puti", "pari", "#5", "@m5")
    assert p.positions == (9 / 81, 30 / 81, 40 / 81, 53 / 81, 62 / 81, 64 / 81)
    assert p.sentences == (("pari",), ("#5", "@m5", "obam", "pari", "puti"))  # distinct keys, sorted
    assert p.where == {
        "pari": (9 / 81, 53 / 81),
        "obam": (30 / 81,),
        "puti": (40 / 81,),
        "#5": (62 / 81,),
        "@m5": (64 / 81,),
    }
    # sentences with no anchor leave no empty set behind
    assert profile("No news. None at all.\nObama\n", "en").sentences == ()
    assert profile("", "en").keys == () and profile("", "en").length == 0


# ------------------------------------------------------------------ invariants on real data


def _docs(data: Path) -> list[tuple[str, str]]:
    """ECB+ (title + text) and every 10th WMT, MEANTIME and NTREX document, with its language."""
    out = []
    for path, stride in (
        (data / "events" / "ecbplus_docs.jsonl.gz", 1),
        (data / "translations" / "wmt_docs.jsonl.gz", 10),
        (data / "translations" / "meantime_docs.jsonl.gz", 10),
        (data / "translations" / "ntrex_dev.jsonl.gz", 10),
    ):
        with gzip.open(path, "rt", encoding="utf-8") as f:
            for line in islice(f, 0, None, stride):
                d = json.loads(line)
                title = d.get("title") or ""
                out.append(((title + "\n\n" if title else "") + d["text"], d.get("lang") or "en"))
    return out


@pytest.fixture(scope="module")
def docs(shared_data: Path) -> list[tuple[str, str]]:
    return _docs(shared_data)


def test_the_walk_stops_on_plain_tokens_and_skips_only_what_is_no_anchor(docs):
    for text, lang in docs:
        tokens = {m.start(): m.end() for m in A._token().finditer(text)}
        stops = set()
        for m in A._scanner().finditer(text):
            group = 2 if m[2] is not None else 3 if m[3] is not None else None
            if group is None:
                assert m.end() == len(text)  # only the walk's end matches no token
                continue
            assert tokens.get(m.start(group)) == m.end(group), (text[m.start(group) : m.end(group)], lang)
            stops.add(m.start(group))
        for start, end in tokens.items():
            tok = text[start:end]
            if start not in stops:
                for hungarian in (False, True):
                    assert A._classify(tok, hungarian) is A._SKIP, (tok, lang)


def test_anchor_offsets_point_at_their_tokens(docs):
    for text, lang in docs:
        tokens = {m.start(): m.group() for m in A._token().finditer(text)}
        spans = anchor_spans(text, lang)
        starts = [s for _, s in spans]
        assert starts == sorted(starts)
        for anchor, start in spans:
            tok = tokens[start]  # every anchor starts where a token does
            word = fold(tok.rstrip("'’").removesuffix("'s").removesuffix("’s"))
            if anchor[0] == "#":
                assert tok[0].isdigit() and anchor[1:].isdigit()
            elif anchor.startswith("@m"):
                month = int(anchor[2:])
                assert A._MONTHS.get(word) == month or (lang == "hu" and A._hungarian_month(word) == month)
            elif anchor.startswith("@d"):
                assert A._weekday(word) == int(anchor[2:]), (anchor, tok)
            else:
                # a name anchor is the fold of one capitalised part of its token
                assert anchor in word.split("-") and tok[0].isupper(), (anchor, tok)


def test_profiles_of_real_documents_are_consistent(docs):
    for text, lang in docs[::3]:
        p = profile(text, lang)
        spans = anchor_spans(text, lang)
        if all(a.startswith("@d") for a, _ in spans):
            spans = []  # weekdays alone make no profile
        assert p.keys == tuple(anchor_keys([a for a, _ in spans]))
        assert p.positions == tuple(s / max(1, len(text)) for _, s in spans)
        assert list(p.positions) == sorted(p.positions) and all(0 <= x < 1 for x in p.positions)
        assert p.length == len(text)
        assert p.paragraphs == len([b for b in text.split("\n\n") if b.strip()])
        # where: each key's positions, in text order, keys in order of first appearance
        assert list(p.where) == list(dict.fromkeys(p.keys))
        for key, positions in p.where.items():
            assert positions == tuple(x for k, x in zip(p.keys, p.positions, strict=True) if k == key)
        # sentences: disjoint slices of the anchors, in order, together all of them
        assert set().union(*p.sentences) == set(p.keys)
        assert all(p.sentences) and len(p.sentences) <= len(p.keys)


# ---------------------------------------------------------------- the character survey


def test_the_bulk_fold_of_every_bmp_token_character_is_fold():
    chars, folds = A._bmp_folds()
    assert len(chars) == len(folds) > 40_000
    assert all(fold.__wrapped__(c) == f for c, f in zip(chars, folds, strict=True))


def test_fold_of_two_characters_is_their_folds_joined():
    # what lets the walk judge a word from its first characters' folds alone
    chars, _ = A._bmp_folds()
    rng = random.Random(5)
    ascii_like = [c for c in chars if fold(c)[:1].isascii()]
    for _ in range(20_000):
        a, b = rng.choice(ascii_like), rng.choice(chars if rng.random() < 0.5 else ascii_like)
        assert fold.__wrapped__(a + b) == fold.__wrapped__(a) + fold.__wrapped__(b), (a, b)


def test_gap_and_word_classes_are_the_plain_ones():
    for plain, spelled in (("[\\w'’-]", A._WORD_CHARS), ("[\\W_]", A._GAP_CHARS)):
        p, s = re.compile(plain), re.compile(spelled)
        assert all(bool(p.match(c)) == bool(s.match(c)) for c in map(chr, range(0x110000)))

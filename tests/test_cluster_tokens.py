"""The C scans (`storyfold.cluster._tokens`) give what the Python reference in features.py
gives: the same term counts in the same order, the same name sets and the same anchor and year
sets, on every ECB+ and WMT article (eight languages, Cyrillic included), on every code point, on
random strings of the characters the rules care about and on hand-made edge cases; and without
the extension, features.terms/names/anchors/extract still run on the pure-Python path."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from collections import Counter

import pytest

from storyfold.cluster import features as F
from storyfold_eval.datasets import ecbplus, wmt

_C = F._tokens


@pytest.fixture
def fresh_memos(monkeypatch):
    """Empty memos, so that the C side meets every word as a miss first."""
    monkeypatch.setattr(F, "_TERM", {})
    monkeypatch.setattr(F, "_NAME_FORM", {})


def _both(text: str, monkeypatch) -> tuple[tuple, tuple, dict, dict]:
    """(C terms items, C names) and (Python ...), each side from its own empty memos; the
    memos they leave behind too (they must hold the same words and forms)."""
    out, memos = [], []
    for use_c in (True, False):
        monkeypatch.setattr(F, "_TERM", {})
        monkeypatch.setattr(F, "_NAME_FORM", {})
        monkeypatch.setattr(F, "_tokens", _C if use_c else None)
        t, n = F.terms(text), F.names(text)
        assert type(t) is Counter and type(n) is set
        out.append((list(t.items()), n))
        memos.append((F._TERM, F._NAME_FORM))
    return out[0], out[1], memos[0], memos[1]


def _same(text: str, monkeypatch) -> None:
    c, py, cm, pym = _both(text, monkeypatch)
    assert c[0] == py[0]  # the same (term, count) items in the same order
    assert c[1] == py[1]
    assert cm[0] == pym[0] and cm[1] == pym[1]


def _texts(shared_data) -> list[str]:
    arts = [g.article for g in ecbplus(shared_data)] + [g.article for g in wmt(shared_data)]
    return [a.title for a in arts] + [f"{a.title}\n\n{a.text}" for a in arts]


def test_real_articles_give_the_same_terms_and_names(tokens, shared_data, monkeypatch):
    texts = _texts(shared_data)
    assert any(re.search("[А-Яа-яЁё]", t) for t in texts)  # Cyrillic is in there
    c_terms, c_names, py_terms, py_names = [], [], [], []
    for side, terms, names in ((tokens, c_terms, c_names), (None, py_terms, py_names)):
        monkeypatch.setattr(F, "_tokens", side)
        monkeypatch.setattr(F, "_TERM", {})
        monkeypatch.setattr(F, "_NAME_FORM", {})
        for t in texts:
            terms.append(list(F.terms(t).items()))
            names.append(F.names(t))
    for i, t in enumerate(texts):
        assert c_terms[i] == py_terms[i], t[:200]
        assert c_names[i] == py_names[i], t[:200]
    assert sum(map(len, c_names)) > 10_000 and sum(map(len, c_terms)) > 100_000


def test_the_memos_are_read_and_filled_as_before(tokens, shared_data, monkeypatch):
    """A warm memo gives what a cold one does, and both sides leave the same memo behind."""
    texts = _texts(shared_data)[-300:]
    runs = []
    for side in (tokens, None):
        monkeypatch.setattr(F, "_tokens", side)
        monkeypatch.setattr(F, "_TERM", {})
        monkeypatch.setattr(F, "_NAME_FORM", {})
        cold = [(list(F.terms(t).items()), F.names(t)) for t in texts]
        assert [(list(F.terms(t).items()), F.names(t)) for t in texts] == cold
        runs.append((cold, F._TERM, F._NAME_FORM))
    assert runs[0] == runs[1]


EDGE_CASES = [
    "",
    " ",
    "a",
    "Abc",  # a name at the very start of the text
    "x Abc",  # ... and at its very end
    "x Ab",  # the capital and only one more: not a name
    "x Abc.Def Ghi",  # a capital right after '.'
    "x.Abc y",
    'he said "Berlin" and \'Paris\' and “Wien” and «Москва» and (Roma) and ("Madrid")',
    'x "Berlin',  # a quote, then the text start: nothing left before it
    ' "Berlin',
    "End. Berlin! Paris? Wien: Rom\nMadrid",  # sentence ends before each
    "End.  Berlin",  # two spaces: still the '.' once they are stripped
    "x ..Berlin a. Berlin ab. Berlin abc. Berlin",
    "O'Neil met d'Artagnan-Smith and O’Brien and Jean-Pierre and Ab'' and Ab-’-",
    "x A'b x Ab'c x A''",
    "x ABC ABCD Abc1 A1b A_b A__ x_Abc _Abc 1Abc",  # digits and '_' are word characters
    "2019 10,000 1st 3rd _ __ ___ a_b_c 123_456 ٣٤٥ ²³⁴ ½½½ ⅫⅫⅫ",  # all kinds of digits
    "Straße STRASSE straße Größe ﬁnance ﬂoß İstanbul ǅemal",  # casefold changes the words
    "x ÀÖØÞ ×Abc ÷Abc Ödön Þór Øre Ïle ßab",
    "«Ёлка» и Ёж, Путин сказал: Москва; Жизнь — ЁЁЁ ёёё",
    "x 𝐀bc 𝐀𝐁𝐂 a\U0001f600b emoji\U0001f600 text",  # 4-byte characters
    "café\u0301 cafe\u0301s x E\u0301mile",  # a combining mark is not a word character
    "the and was The And Was x The",  # stop words
    "tab\tAbc\rDef\x0bGhi\x0cJkl\u2028Mno\u00a0Pqr",
    "\n\n\nAbc\n\nx Def\n",
    "x Abcdefghijklmnopqrstuvwxyz Abcdefg Abcdefgh",  # cut to 7
    "x Ab'’-'’ x Abc''''",  # forms stripped of quotes and dashes
]


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases(tokens, text, monkeypatch):
    _same(text, monkeypatch)


def test_a_megabyte(tokens, monkeypatch):
    rng = random.Random(7)
    words = [
        "Berlin",
        "said",
        "the",
        ".",
        "Москва:",
        "«Ёж»",
        "O’Neil",
        "10,000",
        "straße",
        "_x_",
        "A1",
        "\n",
        "Jean-Pierre",
    ]
    text = " ".join(rng.choice(words) for _ in range(200_000))
    assert len(text) > 1_000_000
    _same(text, monkeypatch)
    _same("x" * 1_000_000, monkeypatch)
    _same("x " + "A" * 1_000_000, monkeypatch)


def _ident(w: str) -> str:
    return w


def _words_c(text: str) -> list[str]:
    memo: dict[str, str] = {}
    _C.terms(text, memo, _ident, {})
    return list(memo)


def test_every_code_point_splits_as_re_does(tokens):
    """The word class is Python re's on every code point (the memo keys are the words met, in
    order): one text of all code points, and each code point between two letters."""
    every = "".join(map(chr, range(0x110000)))
    assert _words_c(every) == list(dict.fromkeys(F._WORD.findall(every)))
    between = "".join(f"a{chr(c)}b " for c in range(0x110000))
    assert _words_c(between) == list(dict.fromkeys(F._WORD.findall(between)))


def test_every_code_point_as_a_name_start_and_tail(tokens):
    """Each code point as the capital, after it, and before the capital, against F._NAME."""
    for fmt in (" {}bc", " A{}c", "x{}Abc ", "x.{}Abc "):
        text = "".join(fmt.format(chr(c)) for c in range(0x110000))
        memo: dict[str, str] = {}
        tokens.names(text, memo, _ident)
        assert list(memo) == list(dict.fromkeys(m.group(1) for m in F._NAME.finditer(text))), fmt


def test_random_strings_of_the_characters_that_matter(tokens, word_hash, monkeypatch):
    rng = random.Random(2024)
    alphabet = list("AaBbÉéЁёЖж.  \"'’-“«(\n:!?1_ßx×Ø") + ["the ", "Berlin", "Ab"]
    for _ in range(3000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 40)))
        _same(text, monkeypatch)


def test_names_by_hand_on_the_c_path(tokens):
    text = 'Police said. "Berlin officials met Müller: Today in Moskau Москва, said Jean-Pierre Dupont.'
    assert F.names(text) == {"muller", "moskau", "moskva", "jean-pi", "dupont"}
    assert F.names("U.S.Army and the Navy") == {"navy"}
    assert list(F.terms("Floods closed the harbour; the harbour reopened, floods").items()) == [
        ("floods", 2),
        ("closed", 1),
        ("harbour", 2),
        ("reopene", 1),
    ]


def test_memo_values_and_fallback_results_as_python_treats_them(tokens):
    """Falsy values are dropped; names() reads a stored None as a miss (memo.get), terms() as a
    dropped word (memo[word]); a non-str term is counted like any key."""
    memo = {"abc": None, "xyz": 0, "pqr": ("t",)}
    counts: dict = {}
    tokens.terms("abc xyz pqr pqr new", memo, lambda w: w.upper(), counts)
    assert list(counts.items()) == [(("t",), 2), ("NEW", 1)]
    assert memo == {"abc": None, "xyz": 0, "pqr": ("t",), "new": "NEW"}
    nm = {"Abc": None, "Def": ""}
    assert tokens.names("x Abc Def Ghi", nm, str.lower) == {"abc", "ghi"}
    assert nm == {"Abc": "abc", "Def": "", "Ghi": "ghi"}
    counts = {"abc": 5}
    tokens.terms("abc", {}, _ident, counts)
    assert counts == {"abc": 6}


def test_errors_propagate(tokens):
    def boom(w):
        raise ValueError(w)

    with pytest.raises(ValueError, match="abc"):
        tokens.terms("abc", {}, boom, {})
    with pytest.raises(ValueError, match="Abc"):
        tokens.names("x Abc", {}, boom)
    with pytest.raises(TypeError):
        tokens.names("x Abc Def", {}, lambda w: [w])  # an unhashable form: `w in out` raises
    with pytest.raises(TypeError):
        tokens.terms("abc", {}, lambda w: [w], {})
    with pytest.raises(TypeError):
        tokens.terms(b"abc", {}, _ident, {})
    with pytest.raises(TypeError):
        tokens.terms("abc", [], _ident, {})
    with pytest.raises(TypeError):
        tokens.names("abc", {})


def test_a_full_memo_is_cleared_on_the_c_path(tokens, monkeypatch):
    monkeypatch.setattr(F, "_MEMO_MAX", 2)
    monkeypatch.setattr(F, "_TERM", {"a1": "", "b2": "", "c3": ""})
    monkeypatch.setattr(F, "_NAME_FORM", {"A1": "", "B2": "", "C3": ""})
    assert F.terms("harbour") == {"harbour": 1} and F._TERM == {"harbour": "harbour"}
    assert F.names("x Berlin") == {"berlin"} and F._NAME_FORM == {"Berlin": "berlin"}


def test_without_the_extension_the_python_path_runs(fresh_memos, monkeypatch):
    monkeypatch.setattr(F, "_tokens", None)
    text = 'Police said. "Berlin officials met Müller: Today in Москва, said Jean-Pierre Dupont.'
    assert F.names(text) == F._names_py(text) == {"muller", "moskva", "jean-pi", "dupont"}
    assert list(F.terms(text).items()) == list(F._terms_py(text).items())
    assert F.terms("Floods closed, floods") == Counter({"floods": 2, "closed": 1})


def test_a_failed_import_falls_back_to_python():
    """As on a machine without a compiler: the import of _tokens fails, features still works."""
    code = (
        "import sys; sys.modules['storyfold.cluster._tokens'] = None\n"
        "from storyfold.cluster import features as F\n"
        "assert F._tokens is None\n"
        "assert F.names('x Berlin und Wien') == {'berlin', 'wien'}\n"
        "assert list(F.terms('Floods closed, floods').items()) == [('floods', 2), ('closed', 1)]\n"
        "assert F.anchors('In 2019 fled 10,000') == {'#2019', '#1'}\n"
        "assert F.extract('x', 'In 2019 fled 10,000').years == frozenset({'#2019'})\n"
        "print('ok')\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode == 0 and r.stdout == "ok\n", r.stderr


# --- the table of words met before (C only: it hands back an equal str, never a different result)


@pytest.fixture(params=["full hash", "2-bit hash"])
def word_hash(request, tokens):
    """The table as it runs, and with 2-bit hashes: then unequal words collide all the time, and
    only their code points (length, width, each character) tell them apart."""
    old = tokens._hash_mask((1 << 64) - 1 if request.param == "full hash" else 3)
    yield request.param
    tokens._hash_mask(old)


def test_words_met_before_in_texts_of_every_width(tokens, word_hash, monkeypatch):
    """The same word in texts stored 1, 2 and 4 bytes a character (the table keeps the word in
    its own narrowest form): each text alone, after the others, and after a cleared table."""
    widths = ["", "é ", "ж ", "\U0001f600 ", "ё\U0001f600 "]
    words = ["Berlin", "Café", "Žižek", "Москва", "O’Neil", "Ab\U0001d400c", "Straße", "ﬁnance", "İstanbul"]
    texts = [f"{w}x said {' '.join(words)} and {w}x {' '.join(words)}." for w in widths]
    texts += [f"x {a} {b}" for a in words for b in words]
    for order in (texts, texts[::-1], texts):
        tokens._clear_words()
        for t in order:
            _same(t, monkeypatch)
    for t in texts:  # a warm table, and a cold one before each text
        _same(t, monkeypatch)
        tokens._clear_words()
        _same(t, monkeypatch)


def test_more_words_than_the_table_holds(tokens, monkeypatch):
    """Past its size the table is emptied and filled again: the results do not change."""
    rng = random.Random(5)
    tokens._clear_words()
    words = [f"W{i}x{rng.choice('abcdé')}" for i in range(45_000)]  # each one name, one term
    text = " ".join(words) + " " + " ".join(rng.sample(words, 20_000))
    _same(text, monkeypatch)
    _same(text, monkeypatch)
    assert 0 < tokens._clear_words() < 45_000  # 90,000 words went in: it was emptied once
    assert tokens._clear_words() == 0


def test_words_alike_but_not_equal(tokens, word_hash, monkeypatch):
    """Same length, same letters in another order, a prefix, one code point apart, in another
    width: each its own word."""
    tokens._clear_words()
    base = ["Abcd", "Abdc", "Abc", "Abcde", "Abce", "Àbcd", "Ábcd", "Аbcd", "Ab\u0441d", "Ab\U00010400d"]
    base += ["Ab\u0163d", "\u0141bcd", "Ab\U00010063d"]  # 'ţ', 'Ł', U+10063: a letter's low byte
    for _ in range(3):
        for text in ("x " + " x ".join(base), "x " + " x ".join(reversed(base)), "ж " + " x ".join(base)):
            _same(text, monkeypatch)
            c = dict(_C_terms(text))
            assert c == dict(F._terms_py(text))
    rng = random.Random(9)
    for _ in range(3000):
        text = " ".join(
            "A"
            + "".join(
                rng.choice("abc\u00e9\u0431\u0163\U00010400\U00010063") for _ in range(rng.randrange(2, 5))
            )
            for _ in range(6)
        )
        _same(text, monkeypatch)


def _C_terms(text: str) -> Counter:
    out: Counter = Counter()
    _C.terms(text.casefold(), {}, F._term_of, out)
    return out


# --- anchors: numbers with their separators stripped, and the years among them ---------------


def _anchors_both(text: str) -> tuple[set, frozenset]:
    """(C anchors, C years), checked against (F._anchors_py, F.years of it) on the spot."""
    an, yr = _C.anchors(text)
    assert type(an) is set and type(yr) is frozenset
    py = F._anchors_py(text)
    assert an == py, text[:200]
    assert yr == F.years(py), text[:200]
    return an, yr


def test_real_articles_give_the_same_anchors_and_years(tokens, shared_data):
    texts = _texts(shared_data)
    got = [_anchors_both(t) for t in texts]
    assert sum(len(a) for a, _ in got) > 20_000 and sum(len(y) for _, y in got) > 2_000


def test_extract_gives_the_same_features_with_and_without_c(tokens, shared_data, monkeypatch):
    arts = [g.article for g in ecbplus(shared_data)] + [g.article for g in wmt(shared_data)][::7]
    runs = []
    for side in (tokens, None):
        monkeypatch.setattr(F, "_tokens", side)
        monkeypatch.setattr(F, "_TERM", {})
        monkeypatch.setattr(F, "_NAME_FORM", {})
        runs.append([F.extract(a.title, a.text) for a in arts])
    assert runs[0] == runs[1]
    assert all(type(d.anchors) is set and type(d.years) is frozenset for d in runs[0])
    assert F.anchors("in 1999 and 10 000") == F._anchors_py("in 1999 and 10 000") == {"#1999", "#1"}


ANCHOR_CASES = [
    "",
    "1",
    "12",
    "0",
    "00",
    "0000",
    "00000",
    "0.0,0 0",  # only zeros: dropped however they are separated
    "007 0070 00700 007000",  # leading zeros kept, trailing cut only past 4 digits
    "10 100 1000 10000 100000 12340 123400",
    "10,000 10.000 10 000 10\u00a0000 10\u202f000 10\u2009000",  # only '.', ',' and ' ' join
    "1.000.000 1,000,000.50 3.14 3,14",
    "2024- -2024 2024. 2024, .2024 ,2024 2024..",  # trailing and leading separators
    "1 2 1, 2, 1. 2. 1 . 2 1  2 1,,..  2",  # a separator run between digits joins them
    "1 a 2 1a2 1-2 1/2 1:2 1_2 1#2",
    "12 ",
    " 12",
    "9 ",
    "1999 2000 2039 2040 1899 1900 2100 199 19999 199900 20300 2039000",  # years, and near misses
    "19٩٩ 20٣٩ 20٤٠ ١٩٩٩ ٢٠٢٠ 2٠2٠ 19９９ ２０２０ 19𝟗𝟗 19०१",  # Unicode digits in a year
    "٠٠ ٠٠٠٠٠ 1٠٠٠٠ 10000٠ ٠1 ١٢٣٤٥٠٠",  # a non-ASCII zero is not '0': never stripped
    "²³ ¹² ½ Ⅻ ①② ⁰⁰ 𝟘𝟙",  # digits that are not decimal digits, and some that are
    "#12 ##1999 #",
    "x" * 50 + "1",
    "1" + "x" * 50,
    "1 " * 40,
    "0 " * 40 + "1",
    "1" + " ." * 30,
]


@pytest.mark.parametrize("text", ANCHOR_CASES)
def test_anchor_edge_cases(tokens, text):
    _anchors_both(text)


def test_anchors_by_hand(tokens):
    assert _anchors_both("In 2019, 10,000 (10.000) fled 3 towns; 1.5% said 007.") == (
        {"#20191", "#1", "#15", "#007"},  # '2019, 10,000': ', ' joins them, as in the regex
        frozenset(),
    )
    assert _anchors_both("In 2019 there were 10,000 (10.000); 3 towns; 1.5% said 007.") == (
        {"#2019", "#1", "#15", "#007"},
        frozenset({"#2019"}),
    )
    assert _anchors_both("1999 2039 2040 19٩٩ 20٣٩ ١٩٩٩ 199900")[0] == {
        "#19992039204019٩٩20٣٩١٩٩٩1999"  # spaces join numbers, as the regex does
    }
    assert _anchors_both("1999; 2039; 2040; 19٩٩; 20٣٩; ١٩٩٩; 199900") == (
        {"#1999", "#2039", "#2040", "#19٩٩", "#20٣٩", "#١٩٩٩"},
        frozenset({"#1999", "#2039", "#19٩٩"}),
    )


def test_anchors_of_a_megabyte(tokens):
    rng = random.Random(11)
    parts = ["1999", "10,000", " ", ".", "x", "0", "٣", "2024-", "\n", "007", "1.000.000", "a b"]
    text = "".join(rng.choice(parts) for _ in range(350_000))
    assert len(text) > 1_000_000
    _anchors_both(text)
    for big in (
        "1 " * 500_000,
        "1" * 1_000_000,
        "0" * 1_000_000 + "1",
        "1" + "0" * 1_000_000,
        "١" * 1_000_000,
    ):
        an, _ = _anchors_both(big)
        assert len(an) == 1
    _anchors_both("x" * 1_000_000)
    _anchors_both("9 " * 500_000 + "x")


def test_every_code_point_as_digit_separator_and_neighbour(tokens):
    """Each code point in each place the rules look at, one text per place: the anchor sets
    name the code point (a digit shows in its anchor), so a wrong class shows as a wrong set."""
    every = [chr(c) for c in range(0x110000)]
    digits = [c for c in every if F._NUM.match(c)]
    assert len(digits) > 600 and "²" not in digits and "٣" in digits
    for fmt, chars in (
        ("{0}{0}x", every),  # a digit? (two of them make an anchor)
        ("1{0}2x", every),  # a separator ('#12' for '.', ',', ' ') or a digit ('#1c2')?
        ("19{0}{0}x", every),  # a year digit: 19\d\d
        ("20{0}9x", every),  # 20[0-3]\d: only the ASCII 0-3
        ("{0}1x", digits),  # and the decimal digits alone, each anchor its own
        ("1{0}x", digits),
        ("1{0}{0}{0}{0}x", digits),  # five digits: trailing '0's cut, and only the ASCII '0'
        ("{0}0000x", digits),
        ("{0}", digits),  # one run of every digit
    ):
        _anchors_both("".join(fmt.format(c) for c in chars))


def test_random_strings_of_digits_and_separators(tokens):
    rng = random.Random(2026)
    alphabet = list("01234567890000٠١٢٣٤٥٦٧٨٩०१९０９𝟎𝟗.,  \u00a0\u202f\u2009ab-#²½\n")
    for _ in range(20_000):
        _anchors_both("".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30))))
    ascii_only = list("0123456789000., ax")
    for _ in range(20_000):
        _anchors_both("".join(rng.choice(ascii_only) for _ in range(rng.randrange(0, 12))))


def test_anchors_errors(tokens):
    with pytest.raises(TypeError):
        tokens.anchors(b"1999")
    with pytest.raises(TypeError):
        tokens.anchors(None)
    with pytest.raises(TypeError):
        tokens.anchors()


def test_thousands_written_every_way_meet():
    """A figure reads the same whatever the language puts between its thousands: a comma, a
    dot, a space, or the no-break, narrow no-break and thin spaces of French, Czech or Russian
    text (so a translation shares the anchor with its original), on both paths."""
    for sep in (",", ".", " ", "\u00a0", "\u202f", "\u2009"):
        text = f"un budget de 3{sep}200{sep}000 euros"
        assert F.anchors(text) == F._anchors_py(text) == {"#32"}
        assert F.extract("", text).anchors == {"#32"}

"""`fingerprints` (one article's keys for duplicate and partial-copy detection): hand-worked cases,
agreement with the plain definitions (`words`, `shingles`, `shingle_array`, `MinHasher`) on tricky
and long texts, and properties that must hold on real articles."""

from __future__ import annotations

import gzip
import hashlib
import json
import random
import unicodedata
import zlib
from concurrent.futures import ThreadPoolExecutor
from itertools import islice
from pathlib import Path

import numpy as np
import pytest

from storyfold.fold.signatures import Fingerprints, MinHasher, fingerprints, shingle_array, shingles, words

P = (1 << 61) - 1
MASK = 0xFFFFFFFF
DOC = MinHasher(64, seed=7)  # the document's permutations
PARAGRAPH = MinHasher(32, seed=11)  # each paragraph's


def crc(window: str) -> int:
    return zlib.crc32(window.encode("utf-8"))


def minhash_by_hand(hasher: MinHasher, hashes: list[int]) -> list[int]:
    """MinHasher's definition in Python integers: per permutation, the least
    ((a*x + b) mod 2^64 mod p) & 0xffffffff (a*x + b wraps at 2^64 in uint64); all ones if empty."""
    if not hashes:
        return [MASK] * hasher.num_perm
    ab = zip(hasher.a.tolist(), hasher.b.tolist(), strict=True)
    return [min(((a * x + b) % (1 << 64)) % P & MASK for x in hashes) for a, b in ab]


def composed(text: str, title: str = "", min_words: int = 15) -> Fingerprints:
    """What `fingerprints` must return, composed from the public functions as its fields are
    defined: the paragraphs are the stripped, non-empty "\\n\\n" blocks of >= min_words words."""
    toks = words(text)
    key = toks or words(title)
    blocks = [b for b in (s.strip() for s in text.split("\n\n")) if b]
    sets = [shingles(words(b)) for b in blocks if len(words(b)) >= min_words]
    doc = shingles(toks)
    return Fingerprints(
        hashlib.sha1(" ".join(key).encode()).hexdigest() if key else "",
        shingle_array(doc),
        DOC.signature(doc),
        tuple(shingle_array(s) for s in sets),
        tuple(PARAGRAPH.signature(s) for s in sets),
    )


def assert_same(got: Fingerprints, want: Fingerprints) -> None:
    assert got.exact_key == want.exact_key
    for name in ("doc", "doc_sig"):
        g, w = getattr(got, name), getattr(want, name)
        assert g.dtype == w.dtype and g.shape == w.shape and np.array_equal(g, w), name
    for name in ("paragraphs", "paragraph_sigs"):
        gs, ws = getattr(got, name), getattr(want, name)
        assert isinstance(gs, tuple) and len(gs) == len(ws), name
        for g, w in zip(gs, ws, strict=True):
            assert g.dtype == w.dtype and g.shape == w.shape and np.array_equal(g, w), name


def as_uint32(hashes: list[int]) -> np.ndarray:
    return np.array(sorted(set(hashes)), dtype=np.uint32)


# --------------------------------------------------------------------------- hand-worked cases


def test_document_shingles_are_the_crc32_of_each_three_word_window():
    fp = fingerprints("The cat sat on the mat.", min_words=3)
    windows = [crc("the cat sat"), crc("cat sat on"), crc("sat on the"), crc("on the mat")]
    assert fp.exact_key == hashlib.sha1(b"the cat sat on the mat").hexdigest()
    assert fp.doc.dtype == np.uint32 and fp.doc.tolist() == sorted(windows)
    assert fp.doc_sig.dtype == np.uint64 and fp.doc_sig.tolist() == minhash_by_hand(DOC, windows)
    # one block of 6 words: it is a paragraph too, hashed with the paragraph permutations
    assert [p.tolist() for p in fp.paragraphs] == [sorted(windows)]
    assert fp.paragraph_sigs[0].dtype == np.uint64
    assert fp.paragraph_sigs[0].tolist() == minhash_by_hand(PARAGRAPH, windows)


def test_repeated_windows_count_once():
    fp = fingerprints("to be or not to be or not", min_words=3)
    assert fp.doc.tolist() == sorted({crc("to be or"), crc("be or not"), crc("or not to"), crc("not to be")})


def test_a_paragraph_under_min_words_is_not_indexed_but_its_words_are_in_the_document():
    fifteen = " ".join(f"w{i}" for i in range(15))
    fourteen = " ".join(f"v{i}" for i in range(14))
    fp = fingerprints(f"{fifteen}\n\n{fourteen}")
    assert len(fp.paragraphs) == len(fp.paragraph_sigs) == 1
    first = [crc(f"w{i} w{i + 1} w{i + 2}") for i in range(13)]
    assert fp.paragraphs[0].tolist() == sorted(first)
    second = [crc(f"v{i} v{i + 1} v{i + 2}") for i in range(12)]
    across = [crc("w13 w14 v0"), crc("w14 v0 v1")]
    assert fp.doc.tolist() == sorted(first + across + second)
    assert fp.paragraph_sigs[0].tolist() == minhash_by_hand(PARAGRAPH, first)
    # at exactly min_words the second block is a paragraph as well
    assert len(fingerprints(f"{fifteen}\n\n{fourteen} v14").paragraphs) == 2


def test_windows_across_a_paragraph_break_are_the_documents_only():
    fp = fingerprints("one two three\n\nfour five six", min_words=3)
    whole = ["one two three", "two three four", "three four five", "four five six"]
    assert fp.doc.tolist() == sorted(map(crc, whole))
    assert [p.tolist() for p in fp.paragraphs] == [[crc("one two three")], [crc("four five six")]]
    # blank blocks in between change nothing; "\r\n\r\n" is not a paragraph break
    assert_same(fingerprints("one two three\n\n \n\n\n\nfour five six", min_words=3), fp)
    assert len(fingerprints("one two three\r\n\r\nfour five six", min_words=3).paragraphs) == 1


def test_fewer_than_three_words_are_one_shingle():
    fp = fingerprints("Hello, world!", min_words=1)
    assert fp.doc.tolist() == [crc("hello world")]
    assert [p.tolist() for p in fp.paragraphs] == [[crc("hello world")]]


def test_a_headline_only_article_is_keyed_by_its_title():
    for body in ("", "   \n\n  ", "— …"):
        fp = fingerprints(body, "Quake hits Tokyo")
        assert fp.exact_key == hashlib.sha1(b"quake hits tokyo").hexdigest()
        assert fp.doc.dtype == np.uint32 and fp.doc.shape == (0,)
        assert fp.doc_sig.dtype == np.uint64 and fp.doc_sig.tolist() == [MASK] * 64
        assert fp.paragraphs == () and fp.paragraph_sigs == ()
    # a body, however short, is the key: the title is not used
    assert fingerprints("Aftershock", "Quake hits Tokyo").exact_key == hashlib.sha1(b"aftershock").hexdigest()


def test_an_empty_article():
    fp = fingerprints("", "")
    assert fp.exact_key == ""
    assert fp.doc.dtype == np.uint32 and fp.doc.shape == (0,)
    assert fp.doc_sig.tolist() == [MASK] * 64 and fp.paragraphs == () and fp.paragraph_sigs == ()


def test_chinese_without_spaces_is_split_at_punctuation_only():
    fp = fingerprints("中国队赢了，比赛很精彩。", min_words=1)
    # `\w` runs: two words, so the whole list is the one shingle
    assert fp.exact_key == hashlib.sha1("中国队赢了 比赛很精彩".encode()).hexdigest()
    assert fp.doc.tolist() == [crc("中国队赢了 比赛很精彩")]


def test_thai_vowel_signs_separate_words():
    # U+0E31 and U+0E35 are non-spacing marks of combining class 0: NFKD keeps them and `\w` does
    # not match them, so they split "สวัสดีครับ" into สว / สด / คร / บ
    fp = fingerprints("สวัสดีครับ", min_words=1)
    assert fp.exact_key == hashlib.sha1("สว สด คร บ".encode()).hexdigest()
    assert fp.doc.tolist() == sorted([crc("สว สด คร"), crc("สด คร บ")])


def test_arabic_diacritics_and_latin_accents_are_folded():
    voweled = fingerprints("اللُّغَةُ العَرَبِيَّةُ جَمِيلَةٌ", min_words=1)
    assert voweled.doc.tolist() == [crc("اللغة العربية جميلة")]
    assert_same(voweled, fingerprints("اللغة العربية جميلة", min_words=1))
    latin = fingerprints("Die Straße: eine Décennie", min_words=1)
    assert latin.exact_key == hashlib.sha1(b"die strasse eine decennie").hexdigest()
    assert_same(latin, fingerprints("die strasse eine decennie", min_words=1))


def test_the_rare_minhash_values_take_minhashers_own_path():
    """Windows whose hash h gives s = (v + (v >> 61)) & 0xffffffff < 8, v = a*h + b + 1 (mod 2^64),
    for one permutation: found by search, they exercise the exact fallback for the document's
    permutations and for a paragraph's."""
    for window, hasher, perm in (("w25521477 x283 y6459", DOC, 17), ("w9135095 x145 y4488", PARAGRAPH, 22)):
        h = crc(window)
        v = (int(hasher.a[perm]) * h + int(hasher.b[perm]) + 1) % (1 << 64)
        assert (v + (v >> 61)) & MASK < 8
        text = f"intro words here\n\n{window} " + " ".join(f"t{i}" for i in range(14)) + "\n\nend of it"
        fp = fingerprints(text)
        assert len(fp.paragraphs) == 1
        assert_same(fp, composed(text))
        assert fp.doc_sig.tolist() == minhash_by_hand(DOC, fp.doc.tolist())
        assert fp.paragraph_sigs[0].tolist() == minhash_by_hand(PARAGRAPH, fp.paragraphs[0].tolist())


# --------------------------------------------------------------------------- agreement with the definitions

TRICKY = [
    "a b c\n\u0301\nd e f g",  # a combining mark between two newlines: not a paragraph break
    "x y z\n\n\u0301 u v w\n\n\n\u0308\n\nq r s",
    "Straße und Maße\n\nﬁnal ﬂow Ⅻ ½ №5",  # characters that fold to several
    "한국 날씨 좋다 오늘\n\n서울 부산 대구 인천",
    "😀 emoji 𝐀𝐁𝐂 bold 𠀀 ext-b\n\n𝔘𝔫𝔦 code",  # beyond the BMP
    "lone \ud800 surrogate \udfff here",
    "nbsp\u00a0joined\u2028line\u3000ideographic\x1cfile",
    "İstanbul ǅemal ΣΊΣΥΦΟΣ ς",
    "Tiếng Việt có dấu\n\nहिन्दी भाषा में क़िस्सा\n\nதமிழ் மொழி",
    "\n\n\n\nleading and trailing blocks\n\n\n",
    "under_score snake_case __dunder__ 3.14 1,000",
]


def random_texts(n: int, seed: int = 0) -> list[str]:
    alphabet = list("ab cdE\n\n\n  \t\r.,-_'’“”—é") + [
        "\u0301", "\u0308", "\u0345", "\n\u0301", "İ", "ß", "ﬁ", "²", "中文", "ภาษาไทย", "العربية",
        "\u064b", "हिन्दी", "\U0001f600", "\U00020000", "\ud800", "\x00", "\u00a0", "K", "Σ", "한",
    ]  # fmt: skip
    rng = random.Random(seed)
    return ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60))) for _ in range(n)]


@pytest.mark.parametrize("min_words", [15, 3, 2, 1, 0, -1])
def test_agrees_with_the_definitions_on_tricky_text(min_words):
    for text in TRICKY + random_texts(300):
        assert_same(fingerprints(text, "A title", min_words), composed(text, "A title", min_words))


def test_every_bmp_character_folds_as_words_does():
    """Each character between two letters ("a?b"): 64 to a text, except those that casefold and
    decompose to several characters, which get a text each (one of them in a text sends it all
    down the slower way of folding)."""
    simple, compound = [], []
    for c in range(0x10000):
        ch = chr(c)
        (simple if len(unicodedata.normalize("NFKD", ch.casefold())) <= 1 else compound).append(f"a{ch}b")
    texts = [" ".join(simple[i : i + 64]) for i in range(0, len(simple), 64)] + compound
    for text in texts:
        assert fingerprints(text).exact_key == hashlib.sha1(" ".join(words(text)).encode()).hexdigest(), text


def test_agrees_with_the_definitions_on_long_articles():
    rng = random.Random(1)
    vocab = [f"{rng.choice('bcdfgklmnprst')}{rng.choice('aeiou')}{i}" for i in range(3000)]
    many_paragraphs = "\n\n".join(
        " ".join(rng.choice(vocab) for _ in range(rng.randint(0, 40))) for _ in range(400)
    )
    long_text = " ".join(rng.choice(vocab) for _ in range(12000))  # more work space than a thread keeps
    for text in (many_paragraphs, long_text, many_paragraphs + "\n\n" + long_text):
        assert_same(fingerprints(text), composed(text))


def test_threads_get_the_same_fingerprints():
    rng = random.Random(2)
    texts = [
        "\n\n".join(" ".join(f"w{rng.randint(0, 500)}" for _ in range(rng.randint(10, 60))) for _ in range(n))
        for n in (1, 5, 20, 80)
    ] * 6
    with ThreadPoolExecutor(4) as pool:
        threaded = list(pool.map(fingerprints, texts))
    for got, text in zip(threaded, texts, strict=True):
        assert_same(got, fingerprints(text))


# --------------------------------------------------------------------------- real articles


def _read(path: Path, limit: int, step: int) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as f:
        return list(islice((json.loads(line) for line in f), 0, limit * step, step))


@pytest.fixture(scope="module")
def real_articles(shared_data: Path) -> list[tuple[str, str]]:
    """(text, title) of real articles in many languages and scripts: ECB+ (headline as the first
    paragraph), WMT, MEANTIME and NTREX-128 (every script from CJK to Arabic and Devanagari)."""
    docs = [
        (d["title"] + "\n\n" + d["text"], d["title"])
        for d in _read(shared_data / "events" / "ecbplus_docs.jsonl.gz", 40, 7)
    ]
    for name, step in (("wmt_docs", 41), ("meantime_docs", 9), ("ntrex_dev", 43)):
        docs += [
            (d["text"], d.get("title") or "")
            for d in _read(shared_data / "translations" / f"{name}.jsonl.gz", 130, step)
        ]
    return docs


def test_real_articles_hold_the_fingerprint_properties(real_articles):
    a_doc, b_doc = DOC.a, DOC.b
    a_par, b_par = PARAGRAPH.a, PARAGRAPH.b
    n_paragraphs = 0
    for text, title in real_articles:
        fp = fingerprints(text, title)
        toks = words(text)
        assert fp.exact_key == hashlib.sha1(" ".join(toks or words(title)).encode()).hexdigest()
        # the document's shingles: sorted, unique, uint32
        assert fp.doc.dtype == np.uint32 and (np.diff(fp.doc.astype(np.int64)) > 0).all()
        assert fp.doc.tolist() == sorted(shingles(toks))
        # every block of >= 15 words is a paragraph, and its words are consecutive in the text, so
        # its shingles are some of the document's
        long_blocks = [b for b in text.split("\n\n") if len(words(b)) >= 15]
        assert len(fp.paragraphs) == len(fp.paragraph_sigs) == len(long_blocks)
        for block, arr in zip(long_blocks, fp.paragraphs, strict=True):
            assert arr.dtype == np.uint32 and (np.diff(arr.astype(np.int64)) > 0).all()
            assert np.isin(arr, fp.doc).all()
            assert arr.tolist() == sorted(shingles(words(block)))
        # each signature is the minimum over the hashed array, computed directly with numpy
        with np.errstate(over="ignore"):
            doc_hv = (np.outer(fp.doc.astype(np.uint64), a_doc) + b_doc) % np.uint64(P) & np.uint64(MASK)
            assert np.array_equal(fp.doc_sig, doc_hv.min(axis=0))
            for arr, sig in zip(fp.paragraphs, fp.paragraph_sigs, strict=True):
                hv = (np.outer(arr.astype(np.uint64), a_par) + b_par) % np.uint64(P) & np.uint64(MASK)
                assert sig.dtype == np.uint64 and np.array_equal(sig, hv.min(axis=0))
        n_paragraphs += len(fp.paragraphs)
    assert len(real_articles) > 250 and n_paragraphs > 1000  # the sample really has paragraphs

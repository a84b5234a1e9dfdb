"""Every script's digits and scripts without spaces, read from the Unicode data (textnorm),
through the anchors translations are linked on and the claims."""

from __future__ import annotations

import gzip
import importlib
import json
import re
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from storyfold.claims.extractor import extract_claims
from storyfold.model import Article
from storyfold.textnorm import ascii_digits, no_space_class, sentence_end_class

anchors_module = importlib.import_module("storyfold.fold.anchors")
anchors = anchors_module.anchors


def test_every_scripts_digits_read_as_ascii_character_for_character():
    samples = {
        "৮২০০০০": "820000",  # Bengali
        "۸۲۰٬۰۰۰": "820,000",  # Persian digits, Arabic thousands separator
        "١٤٪": "14%",  # Arabic-Indic digits, Arabic percent sign
        "५.२": "5.2",  # Devanagari
        "၂၀၁၈": "2018",  # Myanmar
        "๒๕๖๒": "2562",  # Thai
        "４５": "45",  # full width
    }
    for native, ascii_ in samples.items():
        assert ascii_digits(native) == ascii_ and len(ascii_digits(native)) == len(native)
    assert ascii_digits("③ and ²") == "③ and ²"  # not decimal digits: left alone
    plain = "Nothing to change here, 42."
    assert ascii_digits(plain) is plain


def test_the_unicode_classes_hold_what_they_say():
    ns = re.compile(f"[{no_space_class()}]")
    assert all(ns.match(c) for c in "中文日本語かなカナไทยລາວខ្មែរမြန်မာ")
    assert not any(ns.match(c) for c in "aé한글ру١5๕")  # Hangul is written with spaces; digits are digits
    ends = re.compile(f"[{sentence_end_class()}]")
    assert all(ends.match(c) for c in ".!?。！？।॥။።؟۔")
    assert not any(ends.match(c) for c in ",;:、")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中国有超过820,000人受影响，2018年", ["#82", "#2018"]),  # glued to Han on both sides
        ("失业率上升至5.2%。", ["#52"]),
        ("ประชากร 820,000 คนในปี๒๕๖๒", ["#82", "#2562"]),
        ("৮২০০০০ জন", ["#82"]),
        ("۸۲۰٬۰۰۰ نفر", ["#82"]),
        ("820 000 people", ["#82"]),
    ],
)
def test_numbers_are_anchors_in_every_script(text, expected):
    assert anchors(text) == expected


def test_a_latin_word_stops_where_a_script_without_spaces_starts():
    assert anchors("据报道，Obama表示GDP增长5%") == ["obama", "gdp", "#5"]


@pytest.fixture(scope="module")
def ntrex(shared_data: Path) -> dict[str, dict[str, str]]:
    by: dict[str, dict[str, str]] = defaultdict(dict)
    with gzip.open(shared_data / "translations" / "ntrex_dev.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            by[d["lang"]][d["group"]] = d["title"] + "\n\n" + d["text"]
    return by


def _numbers(text: str) -> set[str]:
    return {a for a in anchors(text) if a[0] == "#"}


@pytest.mark.parametrize("lang", ["ben", "fas", "mya", "mar", "zho-CN", "zho-TW", "jpn", "tha"])
def test_translations_share_the_english_originals_numbers(ntrex, lang):
    """Numbers survive translation: in the languages that write native digits or no spaces,
    most of the English original's numbers are found again (none were before these were read)."""
    found = total = 0
    for group, english in ntrex["eng"].items():
        want = _numbers(english)
        total += len(want)
        found += len(want & _numbers(ntrex[lang][group]))
    assert total > 150 and found / total >= 0.85, (lang, found, total)


@pytest.mark.parametrize(
    ("lang", "text", "value", "surface"),
    [
        ("zh", "今年失业率上升至5.2%。", 5.2, "5.2%"),
        ("bn", "বেকারত্বের হার ৫.২% এ পৌঁছেছে।", 5.2, "৫.২%"),
        ("ar", "ارتفع معدل البطالة إلى ١٤٪ في عام ٢٠١٩.", 14.0, "١٤٪"),
    ],
)
def test_claims_read_native_digits_and_quote_the_original(lang, text, value, surface):
    art = Article(id="a", source="s", title="t", text=text, lang=lang, published=date(2019, 5, 1))
    (pct,) = [c for c in extract_claims(art) if c.kind.value == "percent"]
    assert pct.value == value and pct.surface == surface and pct.sentence == text
    assert text[pct.start : pct.end] == surface


@pytest.mark.parametrize("lang", ["zho-CN", "zho-TW", "jpn", "yue", "tha", "mya", "hin", "amh", "urd"])
def test_cleaning_keeps_the_sentences_of_every_script(shared_data, lang):
    """Real translated news: each paragraph of NTREX is one sentence of the article, ending in
    its script's own punctuation (。 । ။ ። ۔ ...); none is page chrome, and nearly all are kept."""
    from storyfold.ingest.clean import clean_text

    kept = total = 0
    with gzip.open(shared_data / "translations" / "ntrex_dev.jsonl.gz", "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if d["lang"] != lang:
                continue
            paras = [p for p in d["text"].split("\n") if p.strip()]
            out = clean_text("\n\n".join(paras), headline=d["title"]).text
            total += len(paras)
            kept += len([p for p in out.split("\n\n") if p.strip()])
    assert total > 300 and kept / total >= 0.98, (lang, kept, total)


def test_a_short_cjk_menu_line_is_still_chrome():
    from storyfold.ingest.clean import clean_text

    text = (
        "中国经济增长6%\n\n首页\n\n中国经济第三季度增长百分之六，高于市场预期，国家统计局周一表示。\n\n分享"
    )
    body = "中国经济第三季度增长百分之六，高于市场预期，国家统计局周一表示。"
    assert clean_text(text, headline="中国经济增长6%").text == "中国经济增长6%\n\n" + body


@pytest.mark.parametrize(
    ("lang", "charset"),
    [
        ("zho-CN", "gb18030"),
        ("zho-TW", "big5"),
        ("jpn", "shift_jis"),
        ("kor", "euc-kr"),
        ("arb", "cp1256"),
        ("rus", "koi8-r"),
        ("ukr", "cp1251"),
        ("ell", "cp1253"),
        ("tha", "cp874"),
    ],
)
def test_plain_text_in_a_legacy_charset_is_read_as_written(tmp_path, ntrex, lang, charset):
    """Files with no declared charset, as old archives hold them: most are read right (a file's
    text must come out as written, not as Latin-1 gibberish)."""
    from storyfold.ingest import Ingestor, read_inputs

    right = total = 0
    for group, text in list(ntrex[lang].items())[:20]:
        path = tmp_path / f"{group.replace('/', '_')}.txt"
        data = text.encode(charset, errors="ignore")  # the odd character the charset lacks goes
        path.write_bytes(data)
        (raw,) = list(read_inputs([path]))
        art = Ingestor().article(raw)
        total += 1
        first = data.decode(charset).split("\n\n")[1][:30]
        right += isinstance(art, Article) and first in art.text
    assert right >= total - 2, (lang, right, total)


def test_mostly_ascii_text_keeps_the_western_reading():
    from storyfold.ingest.decode import decode_text

    text = "Le président a annoncé une hausse de 3,2 milliards d'euros, a-t-il déclaré à Genève."
    assert decode_text(text.encode("cp1252")) == text


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("ru", "Компания заработала 10 млрд долларов.", ("money", 1e10, "USD")),
        ("ru", "Прибыль выросла на 5 процентов.", ("percent", 5.0, "%")),
        ("ru", "Пострадали 3,5 тысячи человек.", ("count", 3500.0, "человек")),
        ("zh", "该公司投资10亿美元。", ("money", 1e9, "USD")),
        ("zh", "受影响人数为3.5万人。", ("count", 35000.0, "人")),  # 人: the counter, what is counted
        (
            "ja",
            "同社は10億ドルを投資した。",
            ("money", 1e9, "USD"),
        ),  # ドル, the noun of 米ドル and カナダ ドル
        ("ko", "회사는 10억 달러를 투자했다.", ("money", 1e9, "USD")),
        ("hi", "कंपनी ने 5 लाख रुपये का निवेश किया।", ("money", 5e5, "INR")),
        ("hi", "बजट 2 करोड़ डॉलर है।", ("money", 2e7, "USD")),
        ("pl", "Firma zarobiła 3,2 mld dolarów.", ("money", 3.2e9, "USD")),
        ("tr", "Şirket 10 milyar dolar kazandı.", ("money", 1e10, "USD")),
        ("ar", "استثمرت الشركة 10 مليار دولار.", ("money", 1e10, "USD")),
    ],
)
def test_values_in_languages_the_grammar_does_not_know_come_from_cldr(lang, text, expected):
    art = Article(id="a", source="s", title="t", text=text, lang=lang, published=date(2019, 5, 1))
    got = [(c.kind.value, c.value, c.unit) for c in extract_claims(art) if c.kind.value != "time"]
    assert got == [expected]


@pytest.mark.parametrize(
    ("lang", "text", "periods"),
    [
        ("ru", "1 октября 2019 года, а в прошлом году в марте.", ["2019-10-01", "2018", "2019-03"]),
        ("zh", "2019年10月1日，去年3月5日。", ["2019-10-01", "2018", "2019-03-05"]),
        ("pl", "15 marca 2018 roku.", ["2018-03-15"]),
        ("ko", "2019년 10월 1일, 작년에.", ["2019-10-01", "2018"]),
        ("hi", "वर्ष 2017 में।", ["2017"]),
        ("hu", "A következő évben, júniusban.", ["2020", "2019-06"]),  # case endings
        ("uk", "Торік ціни зросли.", ["2018"]),  # CLDR's short form
    ],
)
def test_dates_in_languages_the_grammar_does_not_know_come_from_cldr(lang, text, periods):
    art = Article(id="a", source="s", title="t", text=text, lang=lang, published=date(2019, 5, 1))
    assert [c.period for c in extract_claims(art) if c.kind.value == "time"] == periods


def test_a_year_followed_by_a_scale_word_is_a_count():
    art = Article(
        id="a", source="s", title="t", text="受影响人数为2040万人。", lang="zh", published=date(2019, 5, 1)
    )
    assert [(c.kind.value, c.value) for c in extract_claims(art)] == [("count", 20_400_000.0)]


def test_a_language_with_only_some_cldr_tables_is_read_without_failing(shared_data):
    """Every NTREX language through the claims: none fails (a locale may lack scale words,
    currency names or percent words in CLDR)."""
    from storyfold.ingest.meta import detect_lang

    with gzip.open(shared_data / "translations" / "ntrex_dev.jsonl.gz", "rt", encoding="utf-8") as f:
        docs = [json.loads(line) for line in f]
    seen = set()
    for d in docs:
        seen.add(d["lang"])
        text = d["title"] + "\n\n" + d["text"]
        art = Article(
            id="a", source="s", title="t", text=text, lang=detect_lang(text), published=date(2019, 5, 1)
        )
        extract_claims(art)  # raises on a failure
    assert len(seen) >= 128


def test_scripts_without_spaces_are_split_into_words_by_icu():
    from storyfold.textnorm import segment

    assert segment("中国有超过820,000人受影响").split() == [
        "中国",
        "有",
        "超过",
        "820,000",
        "人",
        "受",
        "影响",
    ]
    assert segment("ประเทศไทยมีประชากร").split() == ["ประเทศไทย", "มี", "ประชากร"]
    plain = "Ünïcode but spaced words."
    assert segment(plain) is plain


@pytest.mark.parametrize(
    ("lang", "reportedly"), [("zho-CN", "据报道"), ("jpn", "報道によると"), ("tha", "มีรายงานว่า")]
)
def test_a_near_copy_in_a_script_without_spaces_is_folded(tmp_path, ntrex, lang, reportedly):
    """A syndicated copy edited by another desk ("reportedly" before every paragraph, the last
    one cut), in Chinese, Japanese or Thai: the fold must see two versions of one text, which
    it can only if it reads words (whole runs between commas differ in every paragraph)."""
    from storyfold.pipeline import Library

    texts = [t for t in ntrex[lang].values() if t.count("\n") >= 6][:3]
    docs = []
    for i, text in enumerate(texts):
        title, body = text.split("\n\n", 1)
        docs.append({"id": f"{i}-a", "title": title, "text": body, "outlet": "Wire"})
        cut = "\n".join(reportedly + p for p in body.split("\n")[:-1])
        docs.append({"id": f"{i}-b", "title": title, "text": cut, "outlet": "Daily"})
    with Library(tmp_path / "c.db", workers=1) as lib:
        lib.ingest_documents(docs)
        by_input = {a.input_id: a.id for a, _ in lib.store.iter_articles()}
        linked = {frozenset((r.a, r.b)) for r in lib.relations()}
    for i in range(len(texts)):
        assert frozenset((by_input[f"{i}-a"], by_input[f"{i}-b"])) in linked, (lang, i)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "今年失业率上升至5.2%。去年是4.8%！明年呢？",
            ["今年失业率上升至5.2%。", "去年是4.8%！", "明年呢？"],
        ),
        ("他说：“完了。”然后离开", ["他说：“完了。”", "然后离开"]),
        ("बेरोजगारी दर 5.2% हो गई। पिछले साल यह 4.8% थी।", ["बेरोजगारी दर 5.2% हो गई।", "पिछले साल यह 4.8% थी।"]),
        ("هل ارتفع؟ نعم ارتفع.", ["هل ارتفع؟", "نعم ارتفع."]),
    ],
)
def test_claims_read_sentences_in_every_script(text, expected):
    from storyfold.claims.extractor import sentences

    assert [text[a:b] for a, b in sentences(text)] == expected


@pytest.mark.parametrize(("lang", "iso"), [("zul", "zu"), ("xho", "xh"), ("kin", "rw"), ("fao", "fo")])
def test_languages_the_bundled_fasttext_model_lacks_are_still_named(ntrex, lang, iso):
    """fastText's lite model answers "en", unsure, for these; langid's bundled model knows them."""
    from storyfold.ingest.meta import detect_lang

    texts = list(ntrex[lang].values())
    right = sum(detect_lang(t) == iso for t in texts)
    assert right >= 0.75 * len(texts), (lang, right, len(texts))  # fastText alone: none


def test_languages_are_named_alike_when_no_file_can_be_written(ntrex):
    """langid.py unpacks its model into a temporary file; under a full disk (here a file-size
    limit) the unsure texts must still get its answer, or a resumed ingest names languages
    otherwise than a clean one."""
    import resource
    import subprocess
    import sys

    from storyfold.ingest.meta import detect_lang

    texts = [t for lang in ("kin", "zul", "mlg") for t in list(ntrex[lang].values())[:4]]
    here = [detect_lang(t) for t in texts]

    def no_files() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))

    run = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, sys; from storyfold.ingest.meta import detect_lang; "
            "print(json.dumps([detect_lang(t) for t in json.load(sys.stdin)]))",
        ],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        preexec_fn=no_files,
        check=True,
    )
    assert json.loads(run.stdout) == here
    assert {"rw", "zu"} <= set(here)

"""Numbers as written in en/fr/es/de/it/pt: separators, scale words, currencies, percent, nouns."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from storyfold.claims.timeparse import MONTHS
from storyfold.model import Bound, ValueKind
from storyfold.textnorm import mark_class, no_space_class, prefix_letter_class

ROMANCE_GERMANIC = {"fr", "es", "de", "it", "pt"}
_GROUP_SEPS = {
    "en": ", \u00a0\u202f\u2009",  # "3 200 staff": SI spacing is met in English text too
    "default": ". \u00a0\u202f\u2009",
}


def _number_body(seps: str) -> str:
    return (
        rf"(?:\d{{1,3}}(?P<sep>[{seps}])\d{{3}}(?:(?P=sep)\d{{3}})*(?:[.,]\d+)?"
        rf"|\d+(?:[.,]\d+)?)(?![\d])"
    )


def _seps(lang: str) -> str:
    return re.escape(_GROUP_SEPS["en"] if lang not in ROMANCE_GERMANIC else _GROUP_SEPS["default"])


@cache
def number_regex(lang: str) -> re.Pattern[str]:
    """A number token: grouped thousands first, then a plain decimal, not glued to a word.

    Written to start with a digit and test what precedes it right after (the same matches as a
    look-behind first): a pattern that starts with a character class lets the regex engine jump
    from digit to digit instead of trying every position of the sentence.
    """
    seps = _seps(lang)
    # glued to a word it is part of a code ("A320", "COVID-19"); glued to a script written
    # without spaces it is a number ("至5.2%", "超过820,000人")
    ns = no_space_class()
    # after a word of one letter written against it (`prefix_letter_class`): "و20 خسارة", and
    # 20 losses; "ב2017"; "በ2016"
    prefix = prefix_letter_class()
    return re.compile(
        rf"\d(?<![.,:/\-]\d)(?:(?<!\w\d)|(?<=[{ns}]\d)|(?<=(?<!\w)[{prefix}]\d))(?:\d{{0,2}}(?P<sep>[{seps}])\d{{3}}(?:(?P=sep)\d{{3}})*(?:[.,]\d+)?"
        rf"|\d*(?:[.,]\d+)?)(?![\d])"
    )


@cache
def second_number_regex(lang: str) -> re.Pattern[str]:
    """The number token anywhere (no left guard): the high end of "3-5 million", "$2m-$3m"."""
    return re.compile(_number_body(_seps(lang)))


_GROUPED_NUMBER = re.compile(r"(\d{1,3})([ .,])(\d{3}(?:\2\d{3})*)(?:([.,])(\d+))?")


def parse_number(token: str, lang: str) -> float:
    """'300,000' (en) / '300 000' / '1.500' (de) / '3,2' (fr) / '3.2' -> float."""
    t = token.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    if lang in ROMANCE_GERMANIC:
        group, dec = ".", ","
    else:
        group, dec = ",", "."
    # a grouped number: every separator but a final decimal one is a thousands separator
    m = _GROUPED_NUMBER.fullmatch(t)
    # "300,000", "16,700" where the comma is the decimal sign: a figure written the English way
    # (a decimal fraction is seldom written with a final zero); a one-digit whole part may
    # still carry three decimals ("3,540 %", a bond's yield)
    english_way = m is not None and dec == "," and m[2] == "," and m[3].endswith("0") and len(m[1]) >= 2
    if m and (m[2] == " " or m[2] == group or english_way):
        whole = m[1] + m[3].replace(m[2], "")
        frac = m[5] or ""
        return float(f"{whole}.{frac}") if frac else float(whole)
    # plain: the single separator is a decimal point (either style)
    if dec in t or "." in t or "," in t:
        return float(t.replace(" ", "").replace(",", "."))
    return float(t.replace(" ", ""))


# --------------------------------------------------------------------------- scale words


def _scale_table(lang: str) -> list[tuple[str, float]]:
    long_scale_billion = 1e12 if lang in ROMANCE_GERMANIC else 1e9
    return [
        (r"mil\s+millones", 1e9),
        (r"mil\s+milh(?:õ|o)es", 1e9),
        (r"trillions?", 1e12 if lang not in ROMANCE_GERMANIC else 1e18),
        (r"billones?|billón|billon", 1e12),
        (r"milliards?|milliarden?|miliardi|miliardo|millardos?|mrd\.?|mds", 1e9),
        (r"billions?", long_scale_billion),
        (r"bn|bln|bilh(?:õ|o)es|bilhão|bilhao", 1e9),
        (r"millions?|millionen|millones|millón|millon|milioni|milione|milhões|milhão|mio\.?|mn|mln", 1e6),
        (r"thousands?|milliers?|tausend|milles?|mila|mil", 1e3),
    ]


@cache
def scale_regex(lang: str) -> re.Pattern[str]:
    alts = "|".join(f"(?:{p})" for p, _ in _scale_table(lang))
    return re.compile(rf"^[ \u00a0\u202f]?(?P<scale>{alts})(?![\w])", re.IGNORECASE)


@lru_cache(maxsize=4096)
def scale_value(word: str, lang: str) -> float:
    for p, v in _scale_table(lang):
        if re.fullmatch(p, word, re.IGNORECASE):
            return v
    return 1.0


# --------------------------------------------------------------------------- currencies

_PREFIX_CURRENCY = [
    (r"US\s?\$|U\.S\.\s?\$", "USD"),
    (r"HK\$", "HKD"),
    (r"R\$", "BRL"),
    (r"C\$|CA\$", "CAD"),
    (r"A\$|AU\$", "AUD"),
    (r"\$", "USD"),
    (r"€", "EUR"),
    (r"£", "GBP"),
    (r"¥|RMB|CNY", "CNY"),
    (r"USD", "USD"),
    (r"EUR", "EUR"),
    (r"GBP", "GBP"),
    (r"JPY", "JPY"),
    (r"CHF", "CHF"),
]


@cache
def prefix_currency_re() -> re.Pattern[str]:
    """A currency symbol or code ending the text before a number ("$", "US$", "NOK "): after a
    space, a bracket or nothing, or after a word of one letter written against it
    (`prefix_letter_class`: Amharic "የ$200 ቢሊዮን", of $200 billion)."""
    return re.compile(
        rf"(?:^|(?<=[\s(\u00a0])|(?<=(?<!\w)[{prefix_letter_class()}]))(?P<cur>"
        + "|".join(f"(?:{p})" for p, _ in _PREFIX_CURRENCY)
        + r")[ \u00a0\u202f\u2009]?$"
    )


_SUFFIX_CURRENCY = [
    (r"US\s?dollars?|U\.S\.\s?dollars?|dollars?\s+américains|dólares\s+estadounidenses", "USD"),
    (r"hong\s+kong\s+dollars?", "HKD"),
    (r"dollars?|dólares|dólar|dollari|dollaro|dólares", "USD"),
    (r"euros?|euro", "EUR"),
    (r"pounds?(?:\s+sterling)?|livres?\s+sterling|libras?(?:\s+esterlinas?)?|pfund", "GBP"),
    (r"yuans?|renminbi|rmb|cny", "CNY"),
    (r"yens?|jpy", "JPY"),
    (r"francs?\s+suisses|franken|chf", "CHF"),
    (r"reais|real", "BRL"),
    (r"takas?", "BDT"),
    (
        r"czech\s+korunas?|korunas?|korun|couronnes?\s+tchèques?|coronas?\s+checas?|corone\s+ceche"
        r"|tschechischen?\s+kronen",
        "CZK",
    ),
    (r"usd|us\$|\$", "USD"),
    (r"eur|€", "EUR"),
    (r"gbp|£", "GBP"),
    (r"¥", "CNY"),
]


def marks_optional(pattern: str) -> str:
    """A pattern whose accented letters may also be written without their accent ("dólares"
    matches "dolares", as text typed without accents has it). Letters inside a character
    class are left as they are."""
    out, depth = [], 0
    for i, ch in enumerate(pattern):
        escaped = i > 0 and pattern[i - 1] == "\\"
        if ch == "[" and not escaped:
            depth += 1
        elif ch == "]" and not escaped and depth:
            depth -= 1
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(f"[{base}{ch}]" if depth == 0 and base != ch and base.isascii() else ch)
    return "".join(out)


# what may stand between a number and the currency after it: a space, "de", "of", "di" or "d'"
CURRENCY_PREPOSITIONS = r"(?:de|of|di|d['’])"
BEFORE_CURRENCY = rf"^[ \u00a0\u202f]?(?:{CURRENCY_PREPOSITIONS}\s?)?"

SUFFIX_CURRENCY_RE = re.compile(
    BEFORE_CURRENCY
    + "(?P<cur>"
    + "|".join(f"(?:{marks_optional(p)})" for p, _ in _SUFFIX_CURRENCY)
    + r")(?![\w])",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def currency_code(word: str, prefix: bool) -> str:
    table = _PREFIX_CURRENCY if prefix else _SUFFIX_CURRENCY
    for p, code in table:
        if re.fullmatch(p if prefix else marks_optional(p), word.strip(), 0 if prefix else re.IGNORECASE):
            return code
    return "USD"


# --------------------------------------------------------------------------- percent

PERCENT_RE = re.compile(
    r"^[ \u00a0\u202f]?(?:(?P<pp>percentage\s+points?|points?\s+de\s+pourcentage|puntos\s+porcentuales"
    r"|prozentpunkte[n]?|pp\b|p\.p\.)|(?P<pct>%|per\s?cent\b|percent\b|pour\s?cent\b|por\s?ciento\b"
    r"|prozent\b|per\s+cento\b|por\s+cento\b))",
    re.IGNORECASE,
)

# --------------------------------------------------------------------------- bounds

_BOUNDS = [
    (
        r"more\s+than|over|above|in\s+excess\s+of|upwards\s+of|plus\s+de|más\s+de|mas\s+de|mehr\s+als|über"
        r"|más\s+del|oltre|più\s+di|mais\s+de",
        Bound.GT,
    ),
    (r"at\s+least|au\s+moins|al\s+menos|por\s+lo\s+menos|mindestens|almeno|pelo\s+menos", Bound.GE),
    (
        r"about|around|approximately|roughly|some|nearly|almost|circa|ca\.|environ|près\s+de|quelque"
        r"|presque|unos|unas|alrededor\s+de|cerca\s+de|aproximadamente|casi|rund|etwa|ungefähr|knapp|fast"
        r"|circa|quasi|cerca\s+di|aproximadamente|quase|around\s+about",
        Bound.APPROX,
    ),
    (r"up\s+to|at\s+most|jusqu['’]à|hasta|bis\s+zu|fino\s+a|até", Bound.LE),
    (r"less\s+than|fewer\s+than|under|below|moins\s+de|menos\s+de|weniger\s+als|unter|meno\s+di", Bound.LT),
]
# the look-ahead holds the bound words' first letters: one cheap test before sixty alternatives
_BOUND_INITIALS = sorted({alt[0] for p, _ in _BOUNDS for alt in p.split("|")})
assert all(c.isalpha() for c in _BOUND_INITIALS)
BOUND_RE = re.compile(
    r"(?:^|(?<=[\s(]))(?=["
    + "".join(_BOUND_INITIALS)
    + r"])(?P<bound>"
    + "|".join(f"(?:{p})" for p, _ in _BOUNDS)
    + r")[ \u00a0\u202f\u2009]+$",
    re.IGNORECASE,
)


def _last_pieces() -> list[str]:
    """The last word of every bound phrase ("than" of "more than", "à" of "jusqu'à")."""
    out = []
    for p, _ in _BOUNDS:
        for alt in p.split("|"):
            last = alt.split(r"\s+")[-1]
            assert not re.search(r"\\s|[()|\s]", last), last  # one word, no space inside
            out.append(last)
    return out


# A match of BOUND_RE ends in its phrase's last word, then spaces: when the word before the
# spaces is no phrase's last word, no bound stands there (a test far cheaper than the search).
BOUND_LAST_WORD_RE = re.compile("(?:" + "|".join(f"(?:{w})" for w in _last_pieces()) + ")", re.IGNORECASE)


@lru_cache(maxsize=4096)
def bound_of(word: str) -> Bound:
    for p, b in _BOUNDS:
        if re.fullmatch(p, word, re.IGNORECASE):
            return b
    return Bound.EQ


# --------------------------------------------------------------------------- counted nouns

NOUNS: dict[str, str] = {}
for _unit, _words in {
    "person": "people persons personnes personas persone pessoas menschen personen",
    "employee": "employees employee staff workers worker jobs job salariés salarié employés employé "
    "emplois collaborateurs empleados empleado trabajadores trabajador puestos "
    "mitarbeiter mitarbeitern beschäftigte beschäftigten arbeitsplätze stellen dipendenti lavoratori "
    "funcionários trabalhadores",
    "vehicle": "cars car vehicles vehicle evs ev voitures voiture véhicules véhicule autos auto coches coche "
    "vehículos vehículo fahrzeuge fahrzeugen fahrzeug wagen pkw automobiles automobile automobili "
    "veicoli carros veículos",
    "phone": "smartphones smartphone phones phone téléphones teléfonos handys",
    "customer": "customers clients clientes kunden users utilisateurs usuarios nutzer",
    "store": "stores shops magasins tiendas filialen",
    "factory": "factories plants usines fábricas plantas werke",
    "dockworker": "dockworkers dockworker dockers docker estibadores estibador hafenarbeiter portuaires",
    "ship": "ships ship vessels vessel buques buque barcos barco navires navire schiffe schiff",
    "cell": "cells cellules celdas zellen",
}.items():
    for _w in _words.split():
        NOUNS[_w] = _unit

TIME_NOUNS = {
    "year": "years year ans an années année años año jahre jahren jahr anni anno anos ano",
    "month": "months month mois meses mes monate monaten monat mesi",
    "week": "weeks week semaines semanas wochen woche settimane",
    "day": "days day jours jour días día tage tagen tag giorni dias",
    "hour": "hours hour heures horas stunden ore",
}
for _unit, _words in TIME_NOUNS.items():
    for _w in _words.split():
        NOUNS[_w] = _unit
DURATION_UNITS = set(TIME_NOUNS)
# what a count's noun may be for the grammar to vouch for it: its own nouns and units of time
KNOWN_COUNTED = frozenset(NOUNS.values()) | DURATION_UNITS

QUANTITY_UNITS = {
    "gwh": "GWh",
    "gigawattstunden": "GWh",
    "gigawatt-hours": "GWh",
    "gigawatt": "GW",
    "mwh": "MWh",
    "kwh": "kWh",
    "twh": "TWh",
    "gw": "GW",
    "mw": "MW",
    "kw": "kW",
    "km": "km",
    "kilometres": "km",
    "kilometers": "km",
    "kilómetros": "km",
    "kilometer": "km",
    "tonnes": "t",
    "tons": "t",
    "toneladas": "t",
    "tonnen": "t",
    "t": "t",
    "square": "m2",
    "m2": "m2",
    "m²": "m2",
    "hectares": "ha",
    "hectáreas": "ha",
    "hektar": "ha",
    "kph": "km/h",  # news English for CLDR's km/h
}

STOP_NOUNS = set(
    [
        "a",
        "an",
        "the",
        "in",
        "on",
        "of",
        "for",
        "to",
        "and",
        "or",
        "by",
        "at",
        "from",
        "with",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "this",
        "that",
        "these",
        "those",
        "it",
        "its",
        "his",
        "her",
        "their",
        "our",
        "your",
        "my",
        "per",
        "than",
        "over",
        "under",
        "into",
        "about",
        "since",
        "during",
        "after",
        "before",
        "le",
        "la",
        "les",
        "de",
        "des",
        "du",
        "un",
        "une",
        "et",
        "ou",
        "en",
        "au",
        "aux",
        "par",
        "pour",
        "sur",
        "dans",
        "avec",
        "que",
        "qui",
        "est",
        "sont",
        "à",
        "d",
        "el",
        "los",
        "las",
        "del",
        "y",
        "o",
        "por",
        "para",
        "con",
        "que",
        "es",
        "son",
        "al",
        "lo",
        "una",
        "uno",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "des",
        "und",
        "oder",
        "im",
        "in",
        "am",
        "zum",
        "zur",
        "von",
        "mit",
        "für",
        "auf",
        "bis",
        "ist",
        "sind",
        "ein",
        "eine",
        "einen",
        "il",
        "gli",
        "di",
        "e",
        "da",
        "con",
        "che",
        "o",
        "em",
        "os",
        "as",
        "do",
        "dos",
        "da",
        "das",
        "um",
        "uma",
    ]
)

STOP_NOUNS |= set(MONTHS)

# the word after a number (narrow spaces too); its letters may carry combining marks, which `\w`
# leaves out: the vowel signs of Devanagari, Bengali, Tamil... ("साल" is स, ा, ल)
WORD_AFTER_RE = re.compile(rf"^[ \u00a0\u202f\u2009]+(?P<w>[^\W\d_][\w\-’'{mark_class()}]*)")

PER_RE = re.compile(
    r"^[ \u00a0,]*(?:(?:a|per|each|every|an|par|por|al|pro|im|all['’]|ao|por)\s+"
    r"(?P<u1>year|annum|month|day|week|an|année|mois|jour|semaine|año|mes|día|semana|jahr|monat|tag|woche|"
    r"anno|ano|mês|dia)\b|(?P<u2>annually|yearly|annuels?|annuelles?|anuales?|jährlich|annui|anuais|"
    r"monthly|mensuels?|mensuales?|monatlich|daily|quotidiens?|diarios?|täglich))",
    re.IGNORECASE,
)
_PER_CANON = {
    "year": "year",
    "annum": "year",
    "an": "year",
    "année": "year",
    "año": "year",
    "jahr": "year",
    "anno": "year",
    "ano": "year",
    "annually": "year",
    "yearly": "year",
    "jährlich": "year",
    "month": "month",
    "mois": "month",
    "mes": "month",
    "monat": "month",
    "mês": "month",
    "monthly": "month",
    "monatlich": "month",
    "day": "day",
    "jour": "day",
    "día": "day",
    "tag": "day",
    "dia": "day",
    "daily": "day",
    "täglich": "day",
    "week": "week",
    "semaine": "week",
    "semana": "week",
    "woche": "week",
}


def per_canon(word: str) -> str:
    w = word.lower()
    if w in _PER_CANON:
        return _PER_CANON[w]
    if w.startswith(("annuel", "anual", "annu")):
        return "year"
    if w.startswith(("mensu", "monat")):
        return "month"
    if w.startswith(("quotid", "diari")):
        return "day"
    return "year"


@dataclass
class Value:
    """A number found in the text with what surrounds it."""

    start: int
    end: int
    value: float
    kind: ValueKind
    unit: str
    bound: Bound = Bound.EQ
    per: str | None = None
    has_scale: bool = False
    noun_end: int = -1  # where the counted noun / unit word ends (for predicate context)
    value_high: float | None = None
    bare_end: int = -1  # where the number and its scale word end, before any noun

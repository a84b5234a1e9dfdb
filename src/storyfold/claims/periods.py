"""Dates and periods in text, with their granularity kept: 2024-H1 is not 2024-01-01.

Why not dateparser: it turns "first half of 2024" into a day and reads "Jun" in "Lei Jun"
as June. Here each expression maps to a `Period` label (YYYY, YYYY-Hn, YYYY-Qn, YYYY-MM,
YYYY-MM-DD, YYY0s) and relative expressions ("last March", "en mars dernier", "next year")
are resolved against the article's date; without a reference date they are dropped rather
than guessed.

Guards against false dates:
* a month name alone needs a cue ("in March", "last May", "mars dernier"); English month
  names must be capitalised, so the verb "may" is never a month;
* abbreviations ("Jun", "Sept") are only months with a day or a year right next to them,
  so "Lei Jun" is a name;
* a year right after a capitalised name ("CES 2020", "Euro 2016", "Vision 2030") is part
  of that name and is not emitted (documented choice: such years rarely date the story);
* "first half" alone is a football term: English halves need a year or "of the year".
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from storyfold.claims.numbers import SUPPORTED

# --------------------------------------------------------------------------- lexicon

MONTHS: dict[str, dict[str, int]] = {
    "en": {
        m.lower(): i
        for i, m in enumerate(calendar.month_name)
        if m
    },
    "fr": {
        "janvier": 1, "février": 2, "fevrier": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6,
        "juillet": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10, "novembre": 11,
        "décembre": 12, "decembre": 12,
    },
    "es": {
        "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7,
        "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10, "noviembre": 11,
        "diciembre": 12,
    },
    "de": {
        "januar": 1, "jänner": 1, "februar": 2, "märz": 3, "april": 4, "mai": 5, "juni": 6,
        "juli": 7, "august": 8, "september": 9, "oktober": 10, "november": 11, "dezember": 12,
    },
    "it": {
        "gennaio": 1, "febbraio": 2, "marzo": 3, "aprile": 4, "maggio": 5, "giugno": 6,
        "luglio": 7, "agosto": 8, "settembre": 9, "ottobre": 10, "novembre": 11, "dicembre": 12,
    },
    "pt": {
        "janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "abril": 4, "maio": 5,
        "junho": 6, "julho": 7, "agosto": 8, "setembro": 9, "outubro": 10, "novembro": 11,
        "dezembro": 12,
    },
}
ABBR: dict[str, dict[str, int]] = {
    "en": {
        "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
        "sept": 9, "oct": 10, "nov": 11, "dec": 12,
    },
    "fr": {"janv": 1, "févr": 2, "fév": 2, "avr": 4, "juil": 7, "sept": 9, "oct": 10, "nov": 11, "déc": 12},
    "es": {"ene": 1, "feb": 2, "abr": 4, "ago": 8, "sept": 9, "oct": 10, "nov": 11, "dic": 12},
    "de": {"jan": 1, "feb": 2, "mär": 3, "apr": 4, "aug": 8, "sept": 9, "okt": 10, "nov": 11, "dez": 12},
    "it": {"gen": 1, "feb": 2, "apr": 4, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "nov": 11, "dic": 12},
    "pt": {"jan": 1, "fev": 2, "abr": 4, "jun": 6, "jul": 7, "ago": 8, "set": 9, "out": 10, "nov": 11, "dez": 12},
}

# per-language cue fragments (regex); the structure of the patterns is shared
LEX: dict[str, dict[str, str]] = {
    "en": {
        "cue": r"in|since|until|till|by|from|through|during|early|late|mid-?|before|after|"
        r"end\s+of|beginning\s+of|start\s+of|the\s+end\s+of|the\s+beginning\s+of|on",
        "last_pre": r"last|this\s+past|past",
        "last_post": r"",
        "next_pre": r"next|this\s+coming|coming",
        "next_post": r"",
        "this_y": r"(?:of\s+)?this\s+year",
        "last_y": r"(?:of\s+)?last\s+year",
        "next_y": r"(?:of\s+)?next\s+year",
        "this_y_alone": r"(?:earlier|later)\s+this\s+year|this\s+year",
        "last_y_alone": r"last\s+year|a\s+year\s+ago|the\s+previous\s+year|the\s+prior\s+year",
        "next_y_alone": r"next\s+year",
        "last_m": r"last\s+month|a\s+month\s+ago",
        "this_m": r"this\s+month|earlier\s+this\s+month",
        "next_m": r"next\s+month",
        "yesterday": r"yesterday",
        "today": r"today",
        "tomorrow": r"tomorrow",
        "ord1": r"first|1st", "ord2": r"second|2nd", "ord3": r"third|3rd", "ord4": r"fourth|4th",
        "quarter": r"(?:fiscal\s+|financial\s+)?quarter",
        "half": r"half|half-year",
        "y_link": r"\s+(?:of\s+)?(?:the\s+)?",
        "the_year": r"(?:of\s+)?the\s+year",
        "weekdays": "monday tuesday wednesday thursday friday saturday sunday",
    },
    "fr": {
        "cue": r"en|depuis|jusqu['’]en|dès|début|fin|mi-|courant|d['’]ici|au\s+mois\s+de|à\s+partir\s+de|avant|après|le\s+mois\s+de|de|d['’]",
        "last_pre": r"",
        "last_post": r"dernier",
        "next_pre": r"",
        "next_post": r"prochain",
        "this_y": r"de\s+cette\s+année",
        "last_y": r"de\s+l['’]an(?:née)?\s+(?:dernier|dernière|passée?)",
        "next_y": r"de\s+l['’]an(?:née)?\s+prochaine?",
        "this_y_alone": r"cette\s+année",
        "last_y_alone": r"l['’]an\s+dernier|l['’]année\s+dernière|l['’]an\s+passé|l['’]année\s+passée",
        "next_y_alone": r"l['’]an\s+prochain|l['’]année\s+prochaine",
        "last_m": r"le\s+mois\s+dernier",
        "this_m": r"ce\s+mois-ci",
        "next_m": r"le\s+mois\s+prochain",
        "yesterday": r"hier",
        "today": r"aujourd['’]hui",
        "tomorrow": r"demain",
        "ord1": r"premier|première|1er|1re", "ord2": r"deuxième|second|seconde|2e|2ème",
        "ord3": r"troisième|3e|3ème", "ord4": r"quatrième|4e|4ème",
        "quarter": r"trimestre",
        "half": r"semestre|moitié",
        "y_link": r"\s+(?:de\s+l['’]année\s+|de\s+|d['’])?",
        "the_year": r"de\s+l['’]année",
        "weekdays": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    },
    "es": {
        "cue": r"en|desde|hasta|para|a\s+(?:principios|finales|mediados|fines)\s+de|antes\s+de|después\s+de|en\s+el\s+mes\s+de|el\s+mes\s+de|de",
        "last_pre": r"(?:el\s+)?pasado(?:\s+mes\s+de)?",
        "last_post": r"pasado",
        "next_pre": r"(?:el\s+)?próximo(?:\s+mes\s+de)?",
        "next_post": r"próximo|que\s+viene",
        "this_y": r"de\s+este\s+año",
        "last_y": r"del\s+año\s+pasado",
        "next_y": r"del\s+(?:año\s+)?próximo(?:\s+año)?|del\s+año\s+que\s+viene",
        "this_y_alone": r"este\s+año",
        "last_y_alone": r"el\s+año\s+pasado|el\s+pasado\s+año",
        "next_y_alone": r"el\s+próximo\s+año|el\s+año\s+que\s+viene|el\s+año\s+próximo",
        "last_m": r"el\s+mes\s+pasado",
        "this_m": r"este\s+mes",
        "next_m": r"el\s+próximo\s+mes|el\s+mes\s+que\s+viene",
        "yesterday": r"ayer",
        "today": r"hoy",
        "tomorrow": r"pasado\s+mañana(?!x)x",  # "mañana" is also "morning": not read
        "ord1": r"primer|primera|primero|1er", "ord2": r"segundo|segunda", "ord3": r"tercer|tercero|tercera",
        "ord4": r"cuarto|cuarta",
        "quarter": r"trimestre",
        "half": r"semestre|mitad",
        "y_link": r"\s+(?:de\s+|del\s+)?",
        "the_year": r"del\s+año",
        "weekdays": "lunes martes miércoles jueves viernes sábado domingo",
    },
    "de": {
        "cue": r"im|seit|bis|ab|anfang|ende|mitte|von|vor|nach|zum|bis\s+zum|bis\s+ende|im\s+monat",
        "last_pre": r"(?:im\s+)?(?:vergangenen|letzten|zurückliegenden)",
        "last_post": r"",
        "next_pre": r"(?:im\s+)?(?:kommenden|nächsten)",
        "next_post": r"",
        "this_y": r"(?:dieses|diesen)\s+jahres",
        "last_y": r"(?:letzten|vergangenen|des\s+vergangenen|des\s+letzten)\s+jahres|des\s+vorjahres",
        "next_y": r"(?:nächsten|kommenden|des\s+nächsten|des\s+kommenden)\s+jahres",
        "this_y_alone": r"(?:in\s+)?diesem\s+jahr|dieses\s+jahr|heuer",
        "last_y_alone": r"(?:im\s+)?(?:vergangenen|letzten)\s+jahr|letztes\s+jahr|vergangenes\s+jahr|im\s+vorjahr",
        "next_y_alone": r"(?:im\s+)?(?:nächsten|kommenden)\s+jahr|nächstes\s+jahr|kommendes\s+jahr",
        "last_m": r"(?:im\s+)?(?:letzten|vergangenen)\s+monat",
        "this_m": r"(?:in\s+)?diesem\s+monat",
        "next_m": r"(?:im\s+)?(?:nächsten|kommenden)\s+monat",
        "yesterday": r"gestern",
        "today": r"heute",
        "tomorrow": r"übermorgen(?!x)x",  # "Morgen" is also "morning": not read
        "ord1": r"erste[nmrs]?|1\.", "ord2": r"zweite[nmrs]?|2\.", "ord3": r"dritte[nmrs]?|3\.",
        "ord4": r"vierte[nmrs]?|4\.",
        "quarter": r"quartal|quartals|jahresviertel",
        "half": r"halbjahr|halbjahres|jahreshälfte|hälfte",
        "y_link": r"\s+(?:des\s+jahres\s+|von\s+)?",
        "the_year": r"des\s+jahres",
        "weekdays": "montag dienstag mittwoch donnerstag freitag samstag sonntag",
    },
    "it": {
        "cue": r"a|ad|in|nel\s+mese\s+di|da|dal|dalla|fino\s+a|entro|inizio|fine|metà|a\s+partire\s+da|di|del",
        "last_pre": r"(?:lo\s+)?scorso|(?:il\s+)?passato",
        "last_post": r"scorso",
        "next_pre": r"(?:il\s+)?prossimo",
        "next_post": r"prossimo",
        "this_y": r"di\s+quest['’]anno",
        "last_y": r"dell['’]anno\s+(?:scorso|passato)",
        "next_y": r"dell['’]anno\s+prossimo|del\s+prossimo\s+anno",
        "this_y_alone": r"quest['’]anno",
        "last_y_alone": r"l['’]anno\s+scorso|lo\s+scorso\s+anno|l['’]anno\s+passato",
        "next_y_alone": r"l['’]anno\s+prossimo|il\s+prossimo\s+anno",
        "last_m": r"il\s+mese\s+scorso|lo\s+scorso\s+mese",
        "this_m": r"questo\s+mese",
        "next_m": r"il\s+prossimo\s+mese|il\s+mese\s+prossimo",
        "yesterday": r"ieri",
        "today": r"oggi",
        "tomorrow": r"domani",
        "ord1": r"primo|prima|1°", "ord2": r"secondo|seconda|2°", "ord3": r"terzo|3°", "ord4": r"quarto|4°",
        "quarter": r"trimestre",
        "half": r"semestre|metà",
        "y_link": r"\s+(?:del\s+|dell['’]anno\s+|di\s+)?",
        "the_year": r"dell['’]anno",
        "weekdays": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    },
    "pt": {
        "cue": r"em|desde|até|no\s+mês\s+de|início\s+de|final\s+de|fim\s+de|a\s+partir\s+de|de|para",
        "last_pre": r"(?:o\s+)?passado(?:\s+mês\s+de)?",
        "last_post": r"passado|último",
        "next_pre": r"(?:o\s+)?próximo(?:\s+mês\s+de)?",
        "next_post": r"próximo|que\s+vem",
        "this_y": r"(?:deste|desse)\s+ano",
        "last_y": r"do\s+ano\s+passado",
        "next_y": r"do\s+próximo\s+ano|do\s+ano\s+que\s+vem",
        "this_y_alone": r"este\s+ano|neste\s+ano",
        "last_y_alone": r"(?:o|no)\s+ano\s+passado",
        "next_y_alone": r"(?:o|no)\s+próximo\s+ano|(?:o|no)\s+ano\s+que\s+vem",
        "last_m": r"(?:o|no)\s+mês\s+passado",
        "this_m": r"este\s+mês|neste\s+mês",
        "next_m": r"(?:o|no)\s+próximo\s+mês",
        "yesterday": r"ontem",
        "today": r"hoje",
        "tomorrow": r"amanhã",
        "ord1": r"primeiro|primeira|1º|1ª", "ord2": r"segundo|segunda|2º|2ª", "ord3": r"terceiro|terceira|3º|3ª",
        "ord4": r"quarto|quarta|4º|4ª",
        "quarter": r"trimestre",
        "half": r"semestre|metade",
        "y_link": r"\s+(?:de\s+|do\s+)?",
        "the_year": r"do\s+ano",
        "weekdays": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    },
}

# --------------------------------------------------------------------------- matches


@dataclass(frozen=True)
class TimeMatch:
    """One date or period found in text: `label` is a Period label."""

    start: int
    end: int
    label: str
    relative: bool = False  # resolved against the reference date
    bare_year: bool = False  # a lone "2013": the weakest kind of time mention


_Y = r"(?P<y>(?:1[89]|20)\d\d)"
_NB = r"(?![\w%])"


def _alt(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _lex(lang: str) -> list[str]:
    return [lang] if lang in LEX else list(SUPPORTED)


def _merge(lang: str, key: str) -> str:
    parts = [LEX[lg][key] for lg in _lex(lang) if LEX[lg][key]]
    return "|".join(f"(?:{p})" for p in parts) if parts else r"(?!x)x"


def _month_maps(lang: str) -> tuple[dict[str, int], dict[str, int]]:
    full: dict[str, int] = {}
    abbr: dict[str, int] = {}
    for lg in _lex(lang):
        if lang == "und" and lg == "fr":
            pass
        full.update(MONTHS[lg])
        abbr.update(ABBR[lg])
    return full, abbr


@dataclass
class _Grammar:
    lang: str
    full: dict[str, int]
    abbr: dict[str, int]
    patterns: list[tuple[str, re.Pattern[str]]]


def _month_rx(names: dict[str, int], lang: str, name: str) -> str:
    alts = _alt(names)
    if lang == "en":  # English months only capitalised: "may" is a verb, "march" a walk
        alts = "|".join(re.escape(w.capitalize()) for w in sorted(names, key=len, reverse=True))
        return f"(?P<{name}>{alts})"
    return f"(?P<{name}>(?i:{alts}))"


@lru_cache(maxsize=None)
def grammar(lang: str) -> _Grammar:
    """The compiled period patterns of `lang` (all languages merged for unknown ones)."""
    full, abbr = _month_maps(lang)
    case_lang = "en" if lang == "en" else "x"
    M = _month_rx(full, case_lang, "m")
    MA = _month_rx({**abbr, **full}, case_lang, "m")
    MA_dot = MA + r"\.?"
    D = r"(?P<d>[0-3]?\d)(?:st|nd|rd|th|er|º|°|\.)?"
    L = lambda k: _merge(lang, k)  # noqa: E731
    ylink = L("y_link")
    pats: list[tuple[str, str]] = [
        ("iso", r"(?<![\d.])(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)(?![\d])"),
        ("num", r"(?<![\d./])(?P<a>[0-3]?\d)(?P<sep>[./])(?P<b>[01]?\d)(?P=sep)(?P<y>(?:19|20)\d\d)(?![\d])"),
        ("dmy", rf"(?<![\w.]){D}(?:\s+|\s*(?:de|of)\s+)(?:the\s+month\s+of\s+)?{MA_dot}(?:,?\s*(?:de\s+|del\s+|of\s+)?{_Y})?{_NB}"),
        ("my", rf"(?<![\w]){MA_dot},?\s+(?:de\s+|del\s+|of\s+|do\s+)?{_Y}{_NB}"),
        # quarters and halves written as codes
        ("qcode", r"(?<![\w])(?:Q(?P<q>[1-4])|(?P<q2>[1-4])Q)(?:[\s/-]*(?:(?P<y>(?:19|20)\d\d)|'?(?P<yy>\d\d)(?![\d])|FY(?P<fy>\d\d(?:\d\d)?)))?(?![\w])"),
        ("hcode", r"(?<![\w])(?:H(?P<h>[12])|(?P<h2>[12])H)(?:[\s/-]*(?:(?P<y>(?:19|20)\d\d)|'?(?P<yy>\d\d)(?![\d])))?(?![\w])"),
        ("tcode", r"(?<![\w])(?:T(?P<q>[1-4])|S(?P<h>[12]))[\s/-]*(?P<y>(?:19|20)\d\d)(?![\w])"),
        (
            "ordinal",
            r"(?<![\w])(?i:(?:the\s+|le\s+|la\s+|el\s+|il\s+|o\s+|a\s+|der\s+|die\s+|das\s+|im\s+|au\s+|nel\s+|no\s+|na\s+|en\s+el\s+)?)"
            rf"(?i:(?P<o1>{L('ord1')})|(?P<o2>{L('ord2')})|(?P<o3>{L('ord3')})|(?P<o4>{L('ord4')}))[\s-]+"
            rf"(?i:(?P<qn>{L('quarter')})|(?P<hn>{L('half')}))"
            rf"(?:(?i:{ylink}){_Y}{_NB}|\s+(?i:(?P<ty>{L('this_y')})|(?P<ly>{L('last_y')})|(?P<ny>{L('next_y')})|(?P<the>{L('the_year')})))?",
        ),
        ("last_m_name", rf"(?<![\w])(?i:{L('last_pre')})\s+{M}(?![\w])"),
        ("next_m_name", rf"(?<![\w])(?i:{L('next_pre')})\s+{M}(?![\w])"),
        ("m_name_last", rf"(?<![\w])(?:(?i:{L('cue')})\s+)?{M}\s+(?i:{L('last_post')})(?![\w])"),
        ("m_name_next", rf"(?<![\w])(?:(?i:{L('cue')})\s+)?{M}\s+(?i:{L('next_post')})(?![\w])"),
        (
            "m_name_rel_y",
            rf"(?<![\w])(?:(?i:{L('cue')})\s+)?{M},?\s+(?i:(?P<ty>{L('this_y')})|(?P<ly>{L('last_y')})|(?P<ny>{L('next_y')}))(?![\w])",
        ),
        ("m_name_cue", rf"(?<![\w])(?i:{L('cue')})\s+{M}(?![\w])"),
        ("decade", r"(?<![\w])(?:(?P<dec>(?:1[89]|20)\d0)(?:s|er(?:\s+Jahren?)?)|(?i:(?:années|años|anni|anos|the)\s+['’]?)(?P<dec2>[2-9]0)(?:s)?)(?![\w])"),
        ("yrange", r"(?<![\w$€£¥.,/-])(?P<y>(?:1[89]|20)\d\d)\s?[-–/]\s?(?P<y2>(?:1[89]|20)\d\d|\d\d)(?![\w%]|[.,]\d)"),
        ("year", r"(?<![\w$€£¥.,/-])(?P<y>(?:1[89]|20)\d\d)(?![\w%]|[.,]\d|\s?%)"),
        ("this_y", rf"(?<![\w])(?i:{L('this_y_alone')})(?![\w])"),
        ("last_y", rf"(?<![\w])(?i:{L('last_y_alone')})(?![\w])"),
        ("next_y", rf"(?<![\w])(?i:{L('next_y_alone')})(?![\w])"),
        ("last_m", rf"(?<![\w])(?i:{L('last_m')})(?![\w])"),
        ("this_m", rf"(?<![\w])(?i:{L('this_m')})(?![\w])"),
        ("next_m", rf"(?<![\w])(?i:{L('next_m')})(?![\w])"),
        ("yesterday", rf"(?<![\w])(?i:{L('yesterday')})(?![\w])"),
        ("today", rf"(?<![\w])(?i:{L('today')})(?![\w])"),
        ("tomorrow", rf"(?<![\w])(?i:{L('tomorrow')})(?![\w])"),
    ]
    wd = [w for lg in _lex(lang) for w in LEX[lg]["weekdays"].split()]
    if lang == "en":
        wdx = "|".join(w.capitalize() for w in wd)
        pats.append(("weekday", rf"(?<![\w])(?:(?:on|last|next|this|since|until|by)\s+)?(?P<wd>{wdx})(?![\w])"))
    else:
        pats.append(("weekday", rf"(?<![\w])(?P<wd>(?i:{_alt(wd)}))(?![\w])"))
    compiled = [(n, re.compile(p)) for n, p in pats]
    return _Grammar(lang, full, abbr, compiled)


# --------------------------------------------------------------------------- resolution


def _label_day(y: int, m: int, d: int) -> str | None:
    try:
        date(y, m, d)
    except ValueError:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _label_month(y: int, m: int) -> str:
    return f"{y:04d}-{m:02d}"


def _shift_month(y: int, m: int, k: int) -> tuple[int, int]:
    i = y * 12 + (m - 1) + k
    return i // 12, i % 12 + 1


def _yy(s: str) -> int:
    v = int(s)
    return 2000 + v if v < 70 else 1900 + v


def _near_year_for_month(month: int, ref: date) -> int:
    """A month named without a year: this year's, unless that is well after the article."""
    return ref.year if month <= ref.month + 3 else ref.year - 1


def _near_year_for_day(month: int, day: int, ref: date) -> int:
    for y in (ref.year, ref.year - 1, ref.year + 1):
        try:
            d = date(y, month, day)
        except ValueError:
            continue
        if -280 <= (d - ref).days <= 95:
            return y
    return ref.year


def _month_of(g: _Grammar, word: str) -> int | None:
    w = word.lower().rstrip(".")
    return g.full.get(w) or g.abbr.get(w)


_CAP_NAME = re.compile(r"([A-Z][\w&'’.-]*|[A-Z0-9]{2,})[ \u00a0]$")
_YEAR_CUES = {
    "in", "since", "by", "until", "from", "to", "of", "for", "before", "after", "during",
    "en", "depuis", "dès", "de", "d", "jusqu", "avant", "après", "vers", "im", "seit",
    "bis", "ab", "von", "vor", "nach", "jahr", "jahres", "nel", "dal", "dal", "entro",
    "fino", "em", "desde", "hasta", "para", "até", "del", "el", "le", "la", "the", "and",
    "et", "y", "und", "e", "ou", "or", "o", "fiscal", "year", "fy", "early", "late", "mid",
    "end", "début", "fin", "anfang", "ende", "mitte", "inizio", "fine", "principios",
    "finales", "año", "anno", "ano", "année", "at", "on", "sommer", "summer", "spring",
    "autumn", "fall", "winter", "été", "hiver", "printemps", "automne", "verano", "invierno",
    "primavera", "otoño", "frühjahr", "herbst", "estate", "inverno", "autunno", "outono",
}


def _in_proper_name(text: str, start: int, g: _Grammar) -> bool:
    """"CES 2020", "Euro 2016": a year glued to a capitalised name belongs to the name."""
    m = _CAP_NAME.search(text, max(0, start - 40), start)
    if not m:
        return False
    word = m.group(1)
    if word.lower().strip(".") in _YEAR_CUES or _month_of(g, word) is not None:
        return False
    # sentence-initial capital ("In 2020", "Since 2013") are cues, handled above; a word at
    # the very start of a sentence is not a name either
    before = text[max(0, m.start() - 3) : m.start()]
    if not before.strip() or before.rstrip().endswith((".", "!", "?", "\n", "(", '"', "“", "«")):
        return word.isupper() and len(word) >= 2 and word.isalpha() and len(word) <= 5
    return True


def find_periods(text: str, lang: str, ref: date | None) -> list[TimeMatch]:
    """Every date or period in `text`, non-overlapping, in order of position."""
    g = grammar(lang if lang in LEX else "und")
    cands: list[TimeMatch] = []
    for name, rx in g.patterns:
        for m in rx.finditer(text):
            cands.extend(_resolve(name, m, g, ref, text))
    cands.sort(key=lambda t: (t.start, -(t.end - t.start)))
    out: list[TimeMatch] = []
    last_end = -1
    for c in cands:
        if c.start >= last_end:
            out.append(c)
            last_end = c.end
        elif out and c.start == out[-1].start and c.end > out[-1].end:
            out[-1] = c
            last_end = c.end
    return out


def _resolve(name: str, m: re.Match[str], g: _Grammar, ref: date | None, text: str) -> list[TimeMatch]:
    s, e = m.start(), m.end()
    gd = m.groupdict()
    if name == "iso":
        lab = _label_day(int(gd["y"]), int(gd["mo"]), int(gd["d"]))
        return [TimeMatch(s, e, lab)] if lab else []
    if name == "num":
        a, b, y = int(gd["a"]), int(gd["b"]), int(gd["y"])
        d, mo = (b, a) if (g.lang == "en" and a <= 12 and gd["sep"] == "/") else (a, b)
        lab = _label_day(y, mo, d) if 1 <= mo <= 12 else None
        return [TimeMatch(s, e, lab)] if lab else []
    if name in ("dmy", "my"):
        mo = _month_of(g, gd["m"])
        if mo is None:
            return []
        if name == "dmy":
            d = int(gd["d"])
            if not 1 <= d <= 31:
                return []
            if gd.get("y"):
                lab = _label_day(int(gd["y"]), mo, d)
            elif ref is not None and gd["m"].lower().rstrip(".") in g.full:
                lab = _label_day(_near_year_for_day(mo, d, ref), mo, d)
                return [TimeMatch(s, e, lab, relative=True)] if lab else []
            else:
                return []
            return [TimeMatch(s, e, lab)] if lab else []
        return [TimeMatch(s, e, _label_month(int(gd["y"]), mo))]
    if name in ("qcode", "hcode", "tcode", "ordinal"):
        return _quarter_half(name, m, gd, ref, s, e)
    if name.startswith(("last_m_name", "next_m_name", "m_name_")):
        mo = _month_of(g, gd["m"])
        if mo is None or gd["m"].lower() not in g.full or ref is None:
            return []
        if name in ("last_m_name", "m_name_last"):
            y = ref.year if mo < ref.month else ref.year - 1
        elif name in ("next_m_name", "m_name_next"):
            y = ref.year if mo > ref.month else ref.year + 1
        elif name == "m_name_rel_y":
            y = ref.year + (-1 if gd.get("ly") else 1 if gd.get("ny") else 0)
        else:
            if g.lang == "fr" and gd["m"] == "Mars":  # the planet
                return []
            y = _near_year_for_month(mo, ref)
        return [TimeMatch(s, e, _label_month(y, mo), relative=True)]
    if name == "decade":
        if gd.get("dec"):
            return [TimeMatch(s, e, f"{gd['dec'][:3]}0s")]
        return [TimeMatch(s, e, f"19{gd['dec2'][0]}0s")]
    if name == "yrange":
        y1 = int(gd["y"])
        y2s = gd["y2"]
        y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
        if not y1 < y2 <= y1 + 30 or _in_proper_name(text, s, g):
            return []
        return [TimeMatch(s, m.end("y"), str(y1)), TimeMatch(m.start("y2"), e, str(y2))]
    if name == "year":
        if _in_proper_name(text, s, g):
            return []
        return [TimeMatch(s, e, gd["y"], bare_year=True)]
    if ref is None:
        return []
    if name == "this_y":
        return [TimeMatch(s, e, str(ref.year), relative=True)]
    if name == "last_y":
        return [TimeMatch(s, e, str(ref.year - 1), relative=True)]
    if name == "next_y":
        return [TimeMatch(s, e, str(ref.year + 1), relative=True)]
    if name in ("last_m", "this_m", "next_m"):
        k = {"last_m": -1, "this_m": 0, "next_m": 1}[name]
        y, mo = _shift_month(ref.year, ref.month, k)
        return [TimeMatch(s, e, _label_month(y, mo), relative=True)]
    if name in ("yesterday", "today", "tomorrow"):
        k = {"yesterday": -1, "today": 0, "tomorrow": 1}[name]
        return [TimeMatch(s, e, (ref + timedelta(days=k)).isoformat(), relative=True)]
    if name == "weekday":
        wds = [w for lg in _lex(g.lang) for w in LEX[lg]["weekdays"].split()]
        idx = wds.index(gd["wd"].lower()) % 7
        delta = (ref.weekday() - idx) % 7
        k = -delta
        if m.group(0).lower().startswith("next"):
            k = (idx - ref.weekday()) % 7 or 7
        return [TimeMatch(s, e, (ref + timedelta(days=k)).isoformat(), relative=True)]
    return []


def _quarter_half(name, m, gd, ref, s, e) -> list[TimeMatch]:
    q = h = None
    if name == "ordinal":
        n = next(i for i in (1, 2, 3, 4) if gd.get(f"o{i}"))
        if gd.get("qn"):
            q = n
        else:
            if n > 2:
                return []
            h = n
    else:
        qq = gd.get("q") or gd.get("q2")
        hh = gd.get("h") or gd.get("h2")
        q = int(qq) if qq else None
        h = int(hh) if hh else None
    year: int | None = None
    rel = False
    if gd.get("y"):
        year = int(gd["y"])
    elif gd.get("yy"):
        year = _yy(gd["yy"])
    elif gd.get("fy"):
        fy = gd["fy"]
        year = int(fy) if len(fy) == 4 else _yy(fy)
    elif ref is not None and (gd.get("ty") or gd.get("ly") or gd.get("ny") or gd.get("the")):
        year = ref.year + (-1 if gd.get("ly") else 1 if gd.get("ny") else 0)
        rel = True
    if year is None:
        word = m.group(0).lower()
        if name == "ordinal" and h is not None and re.search(r"\bhalf\b", word):
            return []  # English "first half" alone: a football half
        if name in ("qcode", "hcode") and ref is None:
            return []
        if ref is None:
            return []
        # without a year: the latest such quarter/half that has begun by the article date
        start_month = 3 * (q - 1) + 1 if q else 6 * (h - 1) + 1  # type: ignore[operator]
        year = ref.year if start_month <= ref.month else ref.year - 1
        rel = True
    lab = f"{year}-Q{q}" if q else f"{year}-H{h}"
    return [TimeMatch(s, e, lab, relative=rel)]


def parse_period(text: str, lang: str = "en", ref_date: date | None = None) -> str | None:
    """The Period label of the first (longest) date or period in `text`, or None."""
    ms = find_periods(text, lang, ref_date)
    return ms[0].label if ms else None

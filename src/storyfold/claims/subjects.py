"""Who a claim is about: organisation and person names in a sentence (capitalised words that
do not open it, nor are German common nouns or demonyms), the nearest one before a value, and
for "the company" / "l'entreprise" / "das Unternehmen" the organisation named last."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from storyfold.claims.numparse import (
    QUANTITY_UNITS,
)

# "(?<![\w’'])[A-ZÀ-Ý][\w\-&]*(?:[’']s)?(?![\w’'$])|(?<![\w])[LlDd][’'][A-ZÀ-Ýa-zà-ÿ]\w*" written
# to start with one character class (guards tested after it), so the engine skips to capitals.
_NAME_TOKEN = re.compile(
    r"[A-ZÀ-Ýld](?:(?<=[A-ZÀ-Ý])(?<![\w’'].)[\w\-&]*(?:[’']s)?(?![\w’'$])|(?<=[LlDd])(?<!\w.)[’'][A-ZÀ-Ýa-zà-ÿ]\w*)"
)
_APOSTROPHES = ("’", "'")
STOP_NAMES = set(
    [
        "A",
        "An",
        "The",
        "This",
        "That",
        "These",
        "Those",
        "It",
        "Its",
        "He",
        "She",
        "They",
        "We",
        "You",
        "I",
        "His",
        "Her",
        "Their",
        "Our",
        "My",
        "In",
        "On",
        "At",
        "For",
        "From",
        "With",
        "By",
        "Of",
        "And",
        "Or",
        "But",
        "So",
        "As",
        "If",
        "When",
        "While",
        "After",
        "Before",
        "Since",
        "Until",
        "During",
        "According",
        "However",
        "Meanwhile",
        "Also",
        "Although",
        "Though",
        "Both",
        "Others",
        "Other",
        "Some",
        "Many",
        "Most",
        "All",
        "Each",
        "Every",
        "Here",
        "There",
        "Now",
        "Then",
        "Still",
        "Yet",
        "Even",
        "Shortly",
        "Additionally",
        "Moreover",
        "Furthermore",
        "Besides",
        "Finally",
        "First",
        "Second",
        "Third",
        "Last",
        "Next",
        "Last",
        "What",
        "Why",
        "How",
        "Who",
        "Which",
        "Where",
        "Did",
        "Does",
        "Do",
        "Is",
        "Are",
        "Was",
        "Were",
        "Will",
        "Would",
        "Can",
        "Could",
        "May",
        "Might",
        "Should",
        "Must",
        "Having",
        "Being",
        "Little",
        "Companies",
        "Consumer",
        "News",
        "Such",
        "Not",
        "No",
        "Yes",
        "Today",
        "Yesterday",
        "Tomorrow",
        "Le",
        "La",
        "Les",
        "Un",
        "Une",
        "Des",
        "Du",
        "De",
        "Au",
        "Aux",
        "Et",
        "Ou",
        "Mais",
        "Donc",
        "Car",
        "Ce",
        "Cette",
        "Ces",
        "Il",
        "Elle",
        "Ils",
        "Elles",
        "On",
        "Nous",
        "Vous",
        "Selon",
        "Après",
        "Avant",
        "Depuis",
        "Pendant",
        "Dans",
        "Sur",
        "Pour",
        "Par",
        "Avec",
        "Sans",
        "Comme",
        "Que",
        "Qui",
        "Quand",
        "Cependant",
        "Toutefois",
        "Ainsi",
        "Alors",
        "Enfin",
        "Bien",
        "Et",
        "Maintenant",
        "Il",
        "Y",
        "El",
        "Los",
        "Las",
        "Una",
        "Unos",
        "Unas",
        "Y",
        "O",
        "Pero",
        "Según",
        "Tras",
        "Durante",
        "Desde",
        "En",
        "Con",
        "Sin",
        "Como",
        "Que",
        "Cuando",
        "Sin",
        "Embargo",
        "Además",
        "Der",
        "Die",
        "Das",
        "Den",
        "Dem",
        "Ein",
        "Eine",
        "Einen",
        "Und",
        "Oder",
        "Aber",
        "Nach",
        "Vor",
        "Seit",
        "Laut",
        "Mit",
        "Für",
        "Im",
        "Am",
        "Zum",
        "Zur",
        "Auch",
        "Doch",
        "Il",
        "Lo",
        "Gli",
        "Una",
        "E",
        "Ma",
        "Secondo",
        "Dopo",
        "Prima",
        "Con",
        "Per",
        "Anche",
        "Os",
        "As",
        "Um",
        "Uma",
        "Mas",
        "Segundo",
        "Após",
        "Com",
        "Para",
        "CEO",
        "CFO",
        "COO",
        "CTO",
        "PDG",
        "DG",
        "EV",
        "EVs",
        "AI",
        "IA",
        "AIoT",
        "OEM",
        "IPO",
        "GDP",
        "PIB",
        "US",
        "USA",
        "UK",
        "EU",
        "UE",
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
        "January",
        "February",
        "March",
        "April",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
        "Janvier",
        "Enero",
        "Januar",
        "Jan",
        "Feb",
        "Apr",
        "Aug",
        "Sep",
        "Sept",
        "Oct",
        "Nov",
        "Dec",
        "H1",
        "H2",
        "Q1",
        "Q2",
        "Q3",
        "Q4",
    ]
)
_ORG_CUE = re.compile(r"(?:[’']s\b|\s+(?:CEO|PDG|CFO|chief|boss|founder|Inc|Group|shares|stock))")
STOP_NAMES |= set(
    [
        "Montag",
        "Dienstag",
        "Mittwoch",
        "Donnerstag",
        "Freitag",
        "Samstag",
        "Sonntag",
        "Lundi",
        "Mardi",
        "Mercredi",
        "Jeudi",
        "Vendredi",
        "Samedi",
        "Dimanche",
        "Lunes",
        "Martes",
        "Miércoles",
        "Jueves",
        "Viernes",
        "Sábado",
        "Domingo",
        "Lunedì",
        "Martedì",
        "Mercoledì",
        "Giovedì",
        "Venerdì",
        "Sabato",
        "Segunda-feira",
        "Terça-feira",
        "Quarta-feira",
        "Quinta-feira",
        "Sexta-feira",
        "Land",
        "State",
        "Government",
        "Shares",
        "Production",
        "Construction",
        "Under",
        "Over",
        "About",
        "Around",
    ]
)
_NAME_NEXT = re.compile(r" (?!(?:CEO|PDG|The|In|On|And)\b)[A-ZÀ-Ý][\w\-&]*")
_JOINERS = {"EV", "AI", "Auto", "Mobile", "Motors", "Group", "Technology", "Tech"}
_DEMONYMS = set(
    [
        "Chinese",
        "American",
        "French",
        "German",
        "Spanish",
        "Japanese",
        "European",
        "Korean",
        "British",
        "Indian",
        "Italian",
        "Russian",
        "Brazilian",
        "Canadian",
        "Swiss",
        "Dutch",
        "Swedish",
        "Taiwanese",
        "Asian",
        "African",
        "Western",
        "Eastern",
        "Northern",
        "Southern",
        "Local",
        "Global",
        "International",
        "National",
        "Federal",
    ]
)
_ORG_SUFFIX_ALTS = (
    "Inc|Corp|Co|Ltd|LLC|Group|Motors?|Holdings?|AG|SA|SE|GmbH|Bank|Company|Technologies|Automotive|Auto|"
    "Airlines|Groupe|Grupo|Systems|Industries|Electric|Energy|Labs?|Partners|Capital"
)
_ORG_SUFFIX = re.compile(rf"\b(?:{_ORG_SUFFIX_ALTS})\b")
# the words `_ORG_SUFFIX.fullmatch` accepts ("Motors?" is "Motor" and "Motors"): a set lookup
# for every capitalised token instead of a pattern
_ORG_SUFFIX_WORDS = frozenset(
    w for alt in _ORG_SUFFIX_ALTS.split("|") for w in ((alt[:-2], alt[:-1]) if alt.endswith("s?") else (alt,))
)


class MidsentenceNames:
    """Is a word written capitalised in mid-sentence somewhere in `text` (after a lower-case or
    digit-initial word, or after a comma)? Then it is a name even at a sentence start.
    Answered per word on demand: an article asks about a handful of words, and scanning every
    token of it up front cost more than the rest of the extraction.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word:
            return False
        hit = self.memo.get(word)
        if hit is None:
            hit = word[:1].isupper() and self._find(word)
            self.memo[word] = hit
        return hit

    def _find(self, word: str) -> bool:
        text = self.text
        i = text.find(word)
        while i >= 0:
            j = i + len(word)
            after_ok = j >= len(text) or not (text[j].isalnum() or text[j] in "_-&")
            before = text[max(0, i - 200) : i]
            if after_ok and before[-1:].isspace():
                prev = before.rstrip().rsplit(None, 1)[-1] if before.strip() else ""
                if (
                    prev
                    and not prev.endswith((".", "!", "?", ":", "»", '"', "”"))
                    and (prev[:1].islower() or prev[:1].isdigit() or prev.endswith((",", ";")))
                ):
                    return True
            i = text.find(word, i + 1)
        return False


_DE_NOUN_SUFFIX = re.compile(
    r"(?:ung|heit|keit|tät|ion|schaft|ment|nis|tum|chen|jahr|hälfte|zellen|werk|börse|aktie|markt)$", re.I
)
_DE_NOUN_SUFFIX_MAX = 6  # the longest suffix: a match starts this close to the end of a word
_DE_ORG_NEXT = re.compile(r"\s+(?:AG|SE|GmbH|KGaA|Holding|Gruppe|Group)\b")
_PLACE_PREP = re.compile(
    r"(?:^|\s)(?:in|at|near|from|à|au|aux|en|nach|aus|bei|a|em|na|no)\s+$", re.IGNORECASE
)
# the same after a space: a pattern that starts with one character set, so the engine jumps
# from space to space instead of entering the matcher at every character
_PLACE_PREP_AFTER_SPACE = re.compile(
    r"\s(?:in|at|near|from|à|au|aux|en|nach|aus|bei|a|em|na|no)\s+$", re.IGNORECASE
)


def _place_prep_before(lead: str) -> bool:
    """`_PLACE_PREP.search(lead, len(lead) - 20)`: "in", "à", "nach"... then spaces to the end.
    Tried only when `lead` ends in a space, and past its start only after a space."""
    n = len(lead)
    if not n or not lead[-1].isspace():
        return False
    lo = max(0, n - 20)
    if "\n" in lead:  # "$" may stop before a final newline: leave that to the pattern itself
        return _PLACE_PREP.search(lead, lo) is not None
    if lo == 0 and _PLACE_PREP.match(lead, 0):
        return True
    return _PLACE_PREP_AFTER_SPACE.search(lead, lo) is not None


_SHARES_BEFORE = re.compile(
    r"\b(?:shares?|stock|stake|actions?|acciones|aktien?)\s+(?:in|of|de|von)\s+$", re.I
)


_DE_DET_BEFORE = re.compile(  # the look-ahead holds the determiners' first letters: a cheap test first
    r"\b(?=(?i:[abdeiksuvz]))(?i:der|die|das|den|dem|des|ein|eine|einer|eines|einem|einen|kein\w*|dies\w*|sein\w*|ihr\w*|"
    r"unser\w*|zur|zum|im|am|vom|beim|ins)\s+(?:[a-zäöüß][\w\-]*\s+){0,2}$"
)


# The same after a non-word character (the determiner then starts one character later): a
# pattern that starts with one character set, so the engine jumps from space to space of the
# 80-character look-back instead of entering the matcher at every position. A determiner is
# made of letters, so a non-word character before it is what `\b` asks; one that starts right at
# the look-back's start is read by `_DE_DET_BEFORE.match` there.
_DE_DET_AFTER_NONWORD = re.compile(r"\W" + _DE_DET_BEFORE.pattern[2:])

_DE_TOKEN = re.compile(r"[\w\-]+")


class GermanNouns:
    """German capitalises every noun: a word seen right after a determiner (up to two
    lower-case words between) is a noun, not a name. Answered per word on demand: scanning the
    whole article for every determiner cost more than the few words an article asks about."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.memo: dict[str, bool] = {}

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str) or not word or word[0] not in "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ":
            return False
        if not _DE_TOKEN.fullmatch(word):  # "S&P": the determiner scan never read such a token
            return False
        hit = self.memo.get(word)
        if hit is None:
            hit = self.memo[word] = self._find(word)
        return hit

    def _find(self, word: str) -> bool:
        text, n = self.text, len(self.text)
        i = text.find(word)
        while i >= 0:
            j = i + len(word)
            # the determiner pattern ends in spaces: a word not after a space cannot match, so
            # the (costly) search runs only where it can
            whole = (i > 0 and text[i - 1].isspace()) and (
                j >= n or not (text[j].isalnum() or text[j] in "_-")
            )
            if whole:
                lo = max(0, i - 80)
                if _DE_DET_BEFORE.match(text, lo, i) or _DE_DET_AFTER_NONWORD.search(text, lo, i):
                    return True
            i = text.find(word, i + 1)
        return False


_LETTER_INITIAL = re.compile(r"([^\W\d_])[\w’'-]*")
# A cheap bound first: every upper-case initial is an ASCII capital or a non-ASCII character,
# and every a-z after a space is a lower-case initial. Title Case needs upper >= 0.6 * all
# initials, so upper >= 1.5 * lower; when even the bound on capitals falls short of that, the
# sentence is not a headline and its words need not be read one by one.
_UPPER_OR_NON_ASCII = re.compile(r"[A-Z\x80-\U0010ffff]")
_LOWER_AFTER_SPACE = re.compile(r"\s[a-z]")


@lru_cache(maxsize=1024)
def _titled(sent: str) -> bool:
    """A headline in Title Case: its capitals say nothing about names (asked once per claim)."""
    if 3 * len(_LOWER_AFTER_SPACE.findall(sent)) > 2 * len(_UPPER_OR_NON_ASCII.findall(sent)):
        return False
    initials = _LETTER_INITIAL.findall(sent)  # the first letter of each word
    return len(initials) >= 4 and sum(map(str.isupper, initials)) >= 0.6 * len(initials)


def subject_of(
    sent: str,
    upto: int,
    known: set[str] | MidsentenceNames,
    common: set[str] | GermanNouns | None = None,
    lang: str = "en",
) -> str | None:
    """Nearest organisation-like name before `upto` in the sentence; persons only as no-go."""
    return subject_before(name_tokens(sent, known, common, lang, upto), sent, upto)


class _Tok(NamedTuple):
    start: int
    end: int
    word: str
    poss: bool  # "Xiaomi’s": the name ends here
    skip: bool  # never part of a name here (stop word, German noun, place after "in")
    joiner: bool  # may extend the name before it ("Xiaomi EV Inc")
    stop: bool  # not a name start (sentence-initial unknown word, title case, unit...)


def name_tokens(
    sent: str,
    known: set[str] | MidsentenceNames,
    common: set[str] | GermanNouns | None = None,
    lang: str = "en",
    upto: int | None = None,
) -> list[_Tok]:
    """The capitalised tokens of a sentence (before `upto`) with what each can be; computed
    once per sentence, since every value of the sentence asks for its subject."""
    out: list[_Tok] = []
    titled: bool | None = None  # read only when a token asks (many sentences never do)
    for m in _NAME_TOKEN.finditer(sent, 0, len(sent) if upto is None else upto):
        tok = m.group(0)
        if tok[1:2] in _APOSTROPHES and tok[0] in "LlDd":  # elided "l'", "d’" ([LlDd][’'])
            rest = tok[2:]
            if not rest[:1].isupper():
                out.append(_Tok(m.start(), m.end(), tok, False, True, False, True))
                continue
            tok = rest
        poss = tok.endswith(("’s", "'s"))
        word = tok[:-2] if poss else tok
        org_suffix = word in _ORG_SUFFIX_WORDS
        joiner = word in _JOINERS or org_suffix
        if (word in STOP_NAMES or word in _DEMONYMS) and not joiner:
            out.append(_Tok(m.start(), m.end(), word, poss, True, False, True))
            continue
        skip = False
        if lang == "de" and "-" in word and word.split("-")[0] in known:
            word = word.split("-")[0]  # "Corvane-Aktie"
            org_suffix = word in _ORG_SUFFIX_WORDS
            joiner = word in _JOINERS or org_suffix
        elif (
            lang == "de"
            and (
                _DE_NOUN_SUFFIX.search(word, max(0, len(word) - _DE_NOUN_SUFFIX_MAX))
                or word in (common or ())  # the cheap test first
            )
            and not _DE_ORG_NEXT.match(sent, m.end())  # "die Corvane AG" is a company
        ):
            skip = True
        if not skip:
            lead = sent[max(0, m.start() - 30) : m.start()]
            pt_article = lang == "pt" and _PT_ARTICLE.search(lead) is not None  # "a Corvane"
            skip = bool(_place_prep_before(lead) and not _SHARES_BEFORE.search(lead) and not pt_article)
        stop = skip or (
            word in STOP_NAMES
            or word.lower() in QUANTITY_UNITS
            or word in _DEMONYMS
            or org_suffix
            or (
                (m.start() == 0 or (titled if titled is not None else (titled := _titled(sent))))
                and word not in known
                and not _ORG_CUE.match(sent, m.end())
                and not (m.start() == 0 and _NAME_NEXT.match(sent, m.end()))
            )
        )
        out.append(_Tok(m.start(), m.end(), word, poss, skip, joiner, stop))
    return out


def subject_before(toks: list[_Tok], sent: str, upto: int) -> str | None:
    """The nearest name made of `toks` that ends before `upto`, persons left out."""
    groups: list[list[_Tok]] = []
    last_end = -10
    for t in toks:
        if t.end > upto:
            break
        if t.skip:
            last_end = -10
            continue
        gap = sent[last_end : t.start] if last_end >= 0 else None
        joins = groups and gap is not None and gap in (" ", " & ", " de ", " of ")
        if joins and t.joiner:
            groups[-1].append(t)
            last_end = t.end if not t.poss else -10
            continue
        if t.stop:
            last_end = -10
            continue
        if joins:
            groups[-1].append(t)
        else:
            groups.append([t])
        last_end = t.end if not t.poss else -10
    for g in reversed(groups):
        words = [t.word for t in g]
        name = " ".join(words)
        personish = (
            2 <= len(words) <= 3
            and all(w[:1].isupper() and w[1:].islower() for w in words)
            and not _ORG_SUFFIX.search(name)
        )
        if personish:
            continue
        return name.rstrip(".")
    return None


_PT_ARTICLE = re.compile(r"(?:^|\s)[ao]\s+$")


# --------------------------------------------------------------------------- values


_ANAPHOR = re.compile(
    r"\b(?=[adeilot])(?:the\s+(?:[\w-]+\s+){0,2}?(?:company|firm|group|carmaker|automaker|manufacturer|maker|brand|"
    r"business|giant|start-?up|bank|lender|retailer|airline|insurer|conglomerate)\b"
    r"|(?:l['’]|la\s+|le\s+)(?:entreprise|société|firme|groupe|constructeur|fabricant|marque|"
    r"compagnie|banque|géant)\b"
    r"|(?:la|el)\s+(?:empresa|compañía|compañia|firma|grupo|fabricante|marca|banco|gigante)\b"
    r"|(?:das|dem|des|der|die)\s+(?:Unternehmens?|Konzerns?|Firma|Herstellers?|Gruppe|Autobauers?|"
    r"Bank|Marke)\b"
    r"|(?:l['’]|la\s+|il\s+)(?:azienda|società|gruppo|compagnia|produttore|marchio|banca|colosso)\b"
    r"|(?:a|o)\s+(?:empresa|companhia|grupo|fabricante|marca|montadora|banco)\b)",
    re.IGNORECASE,
)


class Subjects:
    """Who a value or time of the article is about: the name before it in its sentence, or,
    where the sentence says "the company" or "it", the organisation named most recently."""

    def __init__(self, text: str, lang: str) -> None:
        self.text, self.lang = text, lang
        self.known = MidsentenceNames(text)
        self.nouns: set[str] | GermanNouns | None = None
        self.last: str | None = None
        self.tokens: dict[str, list[_Tok]] = {}
        self.anaphors: dict[str, bool] = {}

    def __call__(self, sent: str, upto: int, limit: int) -> str | None:
        """`limit`: the start of the sentence's last value; no name after it is ever asked for."""
        if self.nouns is None:  # only articles that state a value pay for the noun scan
            self.nouns = GermanNouns(self.text) if self.lang == "de" else set()
        toks = self.tokens.get(sent)
        if toks is None:
            toks = self.tokens[sent] = name_tokens(sent, self.known, self.nouns, self.lang, limit)
        found = subject_before(toks, sent, upto)
        if found is not None:
            self.last = found
        elif self.last is not None:
            # every value of a sentence may ask: the anaphor search runs once per sentence
            ana = self.anaphors.get(sent)
            if ana is None:
                ana = self.anaphors[sent] = _ANAPHOR.search(sent) is not None
            if ana:
                found = self.last
        return found

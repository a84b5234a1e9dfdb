"""Trigger words (en/fr/es/de/it/pt) that say what a value is: the canonical predicate keys."""

from __future__ import annotations

import re
from functools import lru_cache


def _rx(p: str) -> re.Pattern[str]:
    guarded = _first_letter_guard(p)
    rx = re.compile(guarded, re.IGNORECASE)
    stems = _stems(p)
    if stems is not None:
        _GATES[rx] = tuple(stems)
    if guarded != p:  # "\b(?=[letters])(?:...)": every alternative opens on a letter
        _AFTER_NONWORD[rx] = re.compile(r"\W" + guarded[2:], re.IGNORECASE)
    return rx


# A family whose alternatives all open on a letter, written after a non-word character instead
# of after `\b`: a pattern that starts with one character set, so the engine jumps from space
# to space instead of testing a word boundary at every position of the sentence. `_spans`
# reads the matches back (one character later) and the one at the very start separately.
_AFTER_NONWORD: dict[re.Pattern[str], re.Pattern[str]] = {}


# A family whose every word begins with a literal stem of three letters or more ("invest",
# "pledg", "umsatz") can match a sentence only if the lower-cased sentence holds one of the
# stems: a few substring tests instead of the family's case-insensitive alternation, which
# most sentences do not match (measured: nine calls in ten end there). Families with a shorter stem ("by", "à", "up") are always
# run. Case-insensitive matching also pairs "i" with "İ" and "ı", and "s" with "ſ", which
# lower() keeps apart: a sentence holding one of those skips the test.
_GATES: dict[re.Pattern[str], tuple[str, ...]] = {}
_FOLD_ODD = ("\u0130", "\u0131", "\u017f")
_MIN_STEM = 3


def _alternatives(p: str) -> list[str] | None:
    r"""The top-level alternatives of `\b(?:a|b|...)`; None for a pattern of another shape."""
    if not p.startswith(r"\b(?:"):
        return None
    alts: list[str] = []
    depth, start, i = 0, 5, 5
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":  # a class never holds a top-level "|" or ")"
            i = p.index("]", i + 1) + 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                alts.append(p[start:i])
                return alts
            depth -= 1
        elif c == "|" and depth == 0:
            alts.append(p[start:i])
            start = i + 1
        i += 1
    return None


def _stem(alt: str) -> str:
    r"""The letters an alternative always begins with ("invest" of "invest\w*", "share" of
    "shares?", "inversi" of "inversi[oó]n\w*")."""
    out = []
    for i, c in enumerate(alt):
        if not c.isalpha() or alt[i + 1 : i + 2] in ("?", "*", "{"):
            break
        out.append(c)
    return "".join(out).lower()


def _stems(p: str) -> list[str] | None:
    """The fewest stems that cover every alternative of `p` (None: no usable gate)."""
    alts = _alternatives(p)
    if alts is None:
        return None
    stems = {_stem(a) for a in alts}
    if min(map(len, stems)) < _MIN_STEM:
        return None
    return sorted(s for s in stems if not any(t != s and t in s for t in stems))


def _first_letter_guard(p: str) -> str:
    r"""`\b(?:invest\w*|pledg\w*|...)` -> `\b(?=[ip])(?:...)`: the same matches, but at a word
    boundary the engine now tests one character class before trying each of the thirty
    alternatives (case-insensitive literals, which it cannot skip cheaply). Patterns of another
    shape are left as they are."""
    alts = _alternatives(p)
    if alts is None or any(not a[:1].isalpha() or a[1:2] in ("?", "*", "{") for a in alts):
        return p
    firsts = {a[0] for a in alts}
    return r"\b(?=[" + "".join(sorted(firsts)) + "])" + p[2:]


# word stems; matched at a word start
INVEST = _rx(
    r"\b(?:invest\w*|pledg\w*|investir|investi\w*|invertir\w*|inversi[oó]n\w*|invierte\w*|investieren"
    r"|investiert\w*|investition\w*|investiu|investimento\w*|engag\w+\s+à\s+investir)"
)
ADDITIONAL = _rx(
    r"\b(?:another|additional|additionally|further|extra|more|supplémentaires?|additionnel\w*|de\s+plus"
    r"|adicional\w*|otros?|otras?|más|zusätzlich\w*|weitere\w*|ulterior\w*|aggiuntiv\w*|mais)\b"
)
PRODUCTION = _rx(
    r"\b(?:produc\w*|produire|produi\w*|manufactur\w*|fabrica\w*|produk\w*|serienproduktion|"
    r"massenproduktion|fertigung\w*|herstell\w*|produzi\w*)"
)
START = _rx(
    r"\b(?:start\w*|begin\w*|began|begun|commenc\w*|début\w*|démarr\w*|lancement|lancer|comenz\w*|"
    r"empez\w*|inici\w*|arranc\w*|beginn\w*|anlauf\w*|anlaufen|aufnehm\w*|launch\w*|kick\w*|roll\w*\s+out|"
    r"avvi\w*|inizi\w*|comecar\w*|começa\w*|lancia\w*|"
    r"by|as\s+early\s+as|from|d['’]ici|dès|à\s+partir|para|hasta|a\s+partir|bis|ab|entro|até)\b"
)
MASS_PRODUCTION = _rx(
    r"\b(?:mass[\s-]+produc\w*|full[\s-]+production|series\s+production|volume\s+production|"
    r"production\s+(?:de|en)\s+(?:série|masse)|fabrication\s+en\s+(?:série|masse)|"
    r"producción\s+(?:en\s+)?(?:serie|masa|masiva)|fabricación\s+en\s+(?:serie|masa)|"
    r"serienproduktion|massenproduktion|serienfertigung|produzione\s+(?:di\s+)?massa|produzione\s+in\s+serie|"
    r"produção\s+em\s+(?:massa|série))"
)
CAPACITY = _rx(
    r"\b(?:factory|factories|plant|plants|capacity|make|makes|produce|produces|build|builds|assemble\w*|"
    r"usine\w*|capacité|fabriquer|produire|fábrica\w*|planta\w*|capacidad|fabricar|producir|werk\w*|"
    r"fabrik\w*|kapazität\w*|herstellen|produzieren|stabiliment\w*|capacità|capacidade)"
)
OUTPUT = _rx(
    r"\b(?:made|produced|delivered|deliver\w*|sold|shipped|output|sales|livr\w*|vend\w*|produit\w*|"
    r"fabriqué\w*|entreg\w*|vendi\w*|produjo|fabricó|ausgeliefert|ausliefer\w*|verkauft\w*|"
    r"produziert\w*|hergestellt\w*|grow\w*)"
)
SHARES = _rx(
    r"\b(?:shares?|stocks?|share\s+price|stock\s+price|actions?|titre|cours|bourse|acciones|acción|"
    r"títulos?|aktien?|aktienkurs\w*|papiere?|azioni|ações)\b"
)
SHARE_DOWN = _rx(
    r"\b(?:fell|fall\w*|drop\w*|declin\w*|slump\w*|tumbl\w*|plung\w*|sank|sink\w*|slid\w*|lost|los\w*|"
    r"down|lower|baiss\w*|chut\w*|recul\w*|perd\w*|cae\w*|cay\w*|ca[ií]d\w*|baj\w*|retroced\w*|"
    r"fiel\w*|fallen|sinken|sank|verlor\w*|gab\w*\s+nach|nachgegeben|rutsch\w*|einbr\w*|brach\w*)"
)
SHARE_UP = _rx(
    r"\b(?:jump\w*|ris\w*|rose|gain\w*|soar\w*|climb\w*|surg\w*|spik\w*|up|higher|hausse|bond\w*|"
    r"grimp\w*|progress\w*|sub\w*|dispar\w*|stieg\w*|steig\w*|zuleg\w*|sprang\w*)\b"
)
PRICE = _rx(
    r"\b(?:price\w*|cost\w*|priced|prix|coût\w*|precio\w*|cuesta|cuest\w*|preis\w*|kost\w*|prezzo|preço)"
)
REVENUE = _rx(
    r"\b(?:revenue\w*|sales|turnover|chiffre\s+d['’]affaires|ventes|ingresos|facturación|ventas|"
    r"umsatz\w*|erlös\w*|fatturato|receita\w*)"
)
PROFIT = _rx(
    r"\b(?:profit\w*|earnings|net\s+income|bénéfice\w*|résultat\s+net|beneficio\w*|ganancia\w*|"
    r"utilidad\w*|gewinn\w*|überschuss|utile|lucro\w*)"
)
DEAL = _rx(
    r"\b(?:acqui\w*|buy\w*|bought|takeover|merger|deal|rachat|rach\w*|acquisition|fusion|adquisición|"
    r"adquiri\w*|compra\w*|übernahme\w*|übernimmt|kauf\w*|fusione|aquisição)"
)
EMPLOYEES_VERB = _rx(
    r"\b(?:hire\w*|hiring|employ\w*|emploi\w*|recruit\w*|staff\w*|embauch\w*|recrut\w*|emple\w*|contrat\w*|impieg\w*|"
    r"beschäftig\w*|einstell\w*|assum\w*)"
)


@lru_cache(maxsize=8192)
def spans(rx: re.Pattern[str], text: str) -> tuple[tuple[int, int], ...]:
    """Where rx matches in text. Memoised: a sentence with several values asks about the same
    trigger families once per value, and the case-insensitive alternations are costly to run."""
    stems = _GATES.get(rx)
    if stems is not None:
        low = _lower(text)
        # map over a bound method: the tests run in C, without a generator frame per stem
        if not any(map(low.__contains__, stems)) and not any(map(text.__contains__, _FOLD_ODD)):
            return ()
    return _spans(rx, text)


def _spans(rx: re.Pattern[str], text: str) -> tuple[tuple[int, int], ...]:
    """`tuple(m.span() for m in rx.finditer(text))`. With the after-non-word form: a match of
    rx at p > 0 is one of it at p - 1 (a letter after a non-word character is what `\b` asks
    there), and after a match ending at e finditer resumes at e, which the other form reaches
    from e - 1 (the character before e may be the non-word one it needs)."""
    after = _AFTER_NONWORD.get(rx)
    if after is None:
        return tuple(map(_SPAN, rx.finditer(text)))
    out: list[tuple[int, int]] = []
    pos = 0
    m = rx.match(text)
    if m is not None:
        out.append(m.span())
        pos = m.end() - 1
    while (m := after.search(text, pos)) is not None:
        out.append((m.start() + 1, m.end()))
        pos = m.end() - 1
    return tuple(out)


_SPAN = re.Match.span


@lru_cache(maxsize=64)
def _lower(text: str) -> str:
    """A sentence's lower case, made once for all the families asked about it."""
    return text.lower()


def near(rx: re.Pattern[str], text: str, lo: int, hi: int) -> int | None:
    """Distance from [lo, hi) to the nearest match of rx in text (None when absent)."""
    best = None
    for s, e in spans(rx, text):
        if e <= lo:
            d = lo - e
        elif s >= hi:
            d = s - hi
        else:
            d = 0
        if best is None or d < best:
            best = d
    return best


CONSTRUCTION = _rx(
    r"\b(?:construction|constructing|build\w*|groundbreaking|works|travaux|construire|chantier|"
    r"obras|construcción|construir|bau|baubeginn|bauarbeiten|spatenstich|costruzione|lavori|obra)\b"
)
VOM_BAND = _rx(r"\b(?:vom\s+band\s+(?:laufen|rollen)|salir\w*\s+de\s+la\s+línea|sortir\w*\s+des\s+chaînes)")
ORIGINAL_PLAN = _rx(
    r"\b(?:originally|initially|had\s+been\s+(?:due|planned|scheduled|expected)|as\s+planned|"
    r"instead\s+of|initialement|prévu\s+initialement|à\s+l['’]origine|inicialmente|originalmente|"
    r"estaba\s+previst\w+|ursprünglich|eigentlich|zunächst)\b"
)
GRANT = _rx(
    r"\b(?:grants?|subsid\w*|subvention\w*|aides?\s+publiques?|subvenci\w*|ayudas?|förder\w*|zuschuss\w*|"
    r"beihilfe\w*|sovvenzion\w*|incentiv\w*)"
)
FACILITY = _rx(
    r"\b(?:plant|factory|gigafactory|project|site|usine|projet|site|planta|fábrica|proyecto|werk|fabrik|"
    r"projekt|gigafabrik|stabilimento|progetto)\b"
)

"""Boilerplate removal for plain text, and a second pass over text extracted from HTML.

Rules that generalise rather than a list of known strings:

* **chrome phrases**: short lines that start with (or are) navigation, sharing, subscription,
  comment-form, cookie, "read more", "related", "advertisement", "search", "load more",
  "end of content" phrases. The lexicon covers en, fr, es, de, it, pt.
* **shapes**: a word repeated ("Search Search"); image captions and credits (a short line with
  image/photo/logo/credit/©/Getty..., or a short unpunctuated line ending with a number); a
  standalone line of at most three words without sentence punctuation that is not the headline.
* **repeats**: a paragraph repeated right after itself, or a second copy of the headline, is
  dropped (a headline printed twice). Repeats further apart are kept: in lists, recipes and
  tables they are content (on the Zyte set, 9 in 10 such repeats were in the gold body).

Real sentences are kept: a chrome phrase only removes a *short* line, so a paragraph that merely
mentions "comments" or "share" survives. Outlet-level repeats (a line in many articles of one
outlet) are handled by `OutletLines`, used by the Ingestor across a batch.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache

from storyfold.textnorm import segment, sentence_end_class

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")


@cache
def _punct() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(ends a sentence, holds sentence punctuation, ends with a full stop), with every script's
    sentence terminals (Unicode Sentence_Terminal: 。！？ । ။ ። ؟ ۔ ...) beside . ! ?"""
    ends = sentence_end_class()
    return (
        re.compile(rf"[{ends}…:;»\"”’)\]」』）]\s*$"),
        re.compile(rf"[{ends}…;:；：]"),
        re.compile(rf"[{ends}:：]\s*$"),
    )


def _words(line: str) -> list[str]:
    """The words of a line; a run of a script written without spaces is split into its words
    (ICU, `textnorm.segment`), since `\\w+` would take a whole sentence for one word."""
    return _WORDS.findall(segment(line))


_WORDS = re.compile(r"\w+", re.UNICODE)

# Phrases that, at the start of a short line, mark page chrome. One alternation per language.
_CHROME_PHRASES = {
    "en": r"search|menu|home|skip to (main )?content|sign (in|up)|log ?in|log ?out|subscribe( to| now)?|newsletter|"
    r"share( (this|on|via|with))?|tweet|follow us|read (more|also|next)|see (more|also)|continue reading|"
    r"related( (articles?|stories|posts|news))?|more (from|stories|news|on this)|recommended|trending|"
    r"most (read|popular)|advertisement|advertising|sponsored|cookies?|we use cookies|accept( all)?( cookies)?|"
    r"privacy policy|terms (of use|and conditions)|all rights reserved|copyright|load more|show more|"
    r"no more (pages|articles|posts|results|stories)|end of (content|article|page)|back to top|"
    r"(add|leave|post|write) a (comment|reply)|comments?( \(\d+\))?$|\d+ comments?|comment sent|"
    r"your (comment|email address)|sign up for|click here|tags?:|filed under|previous (article|post)|"
    r"next (article|post)|print|email|whatsapp|facebook|twitter|linkedin|pinterest|reddit|telegram",
    "fr": r"rechercher?|accueil|se connecter|connexion|s'?abonner|abonnez-vous|partager|partagez|lire (aussi|la suite|plus)|"
    r"voir (aussi|plus)|à lire aussi|sur le même sujet|articles? (similaires|liés)|publicité|"
    r"nous utilisons des cookies|accepter( et fermer)?|tous droits réservés|charger plus|fin (du contenu|de l'article)|"
    r"(ajouter|laisser|écrire) un commentaire|commentaires?( \(\d+\))?$|votre commentaire|newsletter|suivez-nous",
    "es": r"buscar|inicio|iniciar sesión|suscr[ií]b[ea]te|compartir|comparte|leer m[aá]s|lee tambi[eé]n|"
    r"ver (m[aá]s|tambi[eé]n)|noticias relacionadas|relacionad[oa]s|publicidad|usamos cookies|"
    r"utilizamos cookies|aceptar|todos los derechos reservados|cargar m[aá]s|fin del contenido|"
    r"(a[nñ]adir|deja|escribe) un comentario|comentarios?( \(\d+\))?$|s[ií]guenos",
    "de": r"suche|startseite|anmelden|abonnieren|teilen|mehr (lesen|zum thema|laden)|weiterlesen|lesen sie auch|"
    r"auch interessant|verwandte artikel|anzeige|werbung|wir verwenden cookies|akzeptieren|"
    r"alle rechte vorbehalten|ende des (inhalts|artikels)|kommentar (schreiben|hinzufügen)|kommentare?( \(\d+\))?$|"
    r"folgen sie uns",
    "it": r"cerca|accedi|iscriviti|abbonati|condividi|leggi (anche|di più)|continua a leggere|articoli correlati|"
    r"potrebbe interessarti|pubblicità|utilizziamo i cookie|accetta|tutti i diritti riservati|carica altri|"
    r"fine (del contenuto|dell'articolo)|(aggiungi|lascia|scrivi) un commento|commenti?( \(\d+\))?$|seguici",
    "pt": r"pesquisar|buscar|entrar|assine|inscreva-se|compartilh[ae]r?|partilhar|leia (também|mais)|"
    r"veja (também|mais)|notícias relacionadas|publicidade|usamos cookies|utilizamos cookies|aceitar|"
    r"todos os direitos reservados|carregar mais|fim do conteúdo|(adicionar|deixe|escreva) um comentário|"
    r"comentários?( \(\d+\))?$|siga-nos",
}
_CHROME = re.compile(r"^\W*(?:" + "|".join(f"(?:{p})" for p in _CHROME_PHRASES.values()) + r")\b", re.I)
_CHROME_MAX_WORDS = 8  # "Search teams found the wreck." is a sentence: weak phrases need short lines
# Phrases that are chrome even at sentence length: comment forms, cookie banners, legal footers.
_STRONG_CHROME = re.compile(
    r"^\W*(?:(add|leave|post|write) a (comment|reply)|comment (sent|submitted|posted)|your comment|"
    r"subscribe to (our|the)|follow [\w' ]{1,40} (for more|on (twitter|facebook|instagram|linkedin|x)\b)|"
    r"abonnez-vous à|suscr[ií]bete a|abonnieren sie|iscriviti alla|assine a|"
    r"we use cookies|this (site|website) uses cookies|all rights reserved|sign up for our|"
    r"(ajouter|laisser|écrire) un commentaire|nous utilisons des cookies|tous droits réservés|"
    r"(a[nñ]adir|deja|escribe) un comentario|(usamos|utilizamos) cookies|todos los derechos reservados|"
    r"kommentar (schreiben|hinzufügen)|wir verwenden cookies|alle rechte vorbehalten|"
    r"(aggiungi|lascia|scrivi) un commento|utilizziamo i cookie|tutti i diritti riservati|"
    r"(adicionar|deixe|escreva) um comentário|(usamos|utilizamos) cookies|todos os direitos reservados)\b",
    re.I,
)
_STRONG_MAX_WORDS = 25
# A link cue with a colon introduces another article's headline, whatever its length.
_LINK_CUE = re.compile(
    r"^\W*(read (more|also|next)|see also|related|also read|more on this|lire aussi|à lire aussi|voir aussi|"
    r"lee también|leer más|lesen sie auch|mehr zum thema|leggi anche|leia também|veja também)\s*:",
    re.I,
)

_CAPTION_WORDS = re.compile(
    r"\b(image|images|photo|photos|photograph|picture|pic|logo|credits?|getty|shutterstock|reuters/|afp/|"
    r"file photo|screenshot|illustration|foto|fotos|imagen|bild|immagine|imagem|source)\b|©|\(c\)",
    re.I,
)
_CAPTION_MAX_WORDS = 12


def normalise_whitespace(text: str) -> str:
    """Strip indentation and trailing spaces, collapse runs of spaces; keep characters otherwise."""
    text = _ZERO_WIDTH.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def line_key(line: str) -> str:
    """Comparison key for repeats: case and spacing do not matter."""
    return " ".join(_WORDS.findall(line.casefold()))


def _is_repeated_word(words: list[str]) -> bool:
    if len(words) < 2:
        return False
    low = [w.casefold() for w in words]
    half = len(low) // 2
    return len(set(low)) == 1 or (len(low) % 2 == 0 and low[:half] == low[half:])


def chrome_reason(line: str, standalone: bool = True, first: bool = False) -> str | None:
    """Why a line is page chrome, or None when it may be content.

    `standalone` lines (a paragraph of their own) are also judged by shape; a line inside a
    longer paragraph only by phrase, so a wrapped sentence fragment is never dropped by shape.
    The `first` line kept may be a terse headline ("Strike ends") and is not judged by length.
    """
    words = _words(line)
    if not words:
        return "no words" if standalone else None
    if len(words) <= _STRONG_MAX_WORDS and (_STRONG_CHROME.match(line) or _LINK_CUE.match(line)):
        return "chrome phrase"
    m = _CHROME.match(line) if len(words) <= _CHROME_MAX_WORDS and not _punct()[2].search(line) else None
    # a one-word cue ("Home", "Share") marks chrome only on a very short line: "Home prices rise
    # in the capital" is a subheading; a two-word cue ("Read more") is enough on a short line
    if m and (len(words) <= 4 or len(_WORDS.findall(m.group(0))) >= 2):
        return "chrome phrase"
    if _is_repeated_word(words):
        return "repeated word"
    if not standalone:
        return None
    punct = bool(_punct()[1].search(line.rstrip(".")) or _punct()[0].search(line))
    if len(words) <= _CAPTION_MAX_WORDS and not punct and _CAPTION_WORDS.search(line):
        return "caption"
    if len(words) <= 6 and not punct and words[-1].isdigit() and not _looks_like_year(words[-1]):
        return "caption"
    if len(words) <= 3 and not punct and not first:
        return "short fragment"
    return None


def _looks_like_year(token: str) -> bool:
    return len(token) == 4 and token[:2] in ("19", "20")


def _blocks(text: str) -> list[list[str]]:
    """Paragraph blocks (split at blank lines), each a list of its non-empty lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_hard_wrapped(lines: list[str]) -> bool:
    """A paragraph wrapped at a fixed width: long lines that do not end a sentence."""
    return len(lines) > 1 and all(len(x) >= 50 and not _punct()[0].search(x) for x in lines[:-1])


@dataclass
class Cleaned:
    text: str
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (line, reason)


def clean_text(text: str, headline: str | None = None, shapes: bool = True) -> Cleaned:
    """Remove chrome lines; paragraphs come out separated by one blank line.

    `headline` (the article's title, when known) is never dropped as a fragment, and later
    copies of it are. `shapes=False` keeps only phrase and repeat rules (for extractor output,
    whose short lines are usually real subheadings).
    """
    text = normalise_whitespace(text)
    head_key = line_key(headline) if headline else None
    seen: set[str] = set()
    last = ""
    first_key = ""  # the first line kept: a headline when the caller did not name one
    paragraphs: list[str] = []
    dropped: list[tuple[str, str]] = []
    for block in _blocks(text):
        standalone = len(block) == 1
        kept: list[str] = []
        for line in block:
            key = line_key(line)
            is_head = bool(head_key) and key == head_key
            if key and (key == last or (key in (head_key, first_key) and key in seen)):
                dropped.append((line, "repeat"))
                continue
            first = not paragraphs and not kept and head_key is None
            reason = None if is_head else chrome_reason(line, standalone=standalone and shapes, first=first)
            if reason:
                dropped.append((line, reason))
                last = ""  # lines around dropped chrome are not adjacent repeats
                continue
            if key:
                seen.add(key)
                last = key
                first_key = first_key or (key if len(line) <= 150 else "-")
            kept.append(line)
        if not kept:
            continue
        if _is_hard_wrapped(block) and len(kept) == len(block):
            paragraphs.append(" ".join(kept))
        else:
            paragraphs.extend(kept)
    return Cleaned("\n\n".join(paragraphs), dropped)


class OutletLines:
    """Per-outlet counts of short paragraphs across articles, to catch an outlet's own chrome.

    A paragraph of at most `max_chars` that has appeared in `min_articles` or more articles of
    the same outlet is template text (a slogan, "Follow our live coverage", a rights footer, an
    author's bio), whatever its wording or language. Counting is incremental, so the first
    article of an outlet keeps such a paragraph. Two is enough: an outlet rewrites its news, not
    its footer, and a footer left in two articles passes for a copied paragraph (or a shared
    name and number) that ties two unrelated articles together.

    The counts outlive a process: the store keeps them, under a 64-bit key per (outlet, line).
    `wanted` names the counts a batch needs, `prime` gives those the store holds, and
    `take_changes` hands back what was counted since, for the store to add in the batch's
    transaction.
    """

    def __init__(self, min_articles: int = 2, max_chars: int = 600) -> None:
        self.min_articles = min_articles
        self.max_chars = max_chars
        self._counts: Counter[int] = Counter()
        self._known: set[int] = set()  # keys whose stored count is in _counts
        self._seen: set[tuple[str, str]] = set()
        self._changes: Counter[int] = Counter()
        self._unstored: Counter[int] = Counter()  # taken, not yet committed

    def paragraph_keys(self, outlet: str, paragraphs: list[str]) -> tuple[tuple[int, int] | None, ...]:
        """Per paragraph, its count key and the count that makes it template (None: a paragraph
        too long to be template). A pure function of the article: computed where it is drafted."""
        o = outlet.casefold()
        out: list[tuple[int, int] | None] = []
        for p in paragraphs:
            key = line_key(p) if len(p) <= self.max_chars else ""
            if key:
                out.append((_line_hash(o, key), self.min_articles))
            else:
                out.append(None)
        return tuple(out)

    def wanted(self, keys: tuple[tuple[int, int] | None, ...]) -> list[int]:
        """The counts an article needs (its `paragraph_keys`) that are not loaded yet."""
        return [k[0] for k in keys if k is not None and k[0] not in self._known]

    def prime(self, stored: dict[int, int], asked: list[int]) -> None:
        """Counts from the store for keys asked with `wanted` (absent: never seen)."""
        for k in asked:
            if k not in self._known:
                self._known.add(k)
                if n := stored.get(k, 0):
                    self._counts[k] += n

    def take_changes(self) -> dict[int, int]:
        """What was counted since the last call, to be written with the article that counted
        it. Until `stored` says it is in the store, it is kept in memory whatever `shrink` does."""
        out, self._changes = dict(self._changes), Counter()
        self._unstored.update(out)
        return out

    def stored(self, changes: dict[int, int]) -> None:
        """These changes are in the store now (their batch committed)."""
        self._unstored.subtract(changes)
        self._unstored = +self._unstored

    def __len__(self) -> int:
        return len(self._known)

    def shrink(self, keep: int = 200_000) -> None:
        """Past `keep` loaded counts, drop those with nothing left to store (the store has
        them, and gives them again when an article needs them)."""
        if len(self._known) <= keep:
            return
        pending = self._changes | self._unstored
        self._known = {k for k in self._known if k in pending}
        self._counts = Counter({k: n for k, n in self._counts.items() if k in pending})
        self._seen.clear()

    def forget(self) -> None:
        """Drop what was loaded (bounded memory); only once every change was taken and stored."""
        if self._changes or self._unstored:
            raise RuntimeError("outlet line counts not yet stored")
        self._counts.clear()
        self._known.clear()
        self._seen.clear()

    def observe(self, outlet: str, paragraphs: list[str], doc_key: str | None = None) -> None:
        """Count the paragraphs of one article; an article seen before (same `doc_key`) counts once."""
        self.observe_keys(outlet, self.paragraph_keys(outlet, paragraphs), doc_key)

    def observe_keys(
        self, outlet: str, keys: tuple[tuple[int, int] | None, ...], doc_key: str | None = None
    ) -> None:
        if doc_key is not None:
            if (outlet.casefold(), doc_key) in self._seen:
                return
            self._seen.add((outlet.casefold(), doc_key))
        distinct = {k[0] for k in keys if k is not None}
        self._counts.update(distinct)
        self._changes.update(distinct)
        self._known.update(distinct)

    def is_template(self, outlet: str, paragraph: str) -> bool:
        return self.is_template_key(self.paragraph_keys(outlet, [paragraph])[0])

    def is_template_key(self, key: tuple[int, int] | None) -> bool:
        return key is not None and self._counts[key[0]] >= key[1]


def _line_hash(outlet: str, key: str) -> int:
    """A signed 64-bit key for (outlet, line): what the store indexes, a few bytes a line."""
    digest = hashlib.blake2b(f"{outlet}\x00{key}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)

"""Currencies by symbol, ISO code and name, in the languages we read, mapped to ISO 4217.

A bare "$" or "dollars" is taken as USD (what the news means by it unless it says
otherwise); "¥" is JPY unless the sentence talks about China, then CNY. Romanian "lei" is
deliberately absent: it is far more often a name ("Lei Jun") than a currency; only the code
RON is read.
"""

from __future__ import annotations

import re

# symbols and codes written before the number: "US$ 10", "€3.2bn", "USD 5", "R$ 4"
_PREFIX_MAP = {
    "US$": "USD", "U.S.$": "USD", "USD": "USD", "$": "USD", "US $": "USD",
    "C$": "CAD", "CA$": "CAD", "CAD": "CAD", "A$": "AUD", "AU$": "AUD", "AUD": "AUD",
    "HK$": "HKD", "HKD": "HKD", "NZ$": "NZD", "S$": "SGD", "R$": "BRL", "BRL": "BRL",
    "€": "EUR", "EUR": "EUR", "£": "GBP", "GB£": "GBP", "GBP": "GBP", "¥": "JPY",
    "JPY": "JPY", "CNY": "CNY", "RMB": "CNY", "CHF": "CHF", "₹": "INR", "Rs": "INR",
    "Rs.": "INR", "INR": "INR", "₽": "RUB", "RUB": "RUB", "SEK": "SEK", "CZK": "CZK",
    "HUF": "HUF", "PLN": "PLN", "RON": "RON", "ZAR": "ZAR", "KRW": "KRW", "₩": "KRW",
}
_PREFIX_RX = re.compile(
    r"(?:(?<![\w$€£¥])(?P<code>US\s?\$|U\.S\.\$|GB£|(?:CA|C|AU|A|HK|NZ|S|R)\$|"
    r"USD|EUR|GBP|JPY|CNY|RMB|CHF|INR|Rs\.?|RUB|SEK|CZK|HUF|PLN|RON|ZAR|KRW|CAD|AUD|HKD|BRL)"
    r"|(?P<sym>[$€£¥₹₽₩]))[ \u00a0\u202f]?$"
)

# names and codes written after the number (and scale word): "10 milliards de dollars"
_NAMES: list[tuple[str, str]] = [
    # more specific first
    (r"(?:dollars?\s+(?:canadiens?|canadian)|canadian\s+dollars?|dólares\s+canadienses|kanadische[n]?\s+dollar)", "CAD"),
    (r"(?:dollars?\s+australiens?|australian\s+dollars?|dólares\s+australianos)", "AUD"),
    (r"(?:hong\s+kong\s+dollars?|dollars?\s+de\s+hong\s+kong)", "HKD"),
    (r"(?:us[- ]dollars?|u\.s\.\s+dollars?|dollars?\s+(?:am[ée]ricains?|us|des\s+[ée]tats-unis)|dólares\s+(?:estadounidenses|americanos|norteamericanos)|dollari\s+(?:usa|americani|statunitensi))", "USD"),
    (r"(?:dollars?|dólar(?:es)?|dolar(?:es)?|dollari|dollaro|dólares)", "USD"),
    (r"(?:euros?|euro)", "EUR"),
    (r"(?:pounds?\s+sterling|pounds?|livres?\s+sterling|libras?\s+esterlinas?|libras?|pfund(?:\s+sterling)?|sterline|sterlina|sterling)", "GBP"),
    (r"(?:yens?)", "JPY"),
    (r"(?:yuans?|renminbi|rmb)", "CNY"),
    (r"(?:swiss\s+francs?|francs?\s+suisses?|schweizer\s+franken|franken|franchi\s+svizzeri|francos\s+suizos)", "CHF"),
    (r"(?:couronnes?\s+tch[eè]ques?|czech\s+(?:crowns?|korun[ay]?)|korun[ay]?|kč)", "CZK"),
    (r"(?:kronor|couronnes?\s+su[ée]doises?|swedish\s+kronor|schwedische[n]?\s+kronen)", "SEK"),
    (r"(?:forints?)", "HUF"),
    (r"(?:roubles?|rubles?|rubel|rublos?|rubli)", "RUB"),
    (r"(?:rupees?|roupies?|rupias?|rupien)", "INR"),
    (r"(?:zlotys?|złotych|złoty)", "PLN"),
    (r"(?:reais|reals?)", "BRL"),
]
_CODES = r"USD|EUR|GBP|JPY|CNY|RMB|CHF|CZK|SEK|HUF|RUB|INR|PLN|BRL|CAD|AUD|HKD|RON|ZAR|KRW"
_SUFFIX_RX = re.compile(
    r"[ \u00a0\u202f]*(?:(?i:de\s+|d['’]\s*|di\s+|of\s+|del\s+|dei\s+|des\s+))?"
    r"(?:(?P<sym>US\$|[$€£¥₹₽₩])|(?P<code>" + _CODES + r")(?![\w])|"
    + "|".join(f"(?P<n{i}>(?i:{rx}))(?![\\w])" for i, (rx, _) in enumerate(_NAMES))
    + ")"
)
_SYM = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "₽": "RUB", "₩": "KRW"}
_CHINA = re.compile(r"(?i)\b(?:yuan|rmb|renminbi|chin\w*|beijing|shanghai|shenzhen)\b")


def prefix_currency(text: str, start: int) -> tuple[str, int] | None:
    """A currency written just before position `start`: (ISO code, where it begins)."""
    lo = max(0, start - 8)
    m = _PREFIX_RX.search(text, lo, start)
    if not m:
        return None
    raw = (m.group("code") or m.group("sym") or "").replace(" ", "")
    code = _PREFIX_MAP.get(raw, _PREFIX_MAP.get(raw.rstrip("."), None))
    if raw == "RMB":
        code = "CNY"
    if code is None:
        return None
    return code, m.start()


def suffix_currency(text: str, pos: int) -> tuple[str, int] | None:
    """A currency written from `pos` on ("de dollars", " €", " USD"): (ISO code, end)."""
    m = _SUFFIX_RX.match(text, pos)
    if not m:
        return None
    if m.group("sym"):
        return _SYM[m.group("sym")], m.end()
    if m.group("code"):
        c = m.group("code")
        return ("CNY" if c == "RMB" else c), m.end()
    for i, (_, code) in enumerate(_NAMES):
        if m.group(f"n{i}"):
            return code, m.end()
    return None


def refine_yen(code: str, sentence: str) -> str:
    """¥ is the yen, unless the sentence is about China (then the yuan)."""
    if code == "JPY" and _CHINA.search(sentence):
        return "CNY"
    return code

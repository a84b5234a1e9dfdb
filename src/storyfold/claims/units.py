"""What a number counts or measures: percent signs and words, physical units, counted nouns.

Counted nouns are mapped to one canonical English singular so that "300 salariés",
"300 empleados" and "300 Mitarbeiter" land in the same slot ("employee"). The map is small
on purpose (the nouns news states facts about); any other noun is kept as a lemma-ish form
(English plural stripped, other languages lower-cased) so nothing is lost.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------- percentages

_PERCENT_POINTS = (
    r"percentage[- ]points?|points?\s+de\s+pourcentage|points?\s+percentuels?|"
    r"puntos\s+porcentuales|prozentpunkte[n]?|punti\s+percentuali|pontos\s+percentuais|"
    r"p\.\s?p\.|pp(?![\w])|ppt(?![\w])"
)
_PERCENT = (
    r"%|‰|per\s?cent|pct(?![\w])|pour\s?cent|por\s?ciento|por\s?cento|prozent|per\s?cento|"
    r"percent|p\.\s?c\."
)
PERCENT_RX = re.compile(
    rf"[ \u00a0\u202f]*(?:(?P<pp>(?i:{_PERCENT_POINTS}))|(?P<pc>(?i:{_PERCENT})))(?![\w])?"
)


def match_percent(text: str, pos: int) -> tuple[str, int] | None:
    """'%' or 'pour cent' or 'percentage points' at `pos`: (unit '%' | 'pp', end)."""
    m = PERCENT_RX.match(text, pos)
    if not m:
        return None
    end = m.end()
    if m.group("pc") and m.group("pc") != "%" and end < len(text) and text[end].isalpha():
        return None
    # "5 % points" style
    m2 = re.compile(r"[ \u00a0]*(?i:points?|punkte|puntos|punti|pontos)(?![\w])").match(text, end)
    if m.group("pc") == "%" and m2 and re.match(r"(?i)[ \u00a0]*points?", text[end:]):
        return "pp", m2.end()
    return ("pp" if m.group("pp") else "%"), end


# --------------------------------------------------------------------------- physical units

# (regex, canonical symbol). Symbols are case-sensitive; names are not.
_UNITS: list[tuple[str, str]] = [
    (r"TWh", "TWh"), (r"GWh", "GWh"), (r"MWh", "MWh"), (r"kWh", "kWh"),
    (r"GW", "GW"), (r"MW", "MW"), (r"kW", "kW"), (r"MWp", "MW"),
    (r"(?i:térawattheures?|terawatt[- ]hours?)", "TWh"),
    (r"(?i:gigawatt[- ]?heures?|gigawatt[- ]hours?|gigavatios[- ]hora)", "GWh"),
    (r"(?i:mégawatts?|megawatts?|megavatios?|megawatt)", "MW"),
    (r"(?i:gigawatts?|gigavatios?)", "GW"),
    (r"(?i:kilowatts?|kilovatios?)", "kW"),
    (r"km²|km2|(?i:square\s+kilomet(?:re|er)s?|kilomètres?\s+carrés|kilómetros\s+cuadrados|quadratkilometer[n]?|chilometri\s+quadrati)", "km2"),
    (r"m²|(?i:square\s+met(?:re|er)s?|mètres?\s+carrés|metros\s+cuadrados|quadratmeter[n]?|metri\s+quadrati)", "m2"),
    (r"(?i:hectares?|hectáreas?|hektar|ettari|hectares)|ha(?![\w])", "ha"),
    (r"km/h|mph|(?i:kilomet(?:re|er)s?\s+(?:per|an)\s+hour|kilomètres[- ]heure|kilómetros\s+por\s+hora|stundenkilometer[n]?)", "km/h"),
    (r"km|(?i:kilomet(?:re|er)s?|kilomètres?|kilómetros?|kilometern?|chilometri|chilometro|quilômetros?|quilómetros?)", "km"),
    (r"(?i:miles|milles|millas|meilen|miglia|milhas)", "mi"),
    (r"(?i:met(?:re|er)s|mètres|metros|metern|metri)", "m"),
    (r"(?i:tonnes?|tons?|toneladas?|tonnen|tonne|tonnellate|tonnellata|t(?=\s))|t(?![\w])", "t"),
    (r"kg|(?i:kilos?|kilogram(?:me)?s?|kilogramos?|kilogramm|chili|chilogrammi|quilos?)", "kg"),
    (r"(?i:barrels?|barils?|barriles|barrel|barili|barris)|bbl|b/d", "bbl"),
    (r"(?i:litres?|liters?|litros?|litri|liter)", "l"),
    (r"°C|(?i:degrees?\s+celsius|degrés?\s+celsius|grados?\s+celsius|grad\s+celsius|gradi\s+celsius)", "°C"),
    (r"°F|(?i:degrees?\s+fahrenheit)", "°F"),
    (r"(?i:degrees?|degrés?|grados?|grad|gradi|graus)", "°"),
    (r"TB|GB|MB|Gbit/s|Mbit/s|Gbps|Mbps", None),  # type: ignore[list-item]
]
_UNIT_RX = re.compile(
    r"[ \u00a0\u202f]?(?:"
    + "|".join(f"(?P<u{i}>{rx})" for i, (rx, _) in enumerate(_UNITS))
    + r")(?![\w])"
)


def match_unit(text: str, pos: int) -> tuple[str, int] | None:
    """A physical unit at `pos` ("GWh", " tonnes", " km"): (canonical symbol, end)."""
    m = _UNIT_RX.match(text, pos)
    if not m:
        return None
    for i, (_, sym) in enumerate(_UNITS):
        g = m.group(f"u{i}")
        if g:
            return (sym or g), m.end()
    return None


# --------------------------------------------------------------------------- time spans

# durations: "ten years", "10 ans", "diez años", "zehn Jahre" -> unit "year"
_DURATIONS: list[tuple[str, str]] = [
    (r"years?|ans|années?|años?|jahren?|jahre|anni|anno|anos?", "year"),
    (r"months?|mois|meses|mes|monaten?|monate|mesi|mese|mês", "month"),
    (r"weeks?|semaines?|semanas?|wochen?|settimane|settimana", "week"),
    (r"days?|jours?|días?|dias?|tagen?|tage|giorni|giorno", "day"),
    (r"hours?|heures?|horas?|stunden?|ore|ora", "hour"),
    (r"minutes?|minutos?|minuten?|minuti", "minute"),
]
_DUR_RX = re.compile(
    r"[ \u00a0]+(?:"
    + "|".join(f"(?P<d{i}>(?i:{rx}))" for i, (rx, _) in enumerate(_DURATIONS))
    + r")(?![\w])"
)


def match_duration(text: str, pos: int) -> tuple[str, int] | None:
    m = _DUR_RX.match(text, pos)
    if not m:
        return None
    for i, (_, unit) in enumerate(_DURATIONS):
        if m.group(f"d{i}"):
            return unit, m.end()
    return None


TIME_UNITS = {u for _, u in _DURATIONS}

# --------------------------------------------------------------------------- rates

# "a year", "par an", "al año", "pro Jahr", "all'anno", "por ano", "annually"
_PER: list[tuple[str, str]] = [
    (
        r"a\s+year|per\s+year|each\s+year|every\s+year|per\s+annum|a\s+yr|annually|yearly|"
        r"par\s+an|par\s+année|chaque\s+année|l['’]an|annuels?|annuelles?|"
        r"al\s+año|por\s+año|cada\s+año|anuales|anualmente|"
        r"pro\s+jahr|im\s+jahr|jährlich|jahresproduktion|"
        r"all['’]\s?anno|l['’]anno|ogni\s+anno|annui|annue|"
        r"por\s+ano|ao\s+ano|anuais|anualmente|/year|/an|/yr",
        "year",
    ),
    (
        r"a\s+month|per\s+month|each\s+month|monthly|par\s+mois|chaque\s+mois|mensuels?|"
        r"al\s+mes|por\s+mes|mensuales|pro\s+monat|im\s+monat|monatlich|al\s+mese|"
        r"mensili|por\s+mês|ao\s+mês|mensais",
        "month",
    ),
    (
        r"a\s+day|per\s+day|each\s+day|daily|par\s+jour|chaque\s+jour|al\s+día|por\s+día|"
        r"pro\s+tag|täglich|al\s+giorno|per\s+giorno|por\s+dia|ao\s+dia|b/d|/day",
        "day",
    ),
    (r"an\s+hour|per\s+hour|par\s+heure|por\s+hora|pro\s+stunde|all['’]ora|/h(?![\w])", "hour"),
    (r"per\s+share|a\s+share|par\s+action|por\s+acción|je\s+aktie|pro\s+aktie|per\s+azione|por\s+ação", "share"),
    (r"per\s+capita|per\s+person|par\s+habitant|por\s+habitante|pro\s+kopf|pro\s+capite", "person"),
]
_PER_RX = re.compile(
    r"[ \u00a0,]*(?:"
    + "|".join(f"(?P<p{i}>(?i:{rx}))" for i, (rx, _) in enumerate(_PER))
    + r")(?![\w])"
)


def match_per(text: str, pos: int) -> tuple[str, int] | None:
    """A rate denominator right after a value: (unit, end)."""
    m = _PER_RX.match(text, pos)
    if not m:
        return None
    for i, (_, unit) in enumerate(_PER):
        if m.group(f"p{i}"):
            return unit, m.end()
    return None


# --------------------------------------------------------------------------- counted nouns

NOUNS: dict[str, tuple[str, ...]] = {
    "employee": (
        "employees", "employee", "staff", "staffers", "workers", "worker", "employés", "employé",
        "salariés", "salarié", "collaborateurs", "travailleurs", "empleados", "empleado",
        "trabajadores", "trabajador", "mitarbeiter", "mitarbeitern", "mitarbeiterinnen",
        "beschäftigte", "beschäftigten", "angestellte", "angestellten", "arbeitnehmer",
        "arbeiter", "dipendenti", "lavoratori", "impiegati", "addetti", "funcionários",
        "empregados", "trabalhadores", "colaboradores", "engineers", "ingénieurs",
        "ingenieros", "ingenieure", "ingegneri", "engenheiros",
    ),
    "job": (
        "jobs", "job", "emplois", "emploi", "postes", "empleos", "empleo", "puestos", "arbeitsplätze",
        "stellen", "posti", "empregos", "postos",
    ),
    "vehicle": (
        "vehicles", "vehicle", "cars", "car", "autos", "auto", "automobiles", "voitures", "voiture",
        "véhicules", "véhicule", "coches", "coche", "vehículos", "vehículo", "automóviles",
        "fahrzeuge", "fahrzeugen", "wagen", "pkw", "automobili", "veicoli", "macchine",
        "veículos", "carros", "evs", "trucks", "camions", "camiones", "lkw",
    ),
    "person": (
        "people", "persons", "personnes", "personas", "menschen", "personen", "persone",
        "pessoas", "individuals", "individus", "habitants", "residents", "einwohner",
        "abitanti", "habitantes",
    ),
    "death": (
        "deaths", "dead", "morts", "décès", "tués", "muertos", "muertes", "fallecidos",
        "tote", "toten", "todesopfer", "morti", "mortos", "mortes", "killed",
    ),
    "injured": ("injured", "wounded", "blessés", "heridos", "verletzte", "verletzten", "feriti", "feridos"),
    "victim": ("victims", "victimes", "víctimas", "opfer", "vittime", "vítimas"),
    "child": ("children", "kids", "enfants", "niños", "kinder", "bambini", "crianças"),
    "student": (
        "students", "pupils", "étudiants", "élèves", "estudiantes", "alumnos", "studenten",
        "schüler", "studenti", "alunni", "alunos", "estudantes",
    ),
    "home": ("homes", "houses", "maisons", "logements", "viviendas", "casas", "häuser", "wohnungen", "case", "abitazioni"),
    "aircraft": (
        "aircraft", "planes", "airplanes", "jets", "avions", "avion", "aviones", "aeronaves",
        "flugzeuge", "aerei", "velivoli", "aviões",
    ),
    "customer": ("customers", "clients", "clientes", "kunden", "clienti"),
    "user": ("users", "utilisateurs", "usuarios", "nutzer", "utenti", "usuários", "subscribers", "abonnés", "abonados", "abonnenten", "abbonati", "assinantes"),
    "share": ("shares", "actions", "acciones", "aktien", "azioni", "ações"),
    "unit": ("units", "unités", "unidades", "einheiten", "unità"),
    "phone": ("phones", "smartphones", "téléphones", "smartphone", "teléfonos", "handys", "telefoni", "telefones", "celulares"),
    "store": ("stores", "shops", "magasins", "boutiques", "tiendas", "geschäfte", "filialen", "negozi", "lojas"),
    "country": ("countries", "pays", "países", "länder", "ländern", "paesi"),
    "company": (
        "companies", "firms", "entreprises", "sociétés", "empresas", "compañías", "unternehmen",
        "firmen", "aziende", "società", "imprese",
    ),
    "member": ("members", "membres", "miembros", "mitglieder", "membri", "membros"),
    "soldier": ("soldiers", "troops", "soldats", "soldados", "soldaten", "soldati", "militaires", "militares", "militari"),
    "vote": ("votes", "voix", "votos", "stimmen", "voti"),
    "seat": ("seats", "sièges", "escaños", "sitze", "seggi", "assentos", "mandate"),
    "visitor": ("visitors", "visiteurs", "visitantes", "besucher", "visitatori", "tourists", "touristes", "turistas", "touristen", "turisti"),
    "patient": ("patients", "pacientes", "patienten", "pazienti"),
    "case": ("cases", "cas", "casos", "fälle", "casi"),
    "refugee": ("refugees", "réfugiés", "refugiados", "flüchtlinge", "rifugiati", "migrants", "migrantes", "migranten", "migranti"),
    "prisoner": ("prisoners", "détenus", "prisonniers", "presos", "gefangene", "häftlinge", "detenuti", "prigionieri"),
    "flight": ("flights", "vols", "vuelos", "flüge", "voli", "voos"),
    "passenger": ("passengers", "passagers", "pasajeros", "passagiere", "passeggeri", "passageiros"),
}
NOUN_CANON: dict[str, str] = {v: k for k, vs in NOUNS.items() for v in vs}

# words that end a noun search: articles, prepositions, verbs, conjunctions (all languages)
STOP = frozenset(
    """
a an the of to in on at for by with from as than and or but nor per is are was were be been
has have had will would could should may might can do does did not no this that these those
its their his her our your my more less most least over under about around some each every
which who whom whose what when where while then so such also only just even still yet into
out up down off after before since until through during between among against toward
towards upon within without across along beyond behind below above like unlike via
le la les l un une des du de d et ou à au aux en dans par pour sur sous avec sans chez
entre vers que qui dont où plus moins est sont était ont a été sera seront avait ce cette
ces se sa son ses leur leurs nos notre votre y ne pas
el la los las lo un una unos unas del de y o a al en por para con sin sobre entre hacia
que quien cuyo donde más menos es son era fue han ha será se su sus este esta estos estas
der die das den dem des ein eine einer eines einem einen und oder zu im in am an auf aus
bei mit nach von vor über unter um für gegen ohne seit bis als wie dass ist sind war
waren hat haben wird werden wurde wurden sich sein seine ihre mehr weniger rund etwa
il lo gli i l un uno una dei degli delle della del dello di e o a al ai alla da in con su
per tra fra che chi è sono era ha hanno sarà si suo sua loro più meno circa
o os as um uma uns umas do da dos das de e ou ao aos à às em no na nos nas por para com
sem sobre entre que é são foi têm tem será se seu sua seus suas mais menos
""".split()
)


def singular_en(word: str) -> str:
    """Crude English singular, good enough for unit labels ("tankers" -> "tanker")."""
    w = word.lower()
    if len(w) <= 3 or w.endswith(("ss", "us", "is")):
        return w
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses")):
        return w[:-2]
    if w.endswith("s"):
        return w[:-1]
    return w


def canonical_noun(word: str, lang: str) -> str:
    """The unit label for a counted noun: mapped when known, else a lemma-ish form."""
    w = word.lower().strip("'’")
    if w in NOUN_CANON:
        return NOUN_CANON[w]
    if lang == "en":
        return singular_en(w)
    return w

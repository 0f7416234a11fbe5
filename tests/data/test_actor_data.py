"""Validation of the shipped actor dictionary and country/demonym data.

``conflictlens/data/actors.json`` and ``conflictlens/data/countries.json`` are
read by the event extractor; these tests check their structure and internal
consistency, and a handful of expectations taken from the ACLED coding
reference (``../shared/reference/acled-coding.md`` §2) and issue 3.
"""
from __future__ import annotations

import re
import string
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pycountry
import pytest

REPO = Path(__file__).resolve().parents[2]


def norm(text: str) -> str:
    """Lookup key: case-folded, whitespace collapsed (as in conftest.py)."""
    return " ".join(text.casefold().split())


KINDS = {"state", "rebel", "political_militia", "identity_militia", "external", "party", "other"}
# The inter code each kind implies (party and other vary with the role the actor plays).
KIND_INTER = {"state": 1, "rebel": 2, "political_militia": 3, "identity_militia": 4, "external": 8}
PERIOD_RE = re.compile(r"^\(\d{4}-(\d{4})?\)$")
# Places with no permanent population, or whose usual demonym is ambiguous with a
# larger country's ("Congolese" is DR Congo's, "Dominican" the Dominican Republic's).
NO_DEMONYM = {"ATF", "BVT", "HMD", "SGS", "SJM", "UMI", "COG", "DMA"}


# --- actors.json: structure ---------------------------------------------------------


def test_actors_top_level(actors_doc):
    assert set(actors_doc) >= {"licence", "source", "generic", "actors"}
    assert "CC0" in actors_doc["licence"]
    assert isinstance(actors_doc["generic"], list) and actors_doc["generic"]
    assert isinstance(actors_doc["actors"], list) and len(actors_doc["actors"]) >= 60


def test_actor_entries_have_required_keys(actors_doc):
    allowed = {"name", "aliases", "inter", "country", "kind", "note"}
    for actor in actors_doc["actors"]:
        assert {"name", "aliases", "inter", "country", "kind"} <= set(actor), actor
        assert set(actor) <= allowed, actor
        assert isinstance(actor["name"], str) and actor["name"].strip() == actor["name"] != ""
        assert isinstance(actor["aliases"], list)
        assert all(isinstance(a, str) and a.strip() == a != "" for a in actor["aliases"]), actor
        assert actor["kind"] in KINDS, actor


def test_actor_inter_codes(actors_doc):
    for actor in actors_doc["actors"]:
        assert isinstance(actor["inter"], int) and 0 <= actor["inter"] <= 8, actor
        if actor["kind"] in KIND_INTER:
            assert actor["inter"] == KIND_INTER[actor["kind"]], actor["name"]


def test_actor_countries_are_valid_iso3(actors_doc):
    for actor in actors_doc["actors"]:
        iso3 = actor["country"]
        if iso3 is None:  # transnational (UN, NATO, Islamic State with no country named)
            assert actor["kind"] in {"external", "rebel"}, actor["name"]
            continue
        assert pycountry.countries.get(alpha_3=iso3) is not None, (actor["name"], iso3)


def test_actor_names_unique(actors_doc):
    names = [norm(a["name"]) for a in actors_doc["actors"]]
    assert len(names) == len(set(names))


def test_no_alias_shared_by_two_actors(actors_doc):
    owners: dict[str, set[str]] = defaultdict(set)
    for actor in actors_doc["actors"]:
        for key in [actor["name"], *actor["aliases"]]:
            owners[norm(key)].add(actor["name"])
    shared = {k: v for k, v in owners.items() if len(v) > 1}
    assert not shared


def test_no_alias_repeated_within_an_actor(actors_doc):
    repeated = {}
    for actor in actors_doc["actors"]:
        keys = [norm(k) for k in [actor["name"], *actor["aliases"]]]
        dups = sorted({k for k in keys if keys.count(k) > 1})
        if dups:
            repeated[actor["name"]] = dups
    assert not repeated


# --- actors.json: generic patterns ---------------------------------------------------


def _fields(pattern: str) -> list[str]:
    return [f for _, f, _, _ in string.Formatter().parse(pattern) if f is not None]


def test_generic_patterns_well_formed(actors_doc):
    seen = set()
    for g in actors_doc["generic"]:
        assert {"pattern", "inter", "triggers"} <= set(g), g
        assert _fields(g["pattern"]) == ["country"], g["pattern"]
        assert isinstance(g["inter"], int) and 0 <= g["inter"] <= 8
        assert g["pattern"] not in seen
        seen.add(g["pattern"])


def test_generic_patterns_required(actors_doc):
    inter = {g["pattern"]: g["inter"] for g in actors_doc["generic"]}
    assert inter["Military Forces of {country}"] == 1
    assert inter["Police Forces of {country}"] == 1
    assert inter["Civilians ({country})"] == 7
    assert inter["Protesters ({country})"] == 6
    assert inter["Rioters ({country})"] == 5
    assert inter["Unidentified Armed Group ({country})"] == 2


def test_generic_triggers_lowercase_and_unambiguous(actors_doc):
    owner: dict[str, str] = {}
    for g in actors_doc["generic"]:
        assert g["triggers"], g["pattern"]
        for t in g["triggers"]:
            assert t == t.lower() == " ".join(t.split()) and t, (g["pattern"], t)
            assert t not in owner, f"trigger {t!r} in {owner.get(t)!r} and {g['pattern']!r}"
            owner[t] = g["pattern"]


def render(pattern: str, country: dict, period: bool) -> str:
    """Actor name for a generic pattern, with the ACLED period suffix where used.

    After "of", a country's ``of_name`` ("the Philippines") replaces its name.
    """
    cname = country.get("of_name", country["name"]) if pattern.endswith("of {country}") else country["name"]
    name = pattern.format(country=cname)
    if period and country.get("military_period"):
        name = f"{name} {country['military_period']}"
    return name


def test_generic_patterns_render_for_every_country(actors_doc, countries_doc):
    for g in actors_doc["generic"]:
        rendered = set()
        for c in countries_doc["countries"]:
            name = render(g["pattern"], c, g.get("period", False))
            assert "{" not in name and "}" not in name
            assert c["name"] in name or c.get("of_name") in name
            rendered.add(name)
        assert len(rendered) == len(countries_doc["countries"]), g["pattern"]


@pytest.mark.parametrize(
    ("pattern", "iso3", "expected"),
    [  # ACLED coding reference §2
        ("Military Forces of {country}", "PAK", "Military Forces of Pakistan (2018-)"),
        ("Police Forces of {country}", "PAK", "Police Forces of Pakistan (2018-)"),
        ("Civilians ({country})", "PAK", "Civilians (Pakistan)"),
        ("Unidentified Armed Group ({country})", "PAK", "Unidentified Armed Group (Pakistan)"),
        ("Civilians ({country})", "COD", "Civilians (Democratic Republic of Congo)"),
        ("Military Forces of {country}", "COD", "Military Forces of the Democratic Republic of Congo (2019-)"),
        ("Military Forces of {country}", "AFG", "Military Forces of Afghanistan (2021-)"),
        ("Military Forces of {country}", "PHL", "Military Forces of the Philippines"),
        ("Civilians ({country})", "PHL", "Civilians (Philippines)"),
    ],
)
def test_generic_render_examples(actors_doc, countries, pattern, iso3, expected):
    g = next(g for g in actors_doc["generic"] if g["pattern"] == pattern)
    assert render(pattern, countries[iso3], g.get("period", False)) == expected


def test_named_state_units_match_generic_rendering(actors_doc, countries):
    """'Military Forces of India (2014-)' in actors.json must equal what the generic pattern gives."""
    generic = {g["pattern"].split("{")[0]: g for g in actors_doc["generic"] if g["pattern"].endswith("{country}")}
    checked = 0
    for actor in actors_doc["actors"]:
        for prefix, g in generic.items():
            if actor["name"].startswith(prefix) and actor["country"]:
                current = render(g["pattern"], countries[actor["country"]], g.get("period", False))
                if actor["name"] != current:  # a past period must say so in a note
                    base = render(g["pattern"], countries[actor["country"]], False)
                    assert actor["name"].startswith(base + " (") and "note" in actor, (actor["name"], current)
                    assert PERIOD_RE.match(actor["name"][len(base) + 1:]), actor["name"]
                assert actor["inter"] == g["inter"]
                checked += 1
    assert checked >= 8


def test_assoc_generic_patterns(actors_doc, countries_doc):
    """Identity patterns for associated actors ("Chinese Group (Pakistan)", "Journalists (Pakistan)")."""
    seen_triggers: dict[str, str] = {}
    patterns = set()
    for g in actors_doc.get("assoc_generic", []):
        assert {"pattern", "inter", "kind", "triggers"} <= set(g), g
        fields = _fields(g["pattern"])
        assert "country" in fields and set(fields) <= {"country", "demonym"}, g["pattern"]
        assert g["pattern"] not in patterns
        patterns.add(g["pattern"])
        assert g["inter"] == 7
        for t in g["triggers"]:
            assert t == t.lower() == " ".join(t.split()) and t, (g["pattern"], t)
            assert t not in seen_triggers, (t, seen_triggers.get(t), g["pattern"])
            seen_triggers[t] = g["pattern"]
        for c in countries_doc["countries"]:
            if "demonym" in fields and not c["demonyms"]:
                continue
            name = g["pattern"].format(country=c["name"], demonym=(c["demonyms"] or [""])[0])
            assert "{" not in name and "}" not in name and c["name"] in name


def test_assoc_nationality_example(actors_doc, countries):
    """Reference §2: Chinese engineers attacked in Pakistan -> 'Chinese Group (Pakistan)'."""
    g = next(g for g in actors_doc["assoc_generic"] if "{demonym}" in g["pattern"])
    name = g["pattern"].format(demonym=countries["CHN"]["demonyms"][0], country=countries["PAK"]["name"])
    assert name == "Chinese Group (Pakistan)"


# --- actors.json: coverage ------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "expected"),
    [
        ("TTP", "TTP: Tehreek-i-Taliban Pakistan"),
        ("Pakistani Taliban", "TTP: Tehreek-i-Taliban Pakistan"),
        ("Tehreek-e-Taliban Pakistan", "TTP: Tehreek-i-Taliban Pakistan"),
        ("Baloch Liberation Army", "BLA: Balochistan Liberation Army"),
        ("Frontier Corps", "Military Forces of Pakistan (2018-)"),
        ("CTD", "Police Forces of Pakistan (2018-)"),
        ("Levies", "Police Forces of Pakistan (2018-)"),
        ("Afghan Taliban", "Taliban"),
        ("Haqqani Network", "Taliban"),
        ("Islamic Emirate of Afghanistan", "Taliban"),
        ("ISPP", "Islamic State (Pakistan)"),
        ("CRPF", "Police Forces of India (2014-)"),
        ("SAF", "Military Forces of Sudan (2019-)"),
        ("Naxalites", "CPI (Maoist): Communist Party of India (Maoist)"),
    ],
)
def test_alias_resolves(actor_index, alias, expected):
    assert actor_index[norm(alias)]["name"] == expected


REQUIRED = {
    # Pakistan
    "BLF": 2, "BRAS": 2, "Lashkar-e-Jhangvi": 2, "Lashkar-e-Taiba": 2, "Jaish-e-Mohammed": 2,
    "Jamaat-ul-Ahrar": 2, "Hafiz Gul Bahadur": 2, "ISKP": 2, "Sindhudesh Revolutionary Army": 2, "PTI": 3,
    # Afghanistan
    "Taliban": 1, "National Resistance Front": 2, "Afghanistan Freedom Front": 2,
    # India
    "BSF": 1, "Assam Rifles": 1, "Hizbul Mujahideen": 2, "The Resistance Front": 2, "PLFI": 2, "ULFA": 2,
    "NSCN-IM": 2, "NSCN-K": 2, "Meitei militia": 4, "Kuki militia": 4,
    # elsewhere
    "Boko Haram": 2, "ISWAP": 2, "JNIM": 2, "Islamic State Sahel": 2, "al Shabaab": 2, "ADF": 2, "M23": 2,
    "CODECO": 4, "RSF": 2, "Houthis": 2, "Ansar Allah": 2, "Hamas": 2, "Hezbollah": 2, "PKK": 2, "HTS": 2,
    "SDF": 2, "Islamic State (Iraq)": 2, "Islamic State (Syria)": 2, "Wagner Group": 8, "FARC dissidents": 2,
    "ELN": 2, "Clan del Golfo": 3, "CJNG": 3, "Sinaloa Cartel": 3, "Arakan Army": 2, "PDF": 2, "KIA": 2,
    "NPA": 2, "Abu Sayyaf": 2, "Fano": 4, "TPLF": 2, "OLA": 2,
}


@pytest.mark.parametrize(("alias", "inter"), sorted(REQUIRED.items()))
def test_required_actor_present(actor_index, alias, inter):
    assert norm(alias) in actor_index, alias
    assert actor_index[norm(alias)]["inter"] == inter


@pytest.mark.parametrize("iso3", ["PAK", "AFG", "IND"])
def test_focus_countries_well_covered(actors_doc, iso3):
    assert sum(a["country"] == iso3 for a in actors_doc["actors"]) >= 4


# --- countries.json -------------------------------------------------------------------


def test_countries_top_level(countries_doc):
    assert set(countries_doc) >= {"licence", "source", "countries"}
    for c in countries_doc["countries"]:
        assert {"iso3", "name", "aliases", "demonyms", "capital"} <= set(c), c
        assert set(c) <= {"iso3", "iso2", "name", "aliases", "demonyms", "capital", "military_period", "of_name"}, c
        if "of_name" in c:
            assert c["of_name"] == "the " + c["name"], c
        assert isinstance(c["name"], str) and c["name"]
        assert all(isinstance(a, str) and a for a in c["aliases"] + c["demonyms"])
        assert c["capital"] is None or isinstance(c["capital"], str)


def test_every_iso3_valid(countries_doc):
    for c in countries_doc["countries"]:
        pc = pycountry.countries.get(alpha_3=c["iso3"])
        assert pc is not None, c["iso3"]
        if "iso2" in c:
            assert pc.alpha_2 == c["iso2"]


def test_every_pycountry_country_present(countries):
    expected = {c.alpha_3 for c in pycountry.countries}
    assert set(countries) == expected


def test_country_names_and_aliases_unambiguous(countries_doc):
    owners: dict[str, set[str]] = defaultdict(set)
    for c in countries_doc["countries"]:
        for key in [c["name"], *c["aliases"]]:
            owners[norm(key)].add(c["iso3"])
    assert not {k: v for k, v in owners.items() if len(v) > 1}


def test_demonyms_unambiguous(countries_doc):
    owners: dict[str, set[str]] = defaultdict(set)
    for c in countries_doc["countries"]:
        for d in c["demonyms"]:
            owners[norm(d)].add(c["iso3"])
    assert not {k: v for k, v in owners.items() if len(v) > 1}


def test_demonyms_present(countries_doc):
    missing = [c["iso3"] for c in countries_doc["countries"] if not c["demonyms"] and c["iso3"] not in NO_DEMONYM]
    assert not missing


def test_military_periods_well_formed(countries):
    for c in countries.values():
        if "military_period" in c:
            assert PERIOD_RE.match(c["military_period"]), c
    assert countries["PAK"]["military_period"] == "(2018-)"
    assert countries["AFG"]["military_period"] == "(2021-)"


@pytest.mark.parametrize(
    ("iso3", "name"),
    [
        ("COD", "Democratic Republic of Congo"), ("SYR", "Syria"), ("IRN", "Iran"), ("RUS", "Russia"),
        ("PSE", "Palestine"), ("MMR", "Myanmar"), ("KOR", "South Korea"), ("PRK", "North Korea"),
        ("LAO", "Laos"), ("VNM", "Vietnam"), ("BOL", "Bolivia"), ("VEN", "Venezuela"), ("TZA", "Tanzania"),
        ("MDA", "Moldova"), ("CZE", "Czech Republic"), ("SWZ", "eSwatini"), ("CIV", "Ivory Coast"),
        ("PAK", "Pakistan"),
    ],
)
def test_acled_country_names(countries, iso3, name):
    assert countries[iso3]["name"] == name


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("DRC", "COD"), ("DR Congo", "COD"), ("Democratic Republic of the Congo", "COD"),
        ("Congo-Brazzaville", "COG"), ("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("Burma", "MMR"),
        ("Turkey", "TUR"), ("Türkiye", "TUR"), ("Gaza", "PSE"), ("West Bank", "PSE"), ("Syria", "SYR"),
        ("Syrian Arab Republic", "SYR"), ("Iran", "IRN"), ("Russia", "RUS"), ("UK", "GBR"), ("US", "USA"),
        ("Islamic Republic of Pakistan", "PAK"),
    ],
)
def test_country_alias_lookup(countries_doc, text, iso3):
    index = {norm(k): c["iso3"] for c in countries_doc["countries"] for k in [c["name"], *c["aliases"]]}
    assert index[norm(text)] == iso3


@pytest.mark.parametrize(
    ("demonym", "iso3"),
    [
        ("Afghan", "AFG"), ("Afghans", "AFG"), ("Pakistani", "PAK"), ("Indian", "IND"), ("Nigerian", "NGA"),
        ("Nigerians", "NGA"), ("Nigerien", "NER"), ("Congolese", "COD"), ("British", "GBR"), ("Britons", "GBR"),
        ("American", "USA"), ("Americans", "USA"), ("Filipino", "PHL"), ("Sudanese", "SDN"),
        ("South Sudanese", "SSD"), ("Chinese", "CHN"), ("Palestinians", "PSE"), ("Burmese", "MMR"),
    ],
)
def test_demonym_lookup(countries_doc, demonym, iso3):
    index = {norm(d): c["iso3"] for c in countries_doc["countries"] for d in c["demonyms"]}
    assert index[norm(demonym)] == iso3


def test_countries_file_in_sync_with_build_script():
    """countries.json is generated; a hand edit must go into scripts/build_countries.py."""
    proc = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_countries.py"), "--check"],
        capture_output=True, text=True, timeout=60,
    )
    assert proc.returncode == 0, proc.stderr


def test_aliases_that_are_english_words_are_acronyms(actors_doc, countries_doc):
    """'IS' and 'US' are fine as acronyms only: a case-sensitive matcher must tell them from 'is'/'us'."""
    from spacy.lang.en.stop_words import STOP_WORDS

    keys = [k for a in actors_doc["actors"] for k in a["aliases"]]
    keys += [k for c in countries_doc["countries"] for k in c["aliases"] + c["demonyms"]]
    bad = [k for k in keys if k.casefold() in STOP_WORDS and not k.isupper()]
    assert not bad


def test_data_loads_through_lexicons():
    """The loaders in conflictlens.lexicons read both files (skipped while that module is absent)."""
    lexicons = pytest.importorskip("conflictlens.lexicons")
    for fn in ("countries", "actors", "generic_actors"):
        getattr(getattr(lexicons, fn), "cache_clear", lambda: None)()
    assert len(lexicons.countries()) == len(pycountry.countries)
    names = {a.name for a in lexicons.actors()}
    assert "TTP: Tehreek-i-Taliban Pakistan" in names
    assert {g.pattern for g in lexicons.generic_actors()} >= {"Civilians ({country})", "Military Forces of {country}"}

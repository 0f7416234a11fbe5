from datetime import date

from conflictlens.ingest.clean import clean_text

PAGE = """1. Skip to content
  2. Skip to main menu

Militants attack border post in northern district

Jane Roe in Quetta
March 3, 2024

Gunmen attacked a border post in the district on Saturday, killing two guards, officials said.

Villagers gather near the damaged post on Sunday
The post was rebuilt last yearImage: John Doe/XYZ Photo

Police said the attackers fled towards the hills.

Related: How the border economy collapsed

Officials promise more checkpoints

Local elders said the area had been calm for months.

Edited by: A. Editor

Jane Roe
Jane Roe Journalist based in Quetta, covering security
"""


def test_debris_is_removed_and_metadata_read():
    r = clean_text(PAGE)
    assert r.title == "Militants attack border post in northern district"
    assert r.authors == ["Jane Roe"]
    assert r.dateline == "Quetta"
    assert r.published == date(2024, 3, 3)
    for debris in ("Skip to", "Image:", "Villagers gather", "Related:", "Officials promise more checkpoints",
                   "Edited by", "Journalist based in"):
        assert debris not in r.body, debris
    for kept in ("Gunmen attacked a border post", "Police said the attackers fled", "Local elders said"):
        assert kept in r.body
    reasons = {k for k, _ in r.removed}
    assert {"navigation", "title", "byline", "caption", "heading", "end marker"} <= reasons


def test_wire_dateline_and_outlet():
    r = clean_text("KABUL, Afghanistan (Reuters) — A bomb exploded in the city on Monday, officials said.")
    assert r.dateline == "Kabul"
    assert r.outlet == "Reuters"


def test_outlet_from_told_pattern():
    r = clean_text("Violence rose this week in the province and the situation is tense, one officer told DW on Friday.")
    assert r.outlet == "DW"


def test_no_debris_removal_when_disabled():
    r = clean_text(PAGE, remove_debris=False)
    assert "Skip to content" in r.body


def test_sample_article_debris(sample_text):
    r = clean_text(sample_text)
    assert r.title == "Can Pakistan's new military campaign end militancy?"
    assert r.authors == ["Haroon Janjua"] and r.dateline == "Islamabad" and r.outlet == "DW"
    assert r.published == date(2024, 7, 1)
    for debris in ("Skip to", "Image: Muhammad Sajjad", "female recruits", "will fall on us like a bomb",
                   "cameras help solve", "uproot family", "Edited by", "focusing on Pakistani politics"):
        assert debris not in r.body, debris

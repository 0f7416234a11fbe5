"""Speaker phrases and their resolution."""
from __future__ import annotations

import pytest

from conflictlens.quotes.speakers import SpeakerBook, parse_speaker_phrase


@pytest.mark.parametrize("phrase,kind,text,role", [
    ("Defense Minister Khawaja Asif", "name", "Khawaja Asif", "defense minister"),
    ("military spokesman Colonel Rashid Mir", "name", "Rashid Mir", "military spokesman colonel"),
    ("Madiha Afzal, a fellow at the Brookings Institution,", "name", "Madiha Afzal", "fellow"),
    ("Pakistan's jailed former prime minister, Imran Khan,", "name", "Imran Khan", "jailed former prime minister"),
    ("she", "pronoun", "she", None),
    ("a senior security official, who asked not to be named,", "desc", "senior security official",
     "senior security official"),
    ("the PTI leader", "desc", "PTI leader", "PTI leader"),
    ("The militia's leader, known as Commander Tiger,", "name", "Commander Tiger", "leader"),
])
def test_parse(lexicon, phrase, kind, text, role):
    ref = parse_speaker_phrase(phrase, lexicon)
    assert ref is not None
    assert (ref.kind, ref.text, ref.role) == (kind, text, role)


@pytest.mark.parametrize("phrase", ["The attacks", "it", "Kenya: Police", "The South Asian nation",
                                    "In March, Pakistan launched rare airstrikes inside Afghanistan"])
def test_not_a_speaker(lexicon, phrase):
    ref = parse_speaker_phrase(phrase, lexicon)
    assert ref is None or ref.kind != "name"


def test_anonymity_marker(lexicon):
    ref = parse_speaker_phrase("A senior PTI leader, speaking to DW on the condition of anonymity,", lexicon)
    assert ref.anonymous_marker and ref.kind == "desc"


@pytest.fixture
def book(lexicon):
    b = SpeakerBook(lexicon)
    b.add_person("Maria Sultan", "defense analyst", None, 10)
    b.add_person("Osama Malik", "political commentator", None, 100)
    return b


def test_surname_resolves(book, lexicon):
    assert book.resolve(parse_speaker_phrase("Sultan", lexicon), 200).speaker == "Maria Sultan"


def test_pronoun_takes_latest_person(book, lexicon):
    assert book.resolve(parse_speaker_phrase("he", lexicon), 150).speaker == "Osama Malik"
    assert book.resolve(parse_speaker_phrase("she", lexicon), 50).speaker == "Maria Sultan"
    assert book.resolve(parse_speaker_phrase("she", lexicon), 5) is None  # nothing before: no invention


def test_definite_description_matches_role(book, lexicon):
    assert book.resolve(parse_speaker_phrase("the defense analyst", lexicon), 300).speaker == "Maria Sultan"


def test_unmatched_description_stays_anonymous(book, lexicon):
    e = book.resolve(parse_speaker_phrase("a police officer", lexicon), 300)
    assert e.speaker == "police officer" and e.anonymous
    again = book.resolve(parse_speaker_phrase("the officer", lexicon), 400)
    assert again is e


def test_institution_is_not_anonymous(book, lexicon):
    e = book.resolve(parse_speaker_phrase("The interior ministry", lexicon), 300)
    assert e.speaker == "interior ministry" and not e.anonymous

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
    ("Infrastructure Minister Oleh Savchuk", "name", "Oleh Savchuk", "infrastructure minister"),
    ("Left Party MP Oskar Nyman", "name", "Oskar Nyman", "left party mp"),
    ("State Minister for Interior Naveed Malik", "name", "Naveed Malik", "state minister for interior"),
    ("Rear Admiral Henrik Dahl", "name", "Henrik Dahl", "rear admiral"),
    ("Kataeb al-Nasr", "name", "Kataeb al-Nasr", None),
    ("Astrid Vik of the campaign group Weapons Watch", "name", "Astrid Vik", None),
    ("In the village of Korba, about 90 km from the base, herder Musa Garba", "name", "Musa Garba", "herder"),
    ("the International Committee of the Red Cross", "org", "International Committee of the Red Cross", None),
    ("the United Nations", "org", "United Nations", None),
    ("Environmental group Delta Watch", "org", "Delta Watch", None),
    ("The rights group Memory and Justice", "org", "Memory and Justice", None),
    ("The U.N. mission in Tembe", "desc", "U.N. mission", "U.N. mission"),
    ("A diplomat close to the talks", "desc", "diplomat", "diplomat"),
    ("An army statement", "desc", "army", "army"),
    ("One of the soldiers", "desc", "one of the soldiers", "soldiers"),
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


def test_split_title_stops_at_a_sentence_end(lexicon):
    from conflictlens.quotes.speakers import split_title

    assert split_title("Afghanistan. Defense Minister Khawaja Asif", lexicon)[0] is None
    assert split_title("Defense Minister Khawaja Asif", lexicon) == ("defense minister", "Khawaja Asif")


def test_it_takes_the_latest_institution(lexicon):
    b = SpeakerBook(lexicon)
    b.resolve(parse_speaker_phrase("The defence ministry", lexicon), 10)
    b.add_person("Maria Sultan", "analyst", None, 50)
    e = b.resolve(parse_speaker_phrase("It", lexicon), 100)
    assert e is not None and e.speaker == "defence ministry"
    assert SpeakerBook(lexicon).resolve(parse_speaker_phrase("it", lexicon), 100) is None


def test_subject_between(book):
    assert book.subject_between(90, 200).speaker == "Osama Malik"
    assert book.subject_between(0, 20).speaker == "Maria Sultan"
    assert book.subject_between(20, 90) is None

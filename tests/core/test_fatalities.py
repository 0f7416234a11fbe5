import pytest

from conflictlens.events.fatalities import find_counts, summarise


@pytest.mark.parametrize("text,best,low,high,known,injuries", [
    ("The strikes killed eight people.", 8, 8, 8, True, None),
    ("An assault killed at least five Chinese workers and a Pakistani.", 6, 6, 6, True, None),
    ("Police said five people were killed, while hospital officials said eight died and 12 were wounded.", 5, 5, 8, True, 12),
    ("A policeman was killed and two others injured.", 1, 1, 1, True, 2),
    ("Dozens of people were killed.", 12, 12, 12, True, None),
    ("Several villagers were killed.", 10, 10, 10, True, None),
    ("There were no casualties.", 0, 0, 0, True, None),
    ("No one was killed.", 0, 0, 0, True, None),
    ("killing 3 and wounding 7", 3, 3, 3, True, 7),
    ("The death toll rose to 15 on Tuesday after 12 were killed on Monday.", 15, 12, 15, True, None),
    ("Fifteen assailants were killed. Four soldiers were also killed.", 19, 19, 19, True, None),
    ("The blast left five people dead, including the bomber. It killed four policemen. The bomber also died.",
     5, 5, 5, True, None),
    ("The attack damaged 40 houses and 3 vehicles.", 0, None, None, False, None),
    ("Mayor Ihor Terekhov put the death toll at nine.", 9, 9, 9, True, None),
])
def test_summaries(text, best, low, high, known, injuries):
    s = summarise(find_counts(text))
    assert (s.best, s.low, s.high, s.known, s.injuries) == (best, low, high, known, injuries)


def test_offsets_are_shifted_by_base():
    c = find_counts("gunmen killed three people", base=100)[0]
    assert c.start >= 100 and c.end <= 100 + len("gunmen killed three people")

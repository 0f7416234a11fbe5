"""`conflictlens geocode` and `conflictlens places`."""
import json

from typer.testing import CliRunner

from conflictlens.cli.main import app, main

runner = CliRunner()


def test_geocode_gwadar_json():
    res = runner.invoke(app, ["geocode", "Gwadar", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    r = out["resolved"]
    assert r["iso3"] == "PAK" and r["admin1"] == "Balochistan"
    assert abs(r["latitude"] - 25.1) < 0.2 and abs(r["longitude"] - 62.3) < 0.2


def test_geocode_with_context():
    res = runner.invoke(app, ["geocode", "Hyderabad", "--json", "-c", "Police in Hyderabad, Sindh, made arrests."])
    assert json.loads(res.output)["resolved"]["iso3"] == "PAK"


def test_places_file(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("QUETTA: A bomb exploded near a police van in Quetta. Imran Khan condemned it.", "utf-8")
    res = runner.invoke(app, ["places", str(f), "--json", "--rejected"])
    assert res.exit_code == 0, res.output
    rows = [json.loads(x) for x in res.output.splitlines()]
    resolved = [r for r in rows if r.get("resolved")]
    assert any(r["resolved"]["location"] == "Quetta" for r in resolved)
    assert any(r.get("rejected") and r["text"] == "Khan" for r in rows)


def test_places_missing_file_is_numbered_error(tmp_path, capsys):
    assert main(["places", str(tmp_path / "nope.txt")]) == 1
    assert "error[E001]" in capsys.readouterr().err

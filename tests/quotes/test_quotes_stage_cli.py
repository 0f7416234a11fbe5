"""The quotes.rules stage in the registry and the `conflictlens quotes` command."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conflictlens.doc import RawInput, Sentence, WorkDoc
from conflictlens.errors import ConflictLensError
from conflictlens.registry import stages
from conflictlens.schema import Source

TEXT = ('Army spokesman Rana Tufail said the convoy was attacked at dawn.\n\n'
        '"Two soldiers were wounded, and the operation will continue," he said.\n')


def test_stage_is_registered_with_its_fields():
    spec = stages.get("quotes.rules")
    assert spec.reads == ("body", "sentences", "entities")
    assert spec.writes == ("quotes",)


def test_stage_on_a_hand_built_workdoc():
    fn = stages.get("quotes.rules").factory({})
    doc = WorkDoc(raw=RawInput(name="t", content=TEXT), body=TEXT,
                  source=Source(id="t", title="Army launches operation in the hills", body=TEXT),
                  sentences=[Sentence(0, 62, TEXT[:62])])
    out = fn(doc)
    assert [q.speaker for q in out.quotes] == ["Rana Tufail", "Rana Tufail"]
    assert out.meta["stance_target"] == "operation"


def test_stage_works_without_spacy_fields():
    fn = stages.get("quotes.rules").factory({"indirect": False})
    doc = WorkDoc(raw=RawInput(name="t", content=TEXT), body=TEXT)
    assert [q.kind for q in fn(doc).quotes] == ["direct"]


@pytest.mark.parametrize("opts", [{"nonsense": 1}, {"indirect": "yes"}, {"min_standalone_words": True}])
def test_bad_options_raise_numbered_error(opts):
    with pytest.raises(ConflictLensError) as exc:
        stages.get("quotes.rules").factory(opts)
    assert exc.value.code == "E105"


def test_default_config_runs_quotes_last():
    from conflictlens.pipeline import load_config

    assert load_config()["pipeline"]["stages"][-1] == "quotes.rules"


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text("Army launches operation in the hills\n\n" + TEXT, encoding="utf-8")
    return p


@pytest.fixture
def cli():
    from conflictlens.cli.main import app

    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args))


def test_cli_table(cli, article, quote_pipeline):
    res = cli("quotes", str(article))
    assert res.exit_code == 0, res.output
    assert "Rana Tufail" in res.output and "speaker" in res.output


def test_cli_json(cli, article, quote_pipeline):
    res = cli("quotes", str(article), "--json")
    assert res.exit_code == 0, res.output
    obj = json.loads(res.output)
    assert [q["speaker"] for q in obj["quotes"]] == ["Rana Tufail", "Rana Tufail"]
    assert obj["quotes"][1]["kind"] == "direct"


def test_cli_missing_file_is_a_numbered_error(cli, tmp_path):
    res = cli("quotes", str(tmp_path / "missing.txt"))
    assert res.exit_code == 1
    assert "E001" in res.output


def test_cli_stance_method(cli, article, quote_pipeline):
    model = json.loads(cli("quotes", str(article), "--json").output)["quotes"]
    lex = json.loads(cli("quotes", str(article), "--json", "--stance-method", "lexicon").output)["quotes"]
    assert [q["text"] for q in model] == [q["text"] for q in lex]
    # the model explains a label by its probability; the lexicon by cue words only
    assert all(q["stance_cues"][0].startswith(("p=", "explicit:")) for q in model)
    assert not any(c.startswith("p=") for q in lex for c in q["stance_cues"])
    bad = cli("quotes", str(article), "--stance-method", "magic")
    assert bad.exit_code == 1 and "E105" in bad.output

"""Bad inputs give a numbered error or a valid result, never a traceback.

Every case runs the real CLI in a subprocess
(``python -m conflictlens.cli.main extract PATH``): a failure must exit
non-zero with exactly one ``error[Exxx]:`` line on stderr; a success must exit
0 with JSON that validates against :class:`conflictlens.schema.Document`.
The batch test feeds all cases at once and checks that the good articles
still come out.
"""
from __future__ import annotations

import pytest

from conflictlens.schema import Document

# case file -> allowed outcomes: error codes, plus "ok" when a valid document is acceptable
CASES = {
    "empty.txt": {"E002"},
    "binary-png.txt": {"E008"},
    "binary-noheader.txt": {"E008", "E003"},
    "non-english-de.txt": {"E004"},
    "nav-only.html": {"E009", "E002"},
    "malformed.html": {"ok", "E009", "E002"},
    "cp1252-accents.txt": {"ok", "E003"},
}
# substrings a valid document's body must contain (decoded correctly, script text dropped)
BODY_MUST = {
    "malformed.html": (["Fighting between the Congolese army and M23 rebels"], ["not text", "var x"]),
    "cp1252-accents.txt": (["São Paulo", "José Conceição"], ["Ã£", "Ã©", "â€"]),  # no mojibake
}


def assert_outcome(res, allowed: set[str], name: str) -> list[dict]:
    """Check one single-input CLI run against its allowed outcomes; return the documents."""
    assert "Traceback" not in res.stderr, f"{name}: traceback on stderr:\n{res.stderr[-2000:]}"
    if res.error_lines:
        assert len(res.error_lines) == 1, f"{name}: expected one error[...] line, stderr was:\n{res.stderr[-2000:]}"
        code = res.error_codes[0]
        assert code in allowed, f"{name}: expected one of {sorted(allowed)}, got {res.error_lines[0]}"
        assert res.returncode != 0, f"{name}: reported {res.error_lines[0]!r} but exited with status 0"
        assert res.stdout.strip() == "", f"{name}: failed input still printed output: {res.stdout[:200]!r}"
        return []
    assert res.returncode == 0, f"{name}: exit status {res.returncode} without an error[...] line:\n{res.stderr[-2000:]}"
    assert "ok" in allowed, f"{name}: expected one of {sorted(allowed)}, got a document"
    docs = res.documents()
    assert len(docs) == 1, f"{name}: expected one JSON document on stdout, got {len(docs)}"
    return [Document.model_validate(d).model_dump(mode="json") for d in docs]


@pytest.mark.parametrize("name", sorted(CASES))
def test_committed_case(name, corpus, run_cli):
    res = run_cli(str(corpus / name))
    for doc in assert_outcome(res, CASES[name], name):
        must, must_not = BODY_MUST.get(name, ([], []))
        body = doc["source"]["body"]
        for s in must:
            assert s in body, f"{name}: body lacks {s!r}"
        for s in must_not:
            assert s not in body, f"{name}: body still has {s!r}"


def test_missing_file(tmp_path, run_cli):
    res = run_cli(str(tmp_path / "does-not-exist.txt"))
    assert_outcome(res, {"E001"}, "missing file")


def test_twenty_megabytes_is_refused(big_text, run_cli):
    assert big_text.stat().st_size >= 20 * 1024 * 1024
    res = run_cli(str(big_text))
    assert_outcome(res, {"E006"}, big_text.name)


def test_deeply_nested_html(nested_html, run_cli):
    res = run_cli(str(nested_html))
    assert_outcome(res, {"ok", "E009", "E002"}, nested_html.name)


def test_jsonl_with_bad_lines(corpus, run_cli):
    """Good line processed; missing fields -> E011, broken JSON / non-object -> E010; order kept."""
    res = run_cli(str(corpus / "corpus.jsonl"), "--format", "jsonl")
    assert "Traceback" not in res.stderr, res.stderr[-2000:]
    assert res.returncode != 0
    docs = [Document.model_validate(d) for d in res.documents()]
    assert [d.source.id for d in docs] == ["good-jsonl-1"]
    assert sorted(res.error_codes) == ["E010", "E010", "E011", "E011"], res.stderr
    for line_no, code in ((2, "E011"), (3, "E010"), (4, "E011"), (5, "E010")):
        assert any(f"line {line_no}" in ln and ln.startswith(f"error[{code}]") for ln in res.error_lines), \
            f"line {line_no} should be reported as {code}:\n{res.stderr}"


def test_batch_keeps_going(batch_dir, run_cli):
    """All cases in one directory: good articles come out, every failure is reported with its code."""
    res = run_cli(str(batch_dir), "--format", "jsonl", "--quiet")
    assert "Traceback" not in res.stderr, res.stderr[-3000:]
    assert res.returncode != 0, "some inputs failed, so the exit status must be non-zero"
    docs = [Document.model_validate(d) for d in res.documents()]
    bodies = "\n".join(d.source.body for d in docs)
    assert "shot dead two police officers" in bodies, "good-1.txt missing from the batch output"
    assert "killing four al Shabaab fighters" in bodies, "good-2.html missing from the batch output"
    assert "good-jsonl-1" in {d.source.id for d in docs}, "the good JSONL line is missing"
    codes = res.error_codes
    for must in ("E002", "E004", "E006", "E008", "E010", "E011"):
        assert must in codes, f"{must} not reported in batch stderr:\n{res.stderr[-3000:]}"
    assert any(c in ("E009", "E002") for c in codes)
    # every input is accounted for exactly once: 9 files (+ 5 JSONL lines) in, documents + errors out
    n_files = sum(1 for p in batch_dir.iterdir() if p.suffix != ".jsonl")
    expected_total = n_files + 5
    assert len(docs) + len(codes) == expected_total, (
        f"{len(docs)} documents + {len(codes)} errors != {expected_total} inputs\n{res.stderr[-3000:]}")


def test_batch_through_the_api(batch_dir, pipeline_ready):
    """The same batch through the Python API: Failures, not exceptions."""
    from conflictlens.ingest.readers import iter_inputs
    from conflictlens.pipeline import get_pipeline, load_config
    from conflictlens.schema import Failure

    pipe = get_pipeline()
    out = list(pipe.process_many(iter_inputs([str(batch_dir)], load_config())))
    failures = [o for o in out if isinstance(o, Failure)]
    docs = [o for o in out if isinstance(o, Document)]
    assert len(failures) + len(docs) == len(out)
    assert {f.code for f in failures} >= {"E002", "E004", "E006", "E008", "E010", "E011"}
    assert len(docs) >= 3

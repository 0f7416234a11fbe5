"""The bundled samples (samples/) all process cleanly and each reports at least one event."""
from __future__ import annotations

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parents[2] / "samples"
FILES = sorted(p for p in SAMPLES.iterdir() if p.suffix in {".txt", ".html"}) if SAMPLES.is_dir() else []


def test_samples_present_and_documented():
    assert 6 <= len(FILES) <= 8
    readme = (SAMPLES / "README.md").read_text("utf-8")
    assert "written by the conflictlens team, CC0/MIT" in readme
    for p in FILES:
        assert p.name in readme, f"{p.name} is not described in samples/README.md"


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_sample_extracts(path, pipeline_ready):
    from conflictlens.ingest.readers import read_path
    from conflictlens.pipeline import get_pipeline, load_config
    from conflictlens.schema import Document

    doc = get_pipeline().process(read_path(path, load_config()))
    Document.model_validate(doc.model_dump())
    assert doc.source.body.strip()
    assert doc.source.published is not None, "every sample carries its publication date"
    assert doc.events, f"{path.name}: no event extracted"

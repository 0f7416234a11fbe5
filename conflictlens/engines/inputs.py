"""Corpus readers for the engines: everything ``ingest`` reads, plus Parquet and URL lists.

* ``*.parquet``: one article per row with the JSONL columns (``id``, ``text``
  or ``html``, optional ``url``, ``title``, ``published``), read one record
  batch at a time so a corpus of any size streams in bounded memory.
* ``@FILE``: a list of inputs (URLs, paths, feeds), one per line; ``#`` starts
  a comment.
* anything else: :func:`conflictlens.store.ingest.iter_all_inputs` (files,
  directories, JSONL, URLs, RSS/Atom feeds).
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterator

from ..doc import RawInput
from ..errors import ConflictLensError
from ..schema import Failure

PARQUET_BATCH_ROWS = 512


def is_parquet(spec: str) -> bool:
    return spec.lower().endswith(".parquet")


def expand_specs(specs: list[str]) -> list[str]:
    """Replace each ``@FILE`` by the non-empty, non-comment lines of FILE."""
    out: list[str] = []
    for spec in specs:
        if spec.startswith("@") and len(spec) > 1:
            path = Path(spec[1:])
            if not path.is_file():
                raise ConflictLensError("E001", path=str(path))
            for line in path.read_text("utf-8").splitlines():
                line = line.strip()
                if line and not line.startswith("#"):
                    out.append(line)
        else:
            out.append(spec)
    return out


def iter_parquet(path: str, config: dict | None = None) -> Iterator[RawInput | Failure]:
    """Articles of a Parquet corpus, in row order; a bad row becomes a Failure."""
    from ..ingest.readers import parse_date

    try:
        import pyarrow.parquet as pq
    except ImportError:
        yield Failure(input=path, code="E801", message=ConflictLensError(
            "E801", engine="parquet input", package="pyarrow").message)
        return
    limit = int(((config or {}).get("input") or {}).get("max_bytes", 10_000_000))
    try:
        pf = pq.ParquetFile(path)
        batches = pf.iter_batches(batch_size=PARQUET_BATCH_ROWS)
        row = 0
        for batch in batches:
            for rec in batch.to_pylist():
                row += 1
                name = f"{path}#{row}"
                try:
                    if not rec.get("id"):
                        raise ConflictLensError("E011", path=path, line=row, field="id")
                    content = rec.get("html") or rec.get("text")
                    if not isinstance(content, str) or not content.strip():
                        raise ConflictLensError("E011", path=path, line=row, field="text' or 'html")
                    size = len(content.encode("utf-8", "ignore"))
                    if size > limit:
                        raise ConflictLensError("E006", path=name, size=size, limit=limit)
                    yield RawInput(name=name, content=content,
                                   kind="html" if rec.get("html") else "text", id=str(rec["id"]),
                                   url=rec.get("url"), title=rec.get("title"),
                                   published=parse_date(rec.get("published"), f"{name} published"))
                except ConflictLensError as exc:
                    yield Failure(input=name, code=exc.code, message=exc.message)
    except (OSError, ValueError) as exc:  # pyarrow raises ArrowInvalid (a ValueError) / OSError
        err = ConflictLensError("E805", path=path, detail=str(exc).splitlines()[0][:200])
        yield Failure(input=path, code=err.code, message=err.message)


def iter_corpus(specs: list[str], config: dict) -> Iterator[RawInput | Failure]:
    """Every input of ``specs`` in order, lazily (see the module docstring)."""
    from ..store.ingest import iter_all_inputs, iter_spec_groups

    try:
        specs = expand_specs(specs)
    except ConflictLensError as exc:
        yield Failure(input=exc.kwargs.get("path", "@"), code=exc.code, message=exc.message)
        return
    yield from iter_spec_groups(specs, is_parquet, lambda spec: iter_parquet(spec, config),
                                lambda plain: iter_all_inputs(plain, config))


def count_corpus(specs: list[str]) -> int | None:
    """Number of inputs when cheap to know (progress bars), else None."""
    from ..store.ingest import count_all_inputs

    try:
        specs = expand_specs(specs)
    except ConflictLensError:
        return None
    total = 0
    plain = []
    for spec in specs:
        if is_parquet(spec):
            try:
                import pyarrow.parquet as pq

                total += pq.ParquetFile(spec).metadata.num_rows
            except Exception:  # noqa: BLE001 - a count is only a hint
                return None
        else:
            plain.append(spec)
    if plain:
        n = count_all_inputs(plain)
        if n is None:
            return None
        total += n
    return total

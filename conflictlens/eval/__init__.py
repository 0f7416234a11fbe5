"""conflictlens.eval: score the pipeline on gold data and enforce quality floors.

* :mod:`.metrics` — P/R/F1, accuracy, macro-F1, pairwise and B-cubed cluster
  metrics, distances, optimal one-to-one assignment;
* :mod:`.adapters` — gold items from our JSONL/JSON gold, ACLED CSV exports
  and GTD-style CSVs;
* :mod:`.events`, :mod:`.body` — the event and body/metadata scorers;
* :mod:`.geo`, :mod:`.quotes`, :mod:`.dedup` — the stages' own scorers;
* :mod:`.runner` — run tasks over gold files and suites with the real pipeline;
* :mod:`.gate` — floors files and the regression check;
* :mod:`.report` — JSON, rich table and Markdown output.

The command is ``conflictlens eval``; see ``docs/evaluation.md``.
"""

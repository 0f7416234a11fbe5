"""Numbered, user-facing errors (spaCy-style).

Every error a user can trigger is a :class:`ConflictLensError` with a stable
code (``E001`` ...).  The CLI prints ``error[E001]: message`` on one line and
exits non-zero; batch modes record the code and carry on.  Codes are never
reused; add new ones at the end of their block.
"""
from __future__ import annotations


class Errors:
    # input (E0xx)
    E001 = "Input not found: {path}"
    E002 = "Empty document: {path} has no text after cleaning"
    E003 = "Undecodable input: {path} is not text in UTF-8 or a known encoding ({detail})"
    E004 = "Non-English text in {path}: detected language '{lang}'; only English is supported"
    E005 = "Unreachable URL {url}: {detail}"
    E006 = "Input too large: {path} is {size:,} bytes; the limit is {limit:,} bytes (set [input] max_bytes)"
    E007 = "Unsupported content type '{ctype}' at {url}; expected HTML or plain text"
    E008 = "Binary input: {path} looks like binary data, not text"
    E009 = "No article text found in {path}: the page has no main content"
    E010 = "Malformed JSONL at {path} line {line}: {detail}"
    E011 = "JSONL record at {path} line {line} lacks '{field}'"
    E012 = "Invalid date '{value}' for {what}; use YYYY-MM-DD"
    E013 = "HTTP error {status} for {url}"
    E014 = "Invalid URL '{url}': only http and https are supported"
    E015 = "Directory {path} contains no readable .txt, .html, .htm or .jsonl files"
    # configuration and registry (E1xx)
    E101 = "Config file not found: {path}"
    E102 = "Invalid config {path}: {detail}"
    E103 = "Unknown stage '{name}'. Registered stages: {available}"
    E104 = "Stage '{name}' reads '{field}', which no earlier stage writes"
    E105 = "Invalid option for stage '{name}': {detail}"
    E106 = "Data file {path} is invalid: {detail}"
    # LLM stage (E2xx)
    E201 = "LLM endpoint {url} failed: {detail}"
    E202 = "LLM response did not match the schema: {detail}"
    # geo (E4xx): gazetteer and toponym resolution
    E401 = "Cannot build the gazetteer: {detail}"
    E402 = "Gazetteer file {path} is unreadable or outdated: {detail}; rebuild it with `python scripts/build_gazetteer.py`"
    E403 = "No writable location for the gazetteer (tried {paths}); set CONFLICTLENS_GAZETTEER to a writable file path"
    E404 = "Geo gold file {path} is invalid at line {line}: {detail}"
    # quotes (E5xx)
    E501 = "Invalid quote gold file {path} line {line}: {detail}"
    E502 = "No training quotes: none of the {n} marked quotes in {files} was found by the quote finder"
    # store, ingest and export (E6xx)
    E601 = "Cannot open database {url}: {detail}"
    E602 = "Unsupported database URL '{url}': use a file path, sqlite:///FILE or postgresql://..."
    E603 = "Database {url} needs a schema migration ({detail}); run `conflictlens ingest` or `alembic upgrade head`"
    E604 = "Database error while storing {what}: {detail}"
    E605 = "Event '{event_id}' not found in {url}"
    E606 = "Export format '{fmt}' needs the optional package '{package}' (pip install conflictlens[export])"
    E607 = "Invalid bounding box '{value}': use MIN_LON,MIN_LAT,MAX_LON,MAX_LAT"
    E608 = "Feed {spec} could not be read: {detail}"
    E609 = "Invalid dedup setting [store.dedup] {key}: {detail}"
    E610 = "Ingest worker crashed on {path}: {detail}"
    E611 = "Dedup gold file {path} is invalid at line {line}: {detail}"
    # evaluation (E7xx)
    E701 = "Gold file not found: {path}"
    E702 = "Cannot tell which task gold file {path} is for ({detail}); pass --task"
    E703 = "Invalid gold file {path} at line {line}: {detail}"
    E704 = "Unknown eval task '{task}'; choose one of {choices}"
    E705 = "Scorer for task '{task}' is unavailable: {detail}"
    E706 = "CSV file {path} is not a recognised ACLED or GTD export: {detail}"
    E707 = "Floors file {path} is invalid: {detail}"
    E708 = "Task '{task}' cannot score gold file {path}: {detail}"
    E709 = "Invalid eval option {option}: {detail}"
    E710 = "Eval suite {path} is invalid: {detail}"
    # api and web (E10xx)
    E1001 = "Request body too large: {size:,} bytes; the limit is {limit:,} bytes (serve --max-body)"
    E1002 = "Write endpoints are disabled: start the server with --token or $CONFLICTLENS_API_TOKEN"
    E1003 = "Missing or invalid API token: send 'Authorization: Bearer <token>'"
    E1004 = "URL fetching through the API is disabled: start the server with --allow-fetch"
    E1005 = "Refused to fetch {url}: {detail}"
    E1006 = "Invalid value for '{name}': {detail}"
    E1007 = "Not found: {what}"
    E1008 = "The request needs one of 'text', 'html' or 'url'"
    E1009 = "Cannot start the server: {detail}"
    # output (E3xx)
    E301 = "Cannot write output to {path}: {detail}"
    E302 = "Unknown output format '{fmt}'; choose one of {choices}"
    # scale and watch (E8xx)
    E801 = "Engine '{engine}' needs the optional package '{package}' (pip install conflictlens[scale])"
    E802 = "Unknown engine '{engine}'; choose one of {choices}"
    E803 = "Cannot connect to the Dask scheduler {address}: {detail}"
    E804 = "Extraction of {path} failed on the cluster after {retries} retries: {detail}"
    E805 = "Parquet corpus {path} is unreadable: {detail}"
    E806 = "Alert rules file {path} is invalid: {detail}"
    E807 = "Feed {url} answered HTTP {status}; skipped until the next poll"
    E808 = "Feed {url} body exceeds {limit:,} bytes; skipped"
    E809 = "Feed {url} is not valid RSS/Atom: {detail}"
    E810 = "Feed {url} could not be fetched: {detail}"
    E811 = "Alert sink {sink} failed: {detail}"
    E812 = "Nothing to watch: give at least one feed URL or directory ({detail})"
    # situation reports (E9xx)
    E901 = "Report format '{fmt}' needs the optional package '{package}' (pip install conflictlens[report]): {detail}"
    E902 = "Invalid report period: --since {since} is after --until {until}"
    E903 = "Cannot render the report as {fmt}: {detail}"


class ConflictLensError(Exception):
    """An error with a numbered code and a one-line message."""

    def __init__(self, code: str, **kwargs: object) -> None:
        template = getattr(Errors, code)
        self.code = code
        self.kwargs = kwargs
        try:
            self.message = template.format(**kwargs)
        except (KeyError, ValueError):  # pragma: no cover - programming error guard
            self.message = template
        super().__init__(f"[{code}] {self.message}")

    def line(self) -> str:
        return f"error[{self.code}]: {self.message}"

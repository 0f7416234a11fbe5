import csv
import http.server
import io
import json
import threading

import pytest

from conflictlens.schema import ACLED_CSV_COLUMNS, Document

ARTICLE = ("QUETTA, Pakistan — A roadside bomb killed two soldiers on Sunday in the Kech district, the military said.\n\n"
           "Separately, police arrested four suspects in Quetta on Saturday, officials said.\n")


@pytest.fixture
def article(tmp_path):
    p = tmp_path / "a.txt"
    p.write_text(ARTICLE, "utf-8")
    return p


def test_single_json_with_published_override(cli, article):
    r = cli("extract", str(article), "--published", "2024-05-20")
    assert r.returncode == 0, r.stderr
    doc = Document.model_validate_json(r.stdout)
    assert doc.source.published.isoformat() == "2024-05-20"
    kinds = sorted(e.sub_event_type for e in doc.events)
    assert kinds == ["Arrests", "Remote explosive/landmine/IED"]
    bomb = next(e for e in doc.events if e.event_type == "Explosions/Remote violence")
    assert bomb.event_date.isoformat() == "2024-05-19" and bomb.fatalities == 2


def test_csv_uses_acled_columns(cli, article, tmp_path):
    out = tmp_path / "e.csv"
    r = cli("extract", str(article), "--published", "2024-05-20", "--format", "csv", "-o", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    header = out.read_text("utf-8").splitlines()[0].split(",")
    assert header[: len(ACLED_CSV_COLUMNS)] == ACLED_CSV_COLUMNS
    assert len(rows) == 2 and {r["country"] for r in rows} == {"Pakistan"}


def test_batch_jsonl_keeps_order_and_reports_failures(cli, tmp_path):
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join([
        json.dumps({"id": "first", "text": ARTICLE, "published": "2024-05-20"}),
        json.dumps({"id": "broken"}),
        json.dumps({"id": "second", "text": ARTICLE.replace("two soldiers", "three soldiers"), "published": "2024-05-20"}),
    ]) + "\n", "utf-8")
    r = cli("extract", str(corpus), "--format", "jsonl")
    assert r.returncode == 1
    docs = [Document.model_validate_json(line) for line in r.stdout.splitlines()]
    assert [d.source.id for d in docs] == ["first", "second"]
    assert "error[E011]" in r.stderr and "Traceback" not in r.stderr


def test_stdin(cli):
    r = cli("extract", "-", "--published", "2024-05-20", stdin=ARTICLE.encode("utf-8"))
    assert r.returncode == 0, r.stderr
    assert Document.model_validate_json(r.stdout).events


def test_bad_format_and_bad_date(cli, article):
    r = cli("extract", str(article), "--format", "xml")
    assert r.returncode == 1 and r.stderr.startswith("error[E302]")
    r = cli("extract", str(article), "--published", "20/05/2024")
    assert r.returncode == 1 and r.stderr.startswith("error[E012]")


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802
        if self.path == "/story.html":
            body = ("<html><head><title>Bomb kills two soldiers</title></head><body><nav>Home | World</nav><article>"
                    "<h1>Bomb kills two soldiers</h1>" + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n")) +
                    "</article><footer>Copyright</footer></body></html>").encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
        elif self.path == "/image.png":
            body = b"\x89PNG...."
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
        else:
            body = b"not here"
            self.send_response(404)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *a):
        pass


@pytest.fixture
def server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


@pytest.mark.network
def test_url_input(cli, server):
    r = cli("extract", f"{server}/story.html", "--published", "2024-05-20")
    assert r.returncode == 0, r.stderr
    doc = Document.model_validate_json(r.stdout)
    assert doc.source.url.endswith("/story.html") and doc.source.title == "Bomb kills two soldiers"
    assert "Home | World" not in doc.source.body and len(doc.events) == 2


@pytest.mark.network
def test_url_errors(cli, server):
    r = cli("extract", f"{server}/missing")
    assert r.returncode == 1 and r.stderr.startswith("error[E013]")
    r = cli("extract", f"{server}/image.png")
    assert r.returncode == 1 and r.stderr.startswith("error[E007]")
    r = cli("extract", "http://127.0.0.1:9/nothing-listens-here")
    assert r.returncode == 1 and r.stderr.startswith("error[E005]")


def test_schema_and_stages_commands(cli):
    r = cli("schema")
    assert r.returncode == 0 and "Event" in json.loads(r.stdout)["$defs"]
    r = cli("stages")
    assert r.returncode == 0 and "events.rules" in r.stdout


def test_help_has_examples(cli):
    r = cli("extract", "--help")
    assert r.returncode == 0 and "Examples" in r.stdout

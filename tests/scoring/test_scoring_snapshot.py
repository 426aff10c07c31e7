"""Reading publication documents: validation errors, hash verification, files."""

from __future__ import annotations

import copy
import json

import pytest

from verifier.core.errors import InputFileError, VerifierError
from verifier.core.scoring import (
    SnapshotFormatError,
    load_snapshot_file,
    parse_snapshot,
    score,
    verify_snapshot_hash,
)


def test_parses_the_worked_example(worked_example):
    snapshot = parse_snapshot(worked_example)
    assert snapshot.edition.code == "test"
    assert snapshot.publication.parent_id == 6
    assert [d.code for d in snapshot.domains] == ["trad", "digi"]
    assert snapshot.indicators[1].direction == "lower"
    assert not snapshot.indicators[1].higher_is_better
    assert snapshot.cities[0].name_ar == "ألفا"
    assert snapshot.experts[0].domain_weights == {"trad": 70.0, "digi": 30.0}
    assert len(snapshot.values) == 24  # 5 + 5 + 4 + 3 + 3 + 4
    assert snapshot.hash_verified


def broken(doc, path, value):
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("format",), "verifier.publication/2", "this scorer reads"),
        (("publication", "sha256"), KeyError, "publication.sha256 is missing"),
        (("publication", "id"), "7", "publication.id must be an integer"),
        (("domains",), [], "domains must not be empty"),
        (("indicators", 0, "direction"), "up", "indicators[0].direction must be"),
        (("indicators", 0, "domain"), "nowhere", "names domain 'nowhere'"),
        (("indicators", 1, "code"), "T1", "lists code 'T1' twice"),
        (("cities", 0, "name_en"), None, "cities[0].name_en must be a string"),
        (("experts", 0, "domain_weights", "trad"), -1, "must be a finite number >= 0"),
        (("experts", 0, "indicator_weights", "Q9"), 1, "is not a indicator of this edition"),
        (("experts", 0, "domain_weights"), [1, 2], "must be an object"),
        (("values", 0, "value"), True, "values[0].value must be a number, not a boolean"),
        (("values", 0, "value"), "12", "values[0].value must be a number"),
        (("values", 0, "city"), "zz", "names city 'zz'"),
        (("values", 1, "indicator"), "D1", "lists (city, indicator) 'a/D1' twice"),
        (("values", 0, "evidence"), ["x"], "list of integer ids"),
    ],
)
def test_malformed_documents_are_reported_by_field(worked_example, path, value, message):
    with pytest.raises(SnapshotFormatError) as raised:
        parse_snapshot(broken(worked_example, path, value))
    assert message in str(raised.value)
    assert isinstance(raised.value, VerifierError)


def test_not_an_object():
    with pytest.raises(SnapshotFormatError, match="must be a JSON object"):
        parse_snapshot([1, 2])


def test_hash_verification(worked_example):
    assert verify_snapshot_hash(worked_example)
    edited = copy.deepcopy(worked_example)
    edited["values"][0]["value"] = 49
    assert not verify_snapshot_hash(edited)
    missing = copy.deepcopy(worked_example)
    del missing["publication"]["sha256"]
    assert not verify_snapshot_hash(missing)
    assert not verify_snapshot_hash({"publication": None})


def test_hash_is_over_the_canonical_form_with_arabic_as_itself(worked_example):
    # Reordering keys and re-serialising with escapes must not change the verdict.
    reloaded = json.loads(json.dumps(worked_example, ensure_ascii=True, indent=3))
    reordered = dict(reversed(list(reloaded.items())))
    assert verify_snapshot_hash(reordered)


def test_verifying_does_not_modify_the_document(worked_example):
    before = copy.deepcopy(worked_example)
    verify_snapshot_hash(worked_example)
    assert worked_example == before


def test_edited_snapshot_is_scored_with_a_warning(worked_example):
    worked_example["values"][0]["value"] = 49
    snapshot = parse_snapshot(worked_example)
    assert not snapshot.hash_verified
    ranking = score(snapshot)
    assert ranking.warnings[0].kind == "hash_mismatch"
    assert not ranking.hash_verified


def test_load_snapshot_file(tmp_path, worked_example):
    good = tmp_path / "pub.json"
    good.write_text(json.dumps(worked_example, ensure_ascii=False), encoding="utf-8")
    assert load_snapshot_file(good) == worked_example
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputFileError, match="not valid JSON"):
        load_snapshot_file(bad)
    with pytest.raises(InputFileError, match="cannot read"):
        load_snapshot_file(tmp_path / "absent.json")
    listed = tmp_path / "list.json"
    listed.write_text("[]", encoding="utf-8")
    with pytest.raises(InputFileError, match="not a publication object"):
        load_snapshot_file(listed)

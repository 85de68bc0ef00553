from common import catalogue


def test_rule_fills_its_templates():
    issue = catalogue.DUPLICATE_ID.at("bank.yaml", 9, "questions[2]", id="P1.1", first=3)
    assert issue.code == "E205"
    assert issue.severity == "error"
    assert issue.message == "the id 'P1.1' is used twice (first on line 3)"


def test_warning_codes_are_warnings():
    assert all(
        (r.severity == "warning") == r.code.startswith("W") for r in catalogue.CATALOGUE.values()
    )


def test_did_you_mean_only_when_close():
    assert catalogue.did_you_mean("txet", ["text", "levels"]) == " (did you mean 'text'?)"
    assert catalogue.did_you_mean("zzz", ["text", "levels"]) == ""


def test_every_code_is_documented_for_bank_editors():
    from pathlib import Path

    guide = (Path(__file__).resolve().parents[3] / "docs" / "editing-the-bank.md").read_text()
    missing = [code for code in catalogue.CATALOGUE if code not in guide]
    assert missing == []

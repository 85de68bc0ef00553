def test_bank_lookups(check):
    bank = check().bank
    assert [d.id for d in bank.dimensions] == ["P1", "T1"]
    assert bank.dimension("T1").strand == "empowering"
    assert [q.id for q in bank.questions_in("T1")] == ["T1.1", "T1.2"]
    assert [q.id for q in bank.form_questions("quick")] == ["P1.1"]
    assert bank.has_question("P1.1")
    assert not bank.has_question("X")
    assert bank.scale.level_label(4) == "Embedded"
    assert bank.scale.option_label("dk") == "Don't know"

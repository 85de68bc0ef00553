"""0010 (storage.migrations.actions): action plans arrive on a database in use; an
assessment made before them has an empty plan and takes actions and a follow-up."""

from __future__ import annotations

from storage.core.access import Grant
from storage.core.engine import make_engine
from storage.core.repo import create_assessment, find_or_create_area, save_bank, start_response
from storage.migrations.steps import MIGRATIONS, migrate
from storage.results.actions import add_action, plan_of, start_follow_up
from tests.unit.storage.factories import BANK_SOURCE, small_bank


def test_0010_arrives_on_a_database_in_use(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, MIGRATIONS[:9])
    bank_hash = save_bank(engine, small_bank(), BANK_SOURCE)
    area_id = find_or_create_area(engine, "Testshire", "council").id
    before = create_assessment(engine, area_id, "full", bank_hash)
    _, token = start_response(engine, before.id, "councillor")
    assert migrate(engine, MIGRATIONS[:10]) == ["0010_actions"]
    me = Grant("owner", token=token)
    assert plan_of(engine, me).own == ()
    added = add_action(engine, me, dimension_id="P1", what="Start", owner="Policy team")
    follow = Grant(
        "owner",
        token=start_follow_up(engine, me, form_id="full", bank_hash=bank_hash, role="councillor"),
    )
    assert [a.id for a in plan_of(engine, follow).to_ask] == [added.id]
    engine.dispose()

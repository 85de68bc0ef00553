"""Action plans (issue 17, item 2): who may record and read them, the follow-up that opens
with them, every change of status kept, and bad input named."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core.access import ANYONE, AccessDenied, Grant
from storage.core.errors import InputError
from storage.core.model import Assessment
from storage.core.repo import create_assessment, start_response
from storage.core.schema import action_updates, actions
from storage.results.actions import (
    MAX_ACTIONS,
    MAX_UPDATES,
    NOTES_MAX,
    add_action,
    open_next_workshop,
    plan_of,
    start_follow_up,
    update_action,
)
from storage.results.lifecycle import delete_assessment

ADMIN = Grant("admin", admin="admin@example.org", via="oidc")


def owner(engine: Engine, assessment: Assessment) -> Grant:
    _, token = start_response(engine, assessment.id, "senior_officer")
    return Grant("owner", token=token)


def act(engine: Engine, grant: Grant, what: str = "Map the family support spend", **kw):
    return add_action(engine, grant, dimension_id="P1", what=what, owner="Head of early help", **kw)


def test_an_owner_records_and_reads_the_plan_of_their_assessment(
    engine: Engine, assessment: Assessment
) -> None:
    me = owner(engine, assessment)
    first = act(engine, me, due=date(2027, 3, 31), next_step="Add up spend", notes="Start Q4")
    assert (first.status, first.assessment_id, first.due) == (
        "planned",
        assessment.id,
        date(2027, 3, 31),
    )
    plan = plan_of(engine, me)
    assert [a.id for a in plan.own] == [first.id]
    assert plan.carried == ()
    assert [(u.action_id, u.status) for u in plan.updates] == [(first.id, "planned")]


def test_nobody_else_reads_or_records_a_plan(engine: Engine, assessment: Assessment, bank) -> None:
    me = owner(engine, assessment)
    mine = act(engine, me)
    other = create_assessment(engine, assessment.area_id, "full", assessment.bank_hash)
    stranger = owner(engine, other)
    assert plan_of(engine, stranger).own == ()  # their own plan, empty: never mine
    for grant in (ANYONE, Grant("owner", token="not-a-code"), Grant("participant", token="x")):
        with pytest.raises(AccessDenied):
            plan_of(engine, grant)
        with pytest.raises(AccessDenied):
            act(engine, grant)
    with pytest.raises(AccessDenied):  # an owner naming someone else's assessment
        plan_of(engine, stranger, assessment.id)
    with pytest.raises(AccessDenied):  # nor changing an action outside their plan
        update_action(engine, stranger, mine.id, status="done")
    with pytest.raises(AccessDenied):  # an id that is not a number is refused the same way
        update_action(engine, stranger, "1 OR 1=1", status="done")
    with pytest.raises(AccessDenied):
        plan_of(engine, Grant("admin", admin="gone@example.org", via="local"), assessment.id)
    assert plan_of(engine, ADMIN, assessment.id).own[0].id == mine.id


def test_the_follow_up_opens_with_last_times_actions_and_asks_how_they_stand(
    engine: Engine, assessment: Assessment
) -> None:
    me = owner(engine, assessment)
    done_soon, later, dropped = (act(engine, me, what=w) for w in ("One", "Two", "Three"))
    update_action(engine, me, dropped.id, status="dropped", note="Merged with two")
    token = start_follow_up(
        engine, me, form_id="full", bank_hash=assessment.bank_hash, role="senior_officer"
    )
    nxt = Grant("owner", token=token)
    plan = plan_of(engine, nxt)
    assert plan.own == ()
    assert [a.what for a in plan.carried] == ["One", "Two", "Three"]
    assert [a.id for a in plan.to_ask] == [done_soon.id, later.id]  # dropped is not asked
    moved = update_action(engine, nxt, done_soon.id, status="Done", note="Reported to cabinet")
    assert moved.status == "done"
    assert moved.notes == "Reported to cabinet"
    plan = plan_of(engine, nxt)
    assert [a.id for a in plan.to_ask] == [later.id]
    assert plan.asked == {done_soon.id}
    last = plan.updates[-1]
    assert (last.action_id, last.status, last.note, last.asked_in) == (
        done_soon.id, "done", "Reported to cabinet", plan.assessment_id,
    )  # fmt: skip
    # The earlier owner sees the change too; the plan is one plan.
    assert {a.id: a.status for a in plan_of(engine, me).own}[done_soon.id] == "done"
    # And a third assessment reaches back through both.
    third = Grant("owner", token=start_follow_up(
        engine, nxt, form_id="quick", bank_hash=assessment.bank_hash, role="councillor"
    ))  # fmt: skip
    assert [a.id for a in plan_of(engine, third).to_ask] == [later.id]


def test_bad_input_is_named_and_nothing_is_kept(engine: Engine, assessment: Assessment) -> None:
    me = owner(engine, assessment)
    cases = [
        ({"what": ""}, "what"),
        ({"what": "x" * 301}, "what"),
        ({"what": "Fix\u202etext"}, "what"),
        ({"owner": " "}, "owner"),
        ({"due": "next Tuesday"}, "due"),
        ({"due": date(1999, 1, 1)}, "due"),
        ({"notes": "n" * 5000}, "notes"),
        ({"dimension_id": ""}, "dimension_id"),
    ]
    for change, field in cases:
        args = {"dimension_id": "P1", "what": "A", "owner": "Team", **change}
        with pytest.raises(InputError) as caught:
            add_action(engine, me, **args)
        assert caught.value.field == field, change
    mine = act(engine, me)
    with pytest.raises(InputError) as caught:
        update_action(engine, me, mine.id, status="finished")
    assert caught.value.field == "status"
    assert "Under way" in caught.value.message
    with engine.connect() as conn:
        assert conn.scalar(sa.select(sa.func.count()).select_from(actions)) == 1


def test_a_plan_is_bounded(engine: Engine, assessment: Assessment) -> None:
    me = owner(engine, assessment)
    for n in range(MAX_ACTIONS):
        act(engine, me, what=f"Action {n}")
    with pytest.raises(InputError) as caught:
        act(engine, me, what="One too many")
    assert caught.value.field == "actions"


def test_an_actions_history_and_notes_are_bounded(
    engine: Engine, assessment: Assessment, monkeypatch: pytest.MonkeyPatch
) -> None:
    import storage.results.actions as module

    me = owner(engine, assessment)
    mine = act(engine, me)
    monkeypatch.setattr(module, "MAX_UPDATES", 3)  # the first status and two changes
    update_action(engine, me, mine.id, status="under_way")
    update_action(engine, me, mine.id, status="done")
    with pytest.raises(InputError) as caught:
        update_action(engine, me, mine.id, status="dropped")
    assert caught.value.field == "status"
    assert MAX_UPDATES >= 100
    monkeypatch.setattr(module, "MAX_UPDATES", MAX_UPDATES)
    long = "n" * 3000
    update_action(engine, me, mine.id, status="done", note=long)
    update_action(engine, me, mine.id, status="done", note=long)
    with pytest.raises(InputError) as caught:
        update_action(engine, me, mine.id, status="done", note=long)
    assert caught.value.field == "note"
    assert NOTES_MAX < 3 * 3000 + 2


def test_deleting_an_assessment_deletes_its_plan_but_keeps_the_follow_ups_history(
    engine: Engine, assessment: Assessment
) -> None:
    me = owner(engine, assessment)
    mine = act(engine, me)
    nxt = Grant("owner", token=start_follow_up(
        engine, me, form_id="full", bank_hash=assessment.bank_hash, role="councillor"
    ))  # fmt: skip
    nxt_id = plan_of(engine, nxt).assessment_id
    update_action(engine, nxt, mine.id, status="under_way")
    other = create_assessment(engine, assessment.area_id, "full", assessment.bank_hash)
    keep = act(engine, owner(engine, other), what="Someone else's")
    nxt_plan_before = plan_of(engine, nxt)
    assert nxt_plan_before.carried[0].id == mine.id
    assert delete_assessment(engine, nxt_id, nxt.token) > 0
    with engine.connect() as conn:
        kept = conn.execute(sa.select(action_updates.c.asked_in, action_updates.c.status)).all()
    assert (None, "under_way") in kept  # the change stays; who asked is gone
    assert delete_assessment(engine, assessment.id, me.token) > 0
    with engine.connect() as conn:
        left = conn.execute(sa.select(actions.c.id)).scalars().all()
    assert left == [keep.id]


def test_a_facilitator_records_the_rooms_actions_and_no_other_workshops(
    engine: Engine, workshop, bank, area
) -> None:
    """A workshop's facilitator records and reads the actions the room agreed; another
    workshop's facilitator, a participant and a stale grant do not."""
    from storage.workshop.participants import join_workshop
    from storage.workshop.rooms import open_workshop
    from tests.unit.storage.factories import host

    mine = host(engine, workshop.id)
    agreed = act(engine, mine, what="Ask residents which budgets matter most")
    plan = plan_of(engine, mine)
    assert [a.id for a in plan.own] == [agreed.id]
    assert plan.own[0].assessment_id == workshop.assessment_id
    assert plan_of(engine, ADMIN, workshop.assessment_id).own[0].id == agreed.id
    other, _ = open_workshop(engine, area.id, bank.content_hash, "Other", ["P1"], ["resident"])
    theirs = host(engine, other.id)
    assert plan_of(engine, theirs).own == ()  # their own room's plan: never mine
    with pytest.raises(AccessDenied):
        plan_of(engine, theirs, workshop.assessment_id)
    with pytest.raises(AccessDenied):
        update_action(engine, theirs, agreed.id, status="done")
    _, token = join_workshop(engine, workshop.id, "resident")
    stale = Grant("facilitator", workshop_id=workshop.id, join_code="WRONG", secret="x")
    for grant in (Grant("participant", token=token), stale):
        with pytest.raises(AccessDenied):
            plan_of(engine, grant)
        with pytest.raises(AccessDenied):
            act(engine, grant)
    update_action(engine, mine, agreed.id, status="under_way")
    assert plan_of(engine, mine).own[0].status == "under_way"


def test_the_areas_next_workshop_opens_with_the_rooms_actions_and_asks_how_they_stand(
    engine: Engine, workshop, bank, area
) -> None:
    """Opened from the last workshop by its facilitator: the same questions, roles and k,
    a key of its own, and the last room's actions carried to ask about first."""
    from storage.workshop.rooms import get_workshop, open_workshop
    from tests.unit.storage.factories import host

    mine = host(engine, workshop.id)
    agreed = act(engine, mine, what="Ask residents which budgets matter most")
    dropped = act(engine, mine, what="A second action")
    update_action(engine, mine, dropped.id, status="dropped")
    last = get_workshop(engine, workshop.id)
    assert last is not None
    nxt, key = open_next_workshop(engine, mine, title="Spring review", bank_hash=last_hash(engine))
    assert nxt.id != workshop.id
    assert nxt.join_code != last.join_code
    assert key
    assert (nxt.area_id, nxt.dimensions, nxt.roles, nxt.k, nxt.form_id) == (
        last.area_id, last.dimensions, last.roles, last.k, last.form_id,
    )  # fmt: skip
    assert (nxt.title, nxt.current_round, nxt.round_open) == ("Spring review", 1, True)
    theirs = host(engine, nxt.id)
    plan = plan_of(engine, theirs)
    assert plan.own == ()
    assert [a.id for a in plan.carried] == [agreed.id, dropped.id]
    assert [a.id for a in plan.to_ask] == [agreed.id]  # a dropped action is not asked again
    update_action(engine, theirs, agreed.id, status="done", note="Asked at the spring fair")
    again = plan_of(engine, theirs)
    assert again.to_ask == ()
    assert again.carried[0].status == "done"
    assert [u.asked_in for u in again.updates if u.action_id == agreed.id][-1] == nxt.assessment_id
    # The last room's facilitator sees the status too (the same action), and an
    # administrator opens a next workshop from any workshop's assessment.
    assert plan_of(engine, mine).own[0].status == "done"
    third, _ = open_next_workshop(
        engine, ADMIN, title="Autumn", bank_hash=last_hash(engine), assessment_id=nxt.assessment_id
    )
    assert [a.id for a in plan_of(engine, host(engine, third.id)).carried] == [
        agreed.id,
        dropped.id,
    ]
    # Nobody else opens one, and a self-assessment is not a workshop to follow.
    other, _ = open_workshop(engine, area.id, bank.content_hash, "Other", ["P1"], ["resident"])
    stale = Grant("facilitator", workshop_id=workshop.id, join_code="WRONG", secret="x")
    for grant in (ANYONE, stale, Grant("owner", token="not-a-code")):
        with pytest.raises(AccessDenied):
            open_next_workshop(engine, grant, title="X", bank_hash=last_hash(engine))
    with pytest.raises(AccessDenied):  # another room's facilitator naming this room
        open_next_workshop(
            engine, host(engine, other.id), title="X", bank_hash=last_hash(engine),
            assessment_id=workshop.assessment_id,
        )  # fmt: skip
    self_assessment = create_assessment(engine, area.id, "full", bank.content_hash)
    with pytest.raises(InputError, match="assessment_id"):
        open_next_workshop(
            engine, ADMIN, title="X", bank_hash=last_hash(engine),
            assessment_id=self_assessment.id,
        )  # fmt: skip
    with pytest.raises(InputError, match="title"):
        open_next_workshop(engine, mine, title="", bank_hash=last_hash(engine))
    assert plan_of(engine, host(engine, other.id)).carried == ()  # never linked by area alone


def last_hash(engine: Engine) -> str:
    from storage.core.schema import assessments

    with engine.connect() as conn:
        return str(conn.scalar(sa.select(assessments.c.bank_hash).limit(1)))

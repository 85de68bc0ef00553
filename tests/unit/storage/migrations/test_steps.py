"""Migrations: applied once, in order, under a lock, and never by an older Ladder."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from storage.core.drafts import load_draft, save_draft, submit_response
from storage.core.engine import make_engine, writing
from storage.core.errors import StorageError
from storage.core.model import AnswerInput
from storage.core.repo import (
    create_assessment,
    find_or_create_area,
    find_response,
    list_areas,
    save_bank,
    start_response,
)
from storage.core.schema import (
    answers,
    areas,
    assessments,
    banks,
    metadata,
    migrations_ledger,
    now,
    participants,
    responses,
    workshops,
)
from storage.core.tokens import hash_token, new_token
from storage.migrations.steps import MIGRATIONS, Migration, applied_migrations, migrate
from storage.results.frames import answers_frame, workshop_answers
from storage.workshop.agreements import agreements, record_agreement
from storage.workshop.participants import current_response, join_workshop
from storage.workshop.rooms import check_key, find_workshop, open_workshop
from tests.unit.storage.factories import BANK_SOURCE, host, old_workshop, small_bank

pytestmark = pytest.mark.timeout(120)


def slow_table(name: str) -> Migration:
    """A test migration that creates a table and holds its transaction open for a moment."""

    def apply(conn: Connection) -> None:
        conn.execute(sa.text(f"create table {name} (x integer)"))
        time.sleep(0.2)

    return Migration(name, apply)


def ledger(url: str) -> list[str]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return list(conn.scalars(sa.select(migrations_ledger.c.name)))
    finally:
        engine.dispose()


def test_names_are_unique_and_ordered() -> None:
    names = [m.name for m in MIGRATIONS]
    assert len(set(names)) == len(names)
    assert names == sorted(names)
    assert names[:3] == ["0001_core_tables", "0002_workshops", "0003_compare"]


def test_migrations_apply_once_then_rerun_is_a_no_op(db_url: str) -> None:
    engine = make_engine(db_url)
    assert applied_migrations(engine) == []
    assert migrate(engine) == [m.name for m in MIGRATIONS]
    assert migrate(engine) == []
    assert applied_migrations(engine) == [m.name for m in MIGRATIONS]
    engine.dispose()
    assert migrate(make_engine(db_url)) == []  # a restarted server


def test_migrated_database_matches_the_schema_module(db_url: str) -> None:
    """The frozen migration steps build exactly the tables storage.core.schema describes."""
    engine = make_engine(db_url)
    migrate(engine)
    found = sa.MetaData()
    found.reflect(engine)
    assert set(found.tables) == set(metadata.tables)
    for name, table in metadata.tables.items():
        built = found.tables[name]
        assert [c.name for c in built.columns] == [c.name for c in table.columns], name
        assert {c.name: c.nullable for c in built.columns} == {
            c.name: c.nullable for c in table.columns
        }, name
        assert [c.name for c in built.primary_key] == [c.name for c in table.primary_key], name
        assert {(fk.parent.name, fk.target_fullname) for fk in built.foreign_keys} == {
            (fk.parent.name, fk.target_fullname) for fk in table.foreign_keys
        }, name
        assert reflected_deletes(engine, name) == {
            (fk.parent.name, (fk.ondelete or "").upper()) for fk in table.foreign_keys
        }, name
        assert reflected_unique(engine, name) == declared_unique(table), name
    engine.dispose()


def reflected_deletes(engine: sa.Engine, table: str) -> set[tuple[str, str]]:
    """(column, ON DELETE action) of each foreign key, as the database reports them.

    SQLite: from its own pragma, since SQLAlchemy's reflection reads the action only from
    table-level constraints, not from a column's (as ``ALTER TABLE ADD COLUMN`` writes it).
    """
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(f"PRAGMA foreign_key_list({table})").all()
        return {(row[3], "" if row[6] == "NO ACTION" else row[6]) for row in rows}
    return {
        (fk["constrained_columns"][0], (fk.get("options", {}).get("ondelete") or "").upper())
        for fk in sa.inspect(engine).get_foreign_keys(table)
    }


def reflected_unique(engine: sa.Engine, table: str) -> set[tuple[str, ...]]:
    """Column sets the database keeps unique (constraints and unique indexes alike)."""
    inspector = sa.inspect(engine)
    found = {tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)}
    found |= {tuple(i["column_names"]) for i in inspector.get_indexes(table) if i["unique"]}
    return found


def declared_unique(table: sa.Table) -> set[tuple[str, ...]]:
    found = {(c.name,) for c in table.columns if c.unique}
    found |= {
        tuple(c.name for c in u.columns)
        for u in table.constraints
        if isinstance(u, sa.UniqueConstraint) and not isinstance(u, sa.PrimaryKeyConstraint)
    }
    found |= {tuple(c.name for c in i.columns) for i in table.indexes if i.unique}
    return found


def seed_core(conn: Connection, bank_hash: str) -> tuple[int, int, int, str]:
    """As job 1 saved them, on the 0001 tables: a bank, an area, an assessment, a response
    with two answers. Returns (area, assessment, response) ids and the response's token.

    Why raw inserts: today's repository functions read today's columns, which an old
    database lacks until it is migrated.
    """
    stamp = now()
    conn.execute(
        sa.insert(banks).values(
            content_hash=bank_hash, bank_id="test", version="1", title="Test bank",
            source=BANK_SOURCE, stored_at=stamp,
        )
    )  # fmt: skip
    area_id = conn.scalar(
        sa.insert(areas)
        .values(name="Testshire", kind="council", created_at=stamp)
        .returning(areas.c.id)
    )
    assessment_id = conn.scalar(
        sa.insert(assessments)
        .values(area_id=area_id, kind="self", form_id="full", bank_hash=bank_hash,
                held_on=date(2025, 3, 15), created_at=stamp)
        .returning(assessments.c.id)
    )  # fmt: skip
    token = new_token()
    response_id = conn.scalar(
        sa.insert(responses)
        .values(assessment_id=assessment_id, token_hash=hash_token(token), role="councillor",
                round=1, step=1, status="draft", created_at=stamp, updated_at=stamp)
        .returning(responses.c.id)
    )  # fmt: skip
    conn.execute(
        sa.insert(answers),
        [
            {"response_id": response_id, "question_id": q, "answer": v, "updated_at": stamp}
            for q, v in (("p1a", "2"), ("p1b", "dk"))
        ],
    )
    return area_id, assessment_id, response_id, token


def test_workshops_arrive_on_a_database_in_use(db_url: str, tmp_path: Path) -> None:
    """0002 on a database at 0001 with answers in it: every answer kept, all still working."""
    engine = make_engine(db_url)
    assert migrate(engine, MIGRATIONS[:1]) == ["0001_core_tables"]
    bank = small_bank()
    with writing(engine) as conn:
        area_id, assessment_id, response_id, token = seed_core(conn, bank.content_hash)

    assert migrate(engine, MIGRATIONS[:2]) == ["0002_workshops"]
    assert migrate(engine) == [m.name for m in MIGRATIONS[2:]]
    response = find_response(engine, token)
    assert response is not None
    assert response.id == response_id
    draft = load_draft(engine, response.id)
    assert {q: a.answer for q, a in draft.answers.items()} == {"p1a": "2", "p1b": "dk"}
    save_draft(engine, response.id, {"p1c": AnswerInput("4")}, {}, step=2)
    submit_response(engine, response.id)
    assert answers_frame(engine, assessment_id)["answer"].tolist() == ["2", "dk", "4"]
    with engine.connect() as conn:
        assert conn.scalar(sa.select(responses.c.participant_id)) is None
    second, _ = start_response(engine, assessment_id, "resident")  # NULLs are not "the same"
    workshop, key = open_workshop(engine, area_id, bank.content_hash, "W", ["P1"], ["resident"])
    participant, _ = join_workshop(engine, workshop.id, "resident")
    assert current_response(engine, participant.id).round == 1
    assert check_key(engine, workshop.id, key)
    assert second.id > response.id
    engine.dispose()


def test_comparing_arrives_on_a_database_in_use(db_url: str) -> None:
    """0003 on a database at 0002 with a self-assessment and a workshop: all kept, all working."""
    engine = make_engine(db_url)
    assert migrate(engine, MIGRATIONS[:2]) == ["0001_core_tables", "0002_workshops"]
    bank = small_bank()
    stamp = now()
    with writing(engine) as conn:
        area_id, assessment_id, response_id, token = seed_core(conn, bank.content_hash)
        room_id = conn.scalar(
            sa.insert(assessments)
            .values(area_id=area_id, kind="workshop", title="Room", form_id="modules",
                    bank_hash=bank.content_hash, created_at=stamp)
            .returning(assessments.c.id)
        )  # fmt: skip
        workshop_id = conn.scalar(
            sa.insert(workshops)
            .values(assessment_id=room_id, title="Room", join_code="ABCDEFG", key_salt="s" * 32,
                    key_hash="h" * 64, dimensions='["P1"]', roles='["resident"]', k=3,
                    current_round=1, round_open=True, created_at=stamp)
            .returning(workshops.c.id)
        )  # fmt: skip
        participant_id = conn.scalar(
            sa.insert(participants)
            .values(workshop_id=workshop_id, token_hash="t" * 64, pseudonym="P1",
                    role="resident", kind="person", created_at=stamp)
            .returning(participants.c.id)
        )  # fmt: skip
        room_response = conn.scalar(
            sa.insert(responses)
            .values(assessment_id=room_id, token_hash="r" * 64, role="resident", round=1,
                    status="submitted", created_at=stamp, updated_at=stamp,
                    submitted_at=stamp, participant_id=participant_id)
            .returning(responses.c.id)
        )  # fmt: skip
        conn.execute(
            sa.insert(answers).values(
                response_id=room_response, question_id="p1a", answer="4", updated_at=stamp
            )
        )
    before = {
        name: rows_of(engine, name)
        for name in ("assessments", "responses", "answers", "workshops", "participants")
    }

    assert migrate(engine) == [
        "0003_compare",
        "0004_trust",
        "0005_key_attempts",
        "0006_area_keys",
        "0007_answer_notes",
        "0008_consensus_rule",
        "0009_room_screens",
        "0010_actions",
        "0011_answer_pairs",
    ]
    after = {name: rows_of(engine, name, keep=before[name]) for name in before}
    assert after == before  # every row, every id, through 0003 and 0004's rebuilds
    assert [(a.id, a.demo) for a in list_areas(engine)] == [(area_id, False)]
    response = find_response(engine, token)
    assert response is not None
    assert response.id == response_id
    assert answers_frame(engine, assessment_id)["answer"].tolist() == ["2", "dk"]
    workshop = find_workshop(engine, "ABC-DEFG")
    assert workshop is not None
    assert workshop.id == workshop_id
    assert workshop_answers(engine, host(engine, workshop_id), workshop_id)["answer"].tolist() == [
        "4"
    ]
    imported = create_assessment(engine, area_id, "full", bank.content_hash, kind="imported")
    assert imported.id > room_id
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:  # the check holds
        conn.execute(sa.update(assessments).values(kind="borrowed"))
    with pytest.raises(sa.exc.IntegrityError), writing(engine) as conn:  # and the keys onto it
        conn.execute(sa.delete(assessments).where(assessments.c.id == assessment_id))
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
    engine.dispose()


def test_workshops_and_agreed_levels_before_0008_keep_ladders_rule(db_url: str) -> None:
    """A workshop opened and a level agreed before consensus rules were chosen were both under
    Ladder's rule, the only one there was: 0008 says so, and a later workshop may choose."""
    engine = make_engine(db_url)
    migrate(engine, MIGRATIONS[:7])
    bank = small_bank()
    save_bank(engine, bank, BANK_SOURCE)
    area_id = find_or_create_area(engine, "Testshire", "council").id  # areas: as at 0007
    with writing(engine) as conn:  # a workshop and an agreed level, as 0007 stored them
        assert "consensus_rule" not in sa.Table("workshops", sa.MetaData(), autoload_with=conn).c
        old_workshop(conn, area_id, bank.content_hash)
        agreed = sa.Table("agreements", sa.MetaData(), autoload_with=conn)
        conn.execute(
            sa.insert(agreed).values(
                workshop_id=conn.scalar(sa.text("SELECT max(id) FROM workshops")), round=1,
                dimension_id="P1", level=3, status="agreed", recorded_at=now(),
            )
        )  # fmt: skip
    assert migrate(engine) == [m.name for m in MIGRATIONS[7:]]
    found = find_workshop(engine, "ABC-DEFG")
    assert found is not None
    assert found.consensus_rule == "ladder"
    assert [a.consensus_rule for a in agreements(engine, found.id)] == ["ladder"]
    later, _ = open_workshop(
        engine, area_id, bank.content_hash, "W2", ["P1"], ["resident"], consensus_rule="iqr"
    )
    assert later.consensus_rule == "iqr"
    again = find_workshop(engine, later.join_code)
    assert again is not None
    assert again.consensus_rule == "iqr"
    record_agreement(engine, host(engine, later.id), later.id, 1, "P1", 4, "agreed")
    assert [a.consensus_rule for a in agreements(engine, later.id)] == ["iqr"]
    engine.dispose()


def rows_of(
    engine: sa.Engine, name: str, keep: list[dict[str, object]] | None = None
) -> list[dict[str, object]]:
    """The table's rows as dicts of the columns the database has (those of ``keep``'s rows,
    when given: a later migration's new columns are left out of the comparison)."""
    table = metadata.tables[name]
    with engine.connect() as conn:
        present = {c["name"] for c in sa.inspect(conn).get_columns(name)}
        if keep:
            present &= set(keep[0])
        columns = [c for c in table.columns if c.name in present]
        query = sa.select(*columns).order_by(*table.primary_key)
        return [dict(r._mapping) for r in conn.execute(query)]


def test_two_servers_starting_at_once_migrate_once(db_url: str) -> None:
    steps = (*MIGRATIONS, slow_table("slow_a"), slow_table("slow_b"))
    engines = [make_engine(db_url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    results: list[list[str]] = []
    errors: list[BaseException] = []

    def start(index: int) -> None:
        try:
            barrier.wait()
            results.append(migrate(engines[index], steps))
        except BaseException as exc:  # reported below, with the others
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(len(engines))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()
    assert errors == []
    assert sorted(name for applied in results for name in applied) == sorted(m.name for m in steps)
    assert sorted(ledger(db_url)) == sorted(m.name for m in steps)


def test_a_database_from_a_newer_ladder_is_refused(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine)
    with writing(engine) as conn:
        conn.execute(
            sa.insert(migrations_ledger).values(name="0999_from_the_future", applied_at=now())
        )
    with pytest.raises(StorageError) as caught:
        migrate(engine)
    message = caught.value.format()
    assert "newer version of Ladder" in message
    assert "0999_from_the_future" in message
    assert "please upgrade Ladder" in message
    engine.dispose()


def test_a_failing_step_leaves_no_trace(db_url: str) -> None:
    def broken(conn: Connection) -> None:
        conn.execute(sa.text("create table half_done (x integer)"))
        raise RuntimeError("step failed")

    engine = make_engine(db_url)
    with pytest.raises(RuntimeError, match="step failed"):
        migrate(engine, (*MIGRATIONS, Migration("0999_broken", broken)))
    assert applied_migrations(engine) == [m.name for m in MIGRATIONS]
    assert not sa.inspect(engine).has_table("half_done")
    engine.dispose()


def test_tables_ladder_did_not_create_are_not_taken_over(db_url: str) -> None:
    engine = make_engine(db_url)
    with writing(engine) as conn:
        conn.execute(sa.text("create table areas (id integer primary key, label text)"))
    with pytest.raises(StorageError, match="already has table"):
        migrate(engine)
    assert applied_migrations(engine) == []
    engine.dispose()


def test_workshop_tables_ladder_did_not_create_are_not_taken_over(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, MIGRATIONS[:1])
    with writing(engine) as conn:
        conn.execute(sa.text("create table workshops (id integer primary key, label text)"))
    with pytest.raises(StorageError, match=r"already has table\(s\) workshops that Ladder"):
        migrate(engine)
    assert applied_migrations(engine) == ["0001_core_tables"]
    assert "participant_id" not in [c["name"] for c in sa.inspect(engine).get_columns("responses")]
    engine.dispose()


def test_group_tables_ladder_did_not_create_are_not_taken_over(db_url: str) -> None:
    engine = make_engine(db_url)
    migrate(engine, MIGRATIONS[:2])
    with writing(engine) as conn:
        conn.execute(sa.text("create table area_groups (id integer primary key, label text)"))
    with pytest.raises(StorageError, match=r"already has table\(s\) area_groups that Ladder"):
        migrate(engine)
    assert applied_migrations(engine) == ["0001_core_tables", "0002_workshops"]
    assert "demo" not in [c["name"] for c in sa.inspect(engine).get_columns("areas")]
    engine.dispose()


def test_sqlite_migration_waits_for_a_busy_file(tmp_path: Path) -> None:
    """Another process holding the write lock for a while delays start-up; it does not fail it."""
    url = f"sqlite:///{tmp_path / 'ladder.db'}"
    holder = make_engine(url)
    released = threading.Event()

    def hold() -> None:
        with writing(holder) as conn:
            conn.execute(sa.text("create table other (x integer)"))
            time.sleep(0.5)
        released.set()

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.1)
    engine = make_engine(url)
    assert migrate(engine) == [m.name for m in MIGRATIONS]
    thread.join()
    assert released.is_set()
    engine.dispose()
    holder.dispose()


def test_busy_past_the_timeout_is_retried(monkeypatch: pytest.MonkeyPatch) -> None:
    from storage.migrations import steps as migrations

    monkeypatch.setattr(migrations, "_BUSY_PAUSE", 0.0)
    calls: list[int] = []

    def attempt() -> str | None:
        calls.append(1)
        if len(calls) < 3:
            locked = sa.exc.OperationalError("BEGIN IMMEDIATE", {}, Exception("database is locked"))
            raise StorageError("busy") from locked
        return "done"

    assert migrations._retry_while_busy(attempt) == "done"
    assert len(calls) == 3

    def never_free() -> str | None:
        raise StorageError("busy") from sa.exc.OperationalError("x", {}, Exception("locked"))

    with pytest.raises(StorageError):
        migrations._retry_while_busy(never_free)

    def other_failure() -> str | None:
        calls.append(1)
        raise StorageError("refused") from sa.exc.OperationalError("x", {}, Exception("refused"))

    calls.clear()
    with pytest.raises(StorageError, match="refused"):
        migrations._retry_while_busy(other_failure)
    assert len(calls) == 1


def test_the_room_reads_its_notes_through_the_noted_answers_index(db_url: str) -> None:
    """0007: the answers carrying a confidence or evidence have an index of their own, and
    it is partial (only those answers), as storage.core.schema declares it."""
    engine = make_engine(db_url)
    migrate(engine)
    indexes = {i["name"]: i for i in sa.inspect(engine).get_indexes("answers")}
    assert indexes["ix_answers_noted"]["column_names"] == ["response_id"]
    declared = {i.name for i in metadata.tables["answers"].indexes}
    assert "ix_answers_noted" in declared
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            sql = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'ix_answers_noted'"
            ).scalar_one()
        else:
            sql = conn.exec_driver_sql(
                "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_answers_noted'"
            ).scalar_one()
    assert "confidence IS NOT NULL" in sql
    assert "evidence IS NOT NULL" in sql
    engine.dispose()


def test_each_responses_answers_are_read_from_the_answer_pairs_index(db_url: str) -> None:
    """0011: an index of (response, question, answer), as storage.core.schema declares it,
    so the room's view reads every person's answers without visiting the table."""
    engine = make_engine(db_url)
    assert "0011_answer_pairs" in migrate(engine)
    indexes = {i["name"]: i for i in sa.inspect(engine).get_indexes("answers")}
    assert indexes["ix_answers_pairs"]["column_names"] == ["response_id", "question_id", "answer"]
    assert "ix_answers_pairs" in {i.name for i in metadata.tables["answers"].indexes}
    engine.dispose()

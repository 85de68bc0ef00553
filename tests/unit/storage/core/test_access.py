"""The access table and the grant checks (storage.core.access)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from storage.core import codes
from storage.core.access import (
    ACCESS,
    ANYONE,
    KINDS,
    AccessDenied,
    Grant,
    allowed,
    facilitator_grant,
    grant_holds,
    require,
    require_admin,
    require_facilitator,
    unlock_workshop,
)
from storage.core.engine import reading, writing
from storage.core.model import Workshop
from storage.core.schema import workshops


def test_every_entry_names_known_kinds_and_a_known_prefix() -> None:
    for name, kinds in ACCESS.items():
        assert name.split(":", 1)[0] in {"page", "download", "action", "command"}, name
        assert kinds, name
        assert kinds <= set(KINDS), name


def test_participants_see_the_joining_pages_and_nothing_else() -> None:
    pages = {n for n in ACCESS if n.startswith("page:") and allowed(n, "participant")}
    assert pages == {"page:join", "page:take"}


def test_compare_areas_and_shared_data_are_for_administrators_only() -> None:
    for name in (
        "page:compare",
        "page:areas",
        "download:compare",
        "download:area_export",
        "download:published",
        "action:import_results",
        "action:demo_data",
        "action:comparison_groups",
    ):
        assert ACCESS[name] == {"admin"}, name


def test_require_refuses_with_a_sentence_naming_who_may() -> None:
    require("page:home", ANYONE)
    with pytest.raises(AccessDenied) as refused:
        require("page:compare", ANYONE)
    assert refused.value.message == "This page is open only to administrators"
    with pytest.raises(KeyError):
        allowed("page:nowhere", "admin")


def test_unlock_gives_a_grant_bound_to_the_workshop(
    engine: Engine, opened: tuple[Workshop, str]
) -> None:
    workshop, key = opened
    grant = unlock_workshop(engine, workshop.join_code.lower(), key.replace("-", " "))
    assert grant is not None
    assert (grant.kind, grant.workshop_id) == ("facilitator", workshop.id)
    assert grant.join_code == codes.normalise_code(workshop.join_code)
    assert grant.secret
    assert grant.secret not in repr(grant)
    with reading(engine) as conn:
        assert grant_holds(conn, grant, workshop.id)
        require_facilitator(conn, grant, workshop.id)
        assert not grant_holds(conn, grant, workshop.id + 1)


def test_a_wrong_key_or_code_unlocks_nothing(engine: Engine, opened: tuple[Workshop, str]) -> None:
    workshop, key = opened
    assert unlock_workshop(engine, workshop.join_code, "A" * 20) is None
    assert unlock_workshop(engine, "ZZZ-ZZZZ", key) is None
    assert unlock_workshop(engine, None, key) is None


def test_a_grant_goes_stale_when_its_workshop_changes_hands(
    engine: Engine, opened: tuple[Workshop, str]
) -> None:
    """The same id with another join code or secret (a deleted workshop's id given again)."""
    workshop, key = opened
    grant = unlock_workshop(engine, workshop.join_code, key)
    assert grant is not None
    with writing(engine) as conn:
        conn.execute(sa.update(workshops).values(grant_secret="0" * 32))
    with reading(engine) as conn:
        assert not grant_holds(conn, grant, workshop.id)
        with pytest.raises(AccessDenied):
            require_facilitator(conn, grant, workshop.id)
        fresh = facilitator_grant(conn, workshop.id)
        assert fresh is not None
        assert grant_holds(conn, fresh, workshop.id)
        assert facilitator_grant(conn, workshop.id + 99) is None


def test_forged_grants_hold_nothing(engine: Engine, workshop: Workshop) -> None:
    with reading(engine) as conn:
        for forged in (
            ANYONE,
            Grant("facilitator", workshop_id=workshop.id),
            Grant("facilitator", workshop_id=workshop.id, join_code="ABCDEFG", secret="x"),
            Grant("admin", workshop_id=workshop.id),
        ):
            assert not grant_holds(conn, forged, workshop.id)


def test_admin_grants_must_still_hold(engine: Engine) -> None:
    with reading(engine) as conn:
        with pytest.raises(AccessDenied):
            require_admin(conn, ANYONE)
        with pytest.raises(AccessDenied):  # a local account that does not exist (any more)
            require_admin(conn, Grant("admin", admin="gone@example.org", via="local"))
        require_admin(conn, Grant("admin", admin="someone@example.org", via="oidc"))


def test_meanwhile_runs_with_the_workshop_only_when_a_key_is_hashed(
    engine: Engine, opened: tuple[Workshop, str]
) -> None:
    workshop, key = opened
    seen: list[int] = []
    assert unlock_workshop(engine, workshop.join_code, key, seen.append) is not None
    assert seen == [workshop.id]
    assert unlock_workshop(engine, workshop.join_code, "A" * 20, seen.append) is None
    assert seen == [workshop.id] * 2  # a wrong key is hashed too, so it ran
    assert unlock_workshop(engine, "ZZZ-ZZZZ", key, seen.append) is None  # no such workshop
    assert unlock_workshop(engine, workshop.join_code, "not a key", seen.append) is None
    assert seen == [workshop.id] * 2

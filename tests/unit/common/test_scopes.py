"""common.scopes: the room's scope names cannot be mistaken for a bank role's id."""

from __future__ import annotations

from common.scopes import OTHER_ROLES, OTHER_ROLES_LABEL, ROOM
from questions import load_instrument


def test_scope_names_differ_and_start_with_a_hash_no_role_id_has():
    assert ROOM != OTHER_ROLES
    assert ROOM.startswith("#")
    assert OTHER_ROLES.startswith("#")
    roles = {role.id for role in load_instrument().bank.roles}
    assert not roles & {ROOM, OTHER_ROLES}
    assert OTHER_ROLES_LABEL == "Other roles"

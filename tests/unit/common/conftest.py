"""The bank fixtures: common/ is tested through the bank and corpus files it reads."""

from tests.unit.questions.conftest import check

__all__ = ["check"]

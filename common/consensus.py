"""The names of the consensus rules a workshop can choose, and the default.

Why: storage keeps a workshop's rule and the rule each agreed level was recorded under,
scoring applies it (`scoring.consensus`, where each rule is defined and worded) and the
pages offer it; all must spell a rule the same way, and storage should not import scoring.
"""

from __future__ import annotations

from typing import Final

__all__ = ["CONSENSUS_RULES", "DEFAULT_RULE"]

#: Every rule's name, in the order a facilitator is offered them (the default first).
CONSENSUS_RULES: Final = ("ladder", "scirocco", "rand-ucla", "iqr", "within-one")
DEFAULT_RULE: Final = "ladder"

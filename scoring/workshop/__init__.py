"""A workshop round as the room and the facilitator see it: agreement, roles, words, figures."""

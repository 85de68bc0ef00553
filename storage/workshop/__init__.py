"""Workshops: rounds and keys, participants and seats, what the room may see (no differencing,
k), agreed levels and paper answers."""

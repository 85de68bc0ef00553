"""The pamphlet's essays as data: the corpus the questions cite."""

import common  # noqa: F401  (first: how text columns are kept, see common/__init__)

"""``python -m scoring score|agreement ...`` (see `scoring.cli`)."""

from scoring.cli import main

raise SystemExit(main())

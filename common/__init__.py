"""What the bank and the corpus readers share: the YAML reader, issues and their catalogue, field
readers, the markup check, and the one base class for a person's mistakes (`common.errors`)."""

import pandas as _pd

# Text columns hold Python strings (pandas' "str" dtype kept in Python storage), not Arrow
# arrays. Why: Ladder builds many small frames (a dashboard's tables, a page's readable
# tables) and reads them cell by cell; making each Arrow array and reading it back one
# value at a time cost a facilitator's Unlock with 1,000 people about 50 ms of ~350
# (make bench). The dtype and its rules (missing is NaN, ``.str`` methods) are the same.
# Set here, in the package every other package imports, so the app, the command lines, the
# benchmarks and the tests all build frames the same way.
_pd.set_option("mode.string_storage", "python")

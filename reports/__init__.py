"""Reports and exports: the self-contained HTML report, its PDF, and CSV/Excel/JSON data.

Pure given data: every function takes results, answers and meta and returns
text or bytes; nothing here imports Streamlit or touches storage.
"""

import common  # noqa: F401  (first: how text columns are kept, see common/__init__)

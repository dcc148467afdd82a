import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

# One headless Chromium for the whole session, shared by every browser test.
pytest_plugins = ["browser"]

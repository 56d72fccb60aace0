"""The features plugged into every open archive's workspace, in the order they attach (ui/common/extensions.py).

The self-evaluation first: its box is the detail panel's section, and the metadata's creation period goes above
its projected result by order, not by attaching later. A new feature adds its WorkspaceFeature here.
"""

from __future__ import annotations

from ui.metadata.hooks import FEATURE as METADATA
from ui.selfeval.hooks import FEATURE as SELFEVAL

WORKSPACE_FEATURES = (SELFEVAL, METADATA)

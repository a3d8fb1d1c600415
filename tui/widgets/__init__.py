"""The console's own widgets."""

from .attention import AttentionLine
from .filterbar import FilterBar
from .status import StatusLine
from .table import Column, ListSource, PagedSource, ResourceTable, Row
from .toggle import LicenseToggle
from .topbar import TopBar

__all__ = ["AttentionLine", "Column", "FilterBar", "LicenseToggle", "ListSource", "PagedSource",
           "ResourceTable", "Row", "StatusLine", "TopBar"]

"""Turn grids of cell strings (from Excel, Word or CSV) into a Catalogue, through the import plan.

Kept as the short way in for callers and tests that only want the catalogue; document.py builds the plan.
"""

from __future__ import annotations

from criteria.errors import import_error
from criteria.importers.document import is_caption, plan_from_grids
from criteria.importers.grid import Grid
from criteria.model import Catalogue, CatalogueError

__all__ = ["catalogue_from_grids", "is_caption"]


def catalogue_from_grids(grids: list[Grid], file_name: str, *, follow_tables: bool = False,
                         mapping: dict[str, str] | None = None) -> Catalogue:
    """The catalogue the plan of these grids would store; `follow_tables`: Word tables, whose widths are exact."""
    plan = plan_from_grids(grids, file_name, mapping, exact_width=follow_tables)
    catalogue = plan.catalogue
    try:
        catalogue.validate()
    except CatalogueError as exc:
        raise import_error(file_name, str(exc)) from exc
    return catalogue

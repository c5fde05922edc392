"""Pagination of lists whose rows are not plain models (rows with an aggregate column)."""

import math

from flask import current_app, request

from .residents.forms import safe_int


class RowPage:
    """What the pagination macro (``_macros/ui.html``) needs, for a page of rows."""

    def __init__(self, page: int, per_page: int, total: int):
        self.page, self.total = page, total
        self.pages = max(1, math.ceil(total / per_page))
        self.has_prev, self.prev_num = page > 1, page - 1
        self.has_next, self.next_num = page < self.pages, page + 1


def requested_page() -> tuple[int, int]:
    """The page number asked for (``?page=``, 1 when missing or wrong) and the page size."""
    return max(1, safe_int(request.args.get("page")) or 1), current_app.config["PAGE_SIZE"]

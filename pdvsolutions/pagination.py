"""Pagination of lists whose rows are not plain models (rows with an aggregate column)."""

import math

from flask import current_app

from .auth import forms


class RowPage:
    """What the pagination macro (``_macros/ui.html``) needs, for a page of rows.

    ``total`` may be None when the list only counts up to a cap: the number of pages is then
    unknown and ``more`` (a row exists after this page) tells whether there is a next page.
    """

    def __init__(self, page: int, per_page: int, total: int | None, more: bool = False):
        self.page, self.total = page, total
        self.pages = None if total is None else max(1, math.ceil(total / per_page))
        self.has_prev, self.prev_num = page > 1, page - 1
        self.has_next = more if self.pages is None else page < self.pages
        self.next_num = page + 1


def page_and_size() -> tuple[int, int]:
    """The page number asked for (``?page=``, 1 when missing or wrong) and the page size."""
    return forms.requested_page(), current_app.config["PAGE_SIZE"]

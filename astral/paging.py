"""`page` / `per_page` parsing and the pagination block of the seeds."""

import math

from astral.params import int_param

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 200
# The last page whose OFFSET fits PostgreSQL's bigint: beyond it the query was a DataError (a 500).
MAX_PAGE = (2**63 - 1) // MAX_PER_PAGE


def positive_int_param(params, name: str, default: int, maximum: int | None = None) -> int:
    return int_param(params, name, default, 1, maximum, min_code="INVALID", max_code="INVALID")


def page_params(params, default_per_page: int = DEFAULT_PER_PAGE) -> tuple[int, int]:
    page = positive_int_param(params, "page", 1, maximum=MAX_PAGE)
    per_page = positive_int_param(params, "per_page", default_per_page, maximum=MAX_PER_PAGE)
    return page, per_page


def pagination_block(total: int, page: int, per_page: int) -> dict:
    total_pages = max(1, math.ceil(total / per_page)) if total else 0
    return {
        "total": total,
        "page": page,
        "per_page": per_page,
        "total_pages": total_pages,
        "has_next": page < total_pages,
        "has_prev": page > 1,
    }


def paginate(queryset, page: int, per_page: int) -> tuple[list, dict]:
    """One COUNT and one LIMIT/OFFSET query; returns (rows, pagination block)."""
    total = queryset.count()
    start = (page - 1) * per_page
    rows = list(queryset[start : start + per_page])
    return rows, pagination_block(total, page, per_page)

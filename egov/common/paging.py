"""Pagination of long, joined lists (the officers' queues) on primary keys first.

With tens of thousands of open tasks, ``OFFSET n`` over a query that joins the dossier,
procedure, applicant, agency and owner joins every skipped row too: page 40 cost three
times page 1 at a million dossiers. Paginating the primary keys alone and then loading the
25 rows of the page keeps every page as cheap as the first.
"""

from django.core.paginator import Paginator


def load_rows(queryset, keys):
    """The rows of ``queryset`` with these primary keys, in the order of ``keys``."""
    keys = list(keys)
    rows = queryset.order_by().in_bulk(keys)
    return [rows[key] for key in keys if key in rows]


def page_of(queryset, per_page, number):
    """A Django ``Page`` whose ``object_list`` holds the loaded rows of page ``number``."""
    page = Paginator(queryset.values_list("pk", flat=True), per_page).get_page(number)
    page.object_list = load_rows(queryset, page.object_list)
    return page

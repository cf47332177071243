from rest_framework.pagination import PageNumberPagination

from egov.common.paging import load_rows


class Pagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysFirstPagination(Pagination):
    """For the long, joined task lists: paginate primary keys, then load the page (egov.common.paging)."""

    def paginate_queryset(self, queryset, request, view=None):
        keys = super().paginate_queryset(queryset.values_list("pk", flat=True), request, view)
        if keys is None:
            return None
        return load_rows(queryset, keys)

from django.views.generic import ListView

from core.sorting import Sorting


class FilteredListView(ListView):
    """A paginated list narrowed by a django-filter FilterSet (if it has one) and, when it has a
    `sorting`, ordered by the column a person chose (core.sorting); the page links keep both.
    A list whose rows depend on the reader overrides `base_queryset`."""

    filterset_class = None
    sorting: Sorting | None = None
    paginate_by = 50

    def base_queryset(self):
        return super().get_queryset()

    def get_queryset(self):
        queryset = self.base_queryset()
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.request.GET, queryset=queryset)
            queryset = self.filterset.qs
        self.sort = None
        if self.sorting is not None:
            queryset, self.sort = self.sorting.apply(queryset, self.request.GET)
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["sort"] = self.sort
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        return context

"""Column sorting for list pages and their API twins: `?sort=score` or `?sort=-score`.

Each list declares a `Sorting`: the public keys a person may sort by, each naming the model fields
it orders, and the order used when no (or an unknown) key is asked for. On a page an unknown key
falls back to the default rather than erroring, as a stale bookmark or saved view should still
open the list; the API refuses one (StableOrderingFilter).
Every order ends with the primary key, so rows that tie keep one order across pages.
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter

SORT_PARAM = "sort"


def _may_be_null(model, path: str) -> bool:
    """Whether `path` ("owner__first_name") can read NULL from `model`: a nullable column, or
    one reached through a nullable relation. Anything else (an annotation) counts as nullable."""
    for name in path.split("__"):
        try:
            field = model._meta.get_field(name)
        except FieldDoesNotExist:
            return True
        if field.null:
            return True
        if field.is_relation:
            model = field.related_model
    return False


@dataclass(frozen=True)
class SortState:
    """The sort a page is shown in, and what its headers need to link to the others."""

    key: str  # the public key in force, "" when the list's own order (e.g. urgency) holds
    descending: bool
    requested: str  # the `sort` value the request carried, if it was a known key
    base_query: str  # the request's query without sort and page: filters a header keeps

    def link_for(self, key: str, first_descending: bool = False) -> str:
        """The query string a header links to: the other direction if `key` is in force."""
        descending = not self.descending if key == self.key else first_descending
        value = f"-{key}" if descending else key
        sort = f"{SORT_PARAM}={value}"
        return f"{self.base_query}&{sort}" if self.base_query else sort

    def aria_for(self, key: str) -> str:
        if key != self.key:
            return ""
        return "descending" if self.descending else "ascending"


@dataclass(frozen=True)
class Sorting:
    """The sort keys one list allows. `keys` maps a public key to the fields it orders by
    (ascending; `-` flips them all); `default` is a key, "-key", or "" to keep the queryset's
    own order (the queue's urgency)."""

    keys: dict[str, tuple[str, ...]]
    default: str = ""
    tiebreak: str = "pk"

    def parse(self, value: str | None) -> tuple[str, bool, bool]:
        """(key, descending, known): an unknown or empty value gives the default."""
        value = (value or "").strip()
        key = value.removeprefix("-")
        if key in self.keys:
            return key, value.startswith("-"), True
        default = self.default
        return default.removeprefix("-"), default.startswith("-"), False

    def order_by(self, key: str, descending: bool, model=None) -> list:
        """The order_by() terms for `key`. Columns that may be empty (no owner, no close date)
        put empty last either way, as a reader expects; the others are plain, so an index on
        them serves either direction."""
        if not key:
            return []
        fields = []
        for name in self.keys[key]:
            if model is not None and not _may_be_null(model, name):
                fields.append(f"-{name}" if descending else name)
                continue
            expression = F(name)
            fields.append(
                expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
            )
        fields.append(f"-{self.tiebreak}" if descending else self.tiebreak)
        return fields

    def apply(self, queryset: QuerySet, params: QueryDict) -> tuple[QuerySet, SortState]:
        """`queryset` in the order `params` asks for, and the state its headers show."""
        key, descending, known = self.parse(params.get(SORT_PARAM))
        query = params.copy()
        query.pop(SORT_PARAM, None)
        query.pop("page", None)
        state = SortState(
            key=key,
            descending=descending,
            requested=params.get(SORT_PARAM, "") if known else "",
            base_query=query.urlencode(),
        )
        ordering = self.order_by(key, descending, queryset.model)
        return (queryset.order_by(*ordering) if ordering else queryset), state

    def only(self, *keys: str) -> "Sorting":
        """The same sorting narrowed to `keys` (an API that sorts by fewer columns)."""
        return Sorting(
            keys={key: self.keys[key] for key in keys}, default=self.default, tiebreak=self.tiebreak
        )

    def api_fields(self) -> dict[str, str]:
        """What the API's `ordering` parameter accepts: the same public keys, each mapped to its
        first field (DRF's OrderingFilter orders by one field per key)."""
        return {key: fields[0] for key, fields in self.keys.items()}


class StableOrderingFilter(OrderingFilter):
    """DRF's `ordering` parameter over a view's `sorting` (a `Sorting`): the same keys as the
    page (`?ordering=-score`), the primary key last so tied rows keep their order. Without one
    the view's pagination order holds. A page ignores a sort key it does not know (a link typed
    by hand still opens the list); the API refuses one with a 400 naming the parameter, as it
    does any value outside its documented contract, so a client's typo is not silently a
    different order."""

    ordering_description = _("Sort by one of the listed keys; a leading '-' reverses it.")

    def get_ordering(self, request, queryset, view):
        value = request.query_params.get(self.ordering_param, "").strip()
        if not value:
            return None
        key, descending, known = view.sorting.parse(value)
        if not known:
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("Sort by one of: %(keys)s.") % {"keys": ", ".join(view.sorting.keys)}
                    ]
                }
            )
        name = view.sorting.api_fields()[key]
        return (f"-{name}", "-pk") if descending else (name, "pk")

    def get_schema_operation_parameters(self, view):
        keys = list(view.sorting.keys)
        (parameter,) = super().get_schema_operation_parameters(view)
        parameter["schema"] = {
            "type": "string",
            "enum": [value for key in keys for value in (key, f"-{key}")],
        }
        return [parameter]

"""Template pieces every list shares: sortable column headers."""

from django import template

register = template.Library()


@register.inclusion_tag("partials/sort_header.html", takes_context=True)
def sort_header(context, key: str, label: str, first: str = "asc", css_class: str = ""):
    """A column header that sorts by `key` (`{% sort_header "score" _("Score") "desc" %}`):
    a link to the other direction when it is in force, else to `first`, with aria-sort and an
    arrow. The page's `sort` (a core.sorting.SortState) says what is in force."""
    state = context["sort"]
    return {
        "label": label,
        "query": state.link_for(key, first_descending=first == "desc"),
        "aria_sort": state.aria_for(key),
        "css_class": css_class,
    }

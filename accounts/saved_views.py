"""Saved views: a person names a list's current filters and sort and comes back to them.

A saved view is the list's query string, kept under a name per person and list; opening it goes
to the list with that query. Only its owner reads, opens or deletes it (anyone else gets 404, as
for one that does not exist). Lists take part by naming their key in LISTS and showing
`saved_views.html` with the context from `saved_views_context`.
"""

from django.db import IntegrityError, transaction
from django.http import QueryDict
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.models import SavedView
from core.errors import ApplicationError

# The lists a view can be saved for: key -> URL name of the list page.
LISTS = {
    "leads": "leads:list",
    "queue": "handoff:queue",
    "returned": "handoff:returned",
    "opportunities": "handoff:opportunities",
    "sqls": "handoff:sqls",
}
# Parameters that say where in a list one is, not what it shows.
NOT_SAVED = ("page", "csrfmiddlewaretoken")
NAME_LENGTH = SavedView._meta.get_field("name").max_length
QUERY_LENGTH = SavedView._meta.get_field("query").max_length


def view_query(params: QueryDict) -> str:
    """The filters and sort of a list's request, as a saved view keeps them."""
    query = params.copy()
    for name in NOT_SAVED:
        query.pop(name, None)
    return query.urlencode()


def saved_views_of(*, user, list_key: str) -> list[SavedView]:
    """`user`'s saved views of one list, by name: one query."""
    return list(SavedView.objects.filter(owner=user, list_key=list_key).order_by("name", "id"))


def saved_view_url(view: SavedView) -> str:
    url = reverse(LISTS[view.list_key])
    return f"{url}?{view.query}" if view.query else url


def saved_view_save(*, owner, list_key: str, name: str, query: str) -> tuple[SavedView, bool]:
    """Keep the list's query under `name`; saving a name again replaces what it shows.
    Returns the view and whether it is new."""
    if list_key not in LISTS:
        raise ApplicationError(_("There is no such list."))
    name = name.strip()
    if not name:
        message = _("Name the view, e.g. “Hot webinar leads”.")
        raise ApplicationError(message, extra={"name": [message]})
    if len(name) > NAME_LENGTH:
        message = _("A view's name has at most %(limit)d characters.") % {"limit": NAME_LENGTH}
        raise ApplicationError(message, extra={"name": [message]})
    query = view_query(QueryDict(query))
    if len(query) > QUERY_LENGTH:
        raise ApplicationError(_("These filters are too long to save."))
    try:
        with transaction.atomic():
            return SavedView.objects.update_or_create(
                owner=owner, list_key=list_key, name=name, defaults={"query": query}
            )
    except IntegrityError:
        # Saved under the same name at the same moment (another tab): that one is kept.
        return SavedView.objects.get(owner=owner, list_key=list_key, name=name), False


def saved_views_context(request, list_key: str) -> dict:
    """What a list page passes to `partials/saved_views.html`: one query."""
    query = view_query(request.GET)
    views = saved_views_of(user=request.user, list_key=list_key)
    for view in views:
        view.is_current = view.query == query
    return {"saved_views": views, "saved_view_list": list_key, "saved_view_query": query}


class SavedViewsMixin:
    """A list view whose filters and sort can be saved: set `saved_view_list` to its LISTS key."""

    saved_view_list: str

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(saved_views_context(self.request, self.saved_view_list))
        return context

"""A notification is stored as its kind and parameters and worded when it is read or sent, in
the reader's language: the list page words it in the page's language (the reader's own), the
e-mail task in the recipient's (notifications/tasks.py).

Parameters are names and numbers as they are (a lead, a rep, a version), or labels Accord
translates (a step of the SLA, "unassigned"): a caller passes those as lazy translations and
they are stored as their msgid ({"msgid": "MQL to first touch"}), translated at wording time.
A label a manager wrote, with its own per-language labels (a return reason), is passed as a
`Label` and stored as {"label": ..., "labels": {...}}, read in the reader's language.
Rows from before parameters were stored hold their worded text ({"text": ...}) and show it.
"""

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.functional import Promise
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, gettext_lazy

from core.i18n import localized
from notifications.models import NotificationKind


@dataclass(frozen=True)
class Label:
    """A label with a default text and per-language versions (core.i18n.localized)."""

    label: str
    labels: dict = field(default_factory=dict)


MESSAGES = {
    NotificationKind.LEAD_ASSIGNED: gettext_lazy("A lead is yours in the queue: %(lead)s"),
    NotificationKind.LEAD_RETURNED: gettext_lazy("%(rep)s returned %(lead)s: %(reason)s"),
    NotificationKind.SQL_HANDED_OVER: gettext_lazy("%(rep)s handed you an SQL: %(lead)s"),
    NotificationKind.OPPORTUNITY_HANDED_OVER: gettext_lazy(
        "%(rep)s handed you an opportunity: %(name)s"
    ),
    NotificationKind.SLA_ESCALATION: gettext_lazy(
        "SLA breached: %(step)s for %(lead)s (team %(team)s, rep %(rep)s)."
    ),
    NotificationKind.SLA_AT_RISK: gettext_lazy(
        "At risk: %(step)s for %(lead)s. Act before it breaches."
    ),
    NotificationKind.SLA_BREACHED: gettext_lazy("Breached: %(step)s for %(lead)s."),
    NotificationKind.AGREEMENT_AWAITS_SIGNATURE: gettext_lazy(
        "%(author)s submitted MQL agreement v%(version)s for sign-off."
    ),
}
# A variant of a kind's message, chosen by a parameter that is true.
VARIANTS = {
    (NotificationKind.LEAD_RETURNED, "after_accepting"): gettext_lazy(
        "%(rep)s returned %(lead)s after accepting it: %(reason)s"
    ),
}


def stored_params(params: dict) -> dict:
    """`params` as JSON keeps them: lazy translations become their msgid, the rest strings
    (a lead or a person as they are named now) unless they are numbers or booleans."""
    stored = {}
    for name, value in params.items():
        if isinstance(value, Promise):
            with translation.override(None):
                stored[name] = {"msgid": str(value)}
        elif isinstance(value, Label):
            stored[name] = {"label": value.label, "labels": dict(value.labels or {})}
        elif isinstance(value, bool | int | float) or value is None:
            stored[name] = value
        else:
            stored[name] = str(value)
    return stored


def _read(value):
    if isinstance(value, dict) and "msgid" in value:
        return gettext(value["msgid"])
    if isinstance(value, dict) and "label" in value:
        return localized(value["label"], value.get("labels"))
    return value


def word(kind: str, params: dict) -> str:
    """The notification's text in the active language."""
    if "text" in params:
        return params["text"]
    values = {name: _read(value) for name, value in params.items()}
    return str(_message(kind, params)) % values


def word_html(kind: str, params: dict) -> str:
    """`word` for a page: escaped, each name or title isolated in <bdi>, so an English company
    in an Arabic sentence (or an Arabic name in an English one) keeps its own direction."""
    if "text" in params:
        return conditional_escape(params["text"])
    values = {
        name: conditional_escape(_read(value))
        if isinstance(value, dict) and "msgid" in value
        else format_html("<bdi>{}</bdi>", _read(value))
        for name, value in params.items()
    }
    # Safe: the message is escaped, and so is every value (conditional_escape or format_html).
    return mark_safe(conditional_escape(str(_message(kind, params))) % values)  # nosec B308 B703


def _message(kind: str, params: dict):
    return next(
        (text for (of, flag), text in VARIANTS.items() if of == kind and params.get(flag)),
        MESSAGES[kind],
    )

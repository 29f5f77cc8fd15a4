"""A manager's actions on several handoffs at once: reassign them, or return them to marketing.

Each handoff goes through the single-item service (handoff.services.handoffs.reassign_handoff,
outcomes.return_handoff) in its own transaction, so every rule, lock, clock, event and
notification is the one a single action has. Not all-or-nothing: a bulk action runs over a live
queue, where a rep may accept one of the leads a second before; that lead is refused with the
reason a single action would give (409 "Sam already handled this lead") while the others go
through, and the manager is told which, rather than losing the whole batch to one conflict.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from core.errors import ApplicationError
from handoff.access import handoffs_visible_to
from handoff.models import Handoff
from handoff.services.handoffs import reassign_handoff
from handoff.services.outcomes import return_handoff

# More than a page of the queue (50) is never ticked at once.
MAX_ITEMS = 200


@dataclass
class BulkOutcome:
    """What became of each handoff asked for: done, or refused with the reason."""

    done: list[Handoff] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)  # (which lead, why)

    def summary(self, done_words: Callable[[int], str]) -> str:
        """ "3 reassigned, 1 refused: Ann Lee: Sam already handled this lead: it is accepted.\""""
        done = done_words(len(self.done))
        if not self.refused:
            return done
        # Each piece is worded and punctuated by the reader's language (、 and ： in Chinese).
        reasons = pgettext("separator between refusals", "; ").join(
            pgettext("a lead and why it was refused", "%(lead)s: %(reason)s")
            % {"lead": lead, "reason": reason}
            for lead, reason in self.refused
        )
        refused = ngettext("%(count)d refused", "%(count)d refused", len(self.refused)) % {
            "count": len(self.refused)
        }
        return pgettext("bulk action outcome", "%(done)s, %(refused)s: %(reasons)s") % {
            "done": done,
            "refused": refused,
            "reasons": reasons,
        }


def _each(*, handoff_ids: Iterable[int], user, act: Callable[[Handoff], object]) -> BulkOutcome:
    """Run `act` on each handoff `user` may read, in id order; one query reads them all."""
    ids = sorted(set(handoff_ids))
    if not ids:
        raise ApplicationError(_("Tick at least one lead."))
    if len(ids) > MAX_ITEMS:
        raise ApplicationError(_("Tick at most %(limit)d leads at a time.") % {"limit": MAX_ITEMS})
    handoffs = handoffs_visible_to(user).select_related("lead").filter(pk__in=ids).in_bulk()
    outcome = BulkOutcome()
    for pk in ids:
        handoff = handoffs.get(pk)
        if handoff is None:
            # Not there, or not the user's to read: one answer for both, as a single action.
            outcome.refused.append((f"#{pk}", _("No such lead in the queue.")))
            continue
        try:
            outcome.done.append(act(handoff))
        except ApplicationError as error:
            outcome.refused.append((str(handoff.lead), str(error.message)))
    return outcome


def bulk_reassign(*, handoff_ids: Iterable[int], to_user, user, now=None) -> BulkOutcome:
    """Give each open handoff to `to_user` (a rep), or back to the team pool with None."""
    return _each(
        handoff_ids=handoff_ids,
        user=user,
        act=lambda handoff: reassign_handoff(handoff=handoff, to_user=to_user, user=user, now=now),
    )


def bulk_return(
    *, handoff_ids: Iterable[int], user, reason: str, note: str = "", now=None
) -> BulkOutcome:
    """Return each open handoff to marketing with the same reason and note."""
    return _each(
        handoff_ids=handoff_ids,
        user=user,
        act=lambda handoff: return_handoff(
            handoff=handoff, user=user, reason=reason, note=note, now=now
        ),
    )

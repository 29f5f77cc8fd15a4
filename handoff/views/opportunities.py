from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from accounts.capabilities import CapabilityRequiredMixin, capability_required
from accounts.saved_views import SavedViewsMixin
from core.forms import refusals_on
from core.listing import FilteredListView
from handoff.filters import OPPORTUNITY_SORTING, OpportunityFilter
from handoff.forms import OpportunityUpdateForm
from handoff.models import Opportunity
from handoff.selectors import opportunities_for
from handoff.services import update_opportunity


class OpportunityListView(CapabilityRequiredMixin, SavedViewsMixin, FilteredListView):
    """An account executive's pipeline (a manager's: everyone's), by close date."""

    capability = "opportunities.work"
    template_name = "handoff/opportunity_list.html"
    filterset_class = OpportunityFilter
    sorting = OPPORTUNITY_SORTING
    saved_view_list = "opportunities"

    def base_queryset(self):
        return opportunities_for(user=self.request.user)


@capability_required("opportunities.work")
def opportunity_detail(request, pk):
    """One opportunity, for those who may read it (handoff.access; 404 for anyone else, as for
    no opportunity); its owner and managers change it."""
    opportunity = get_object_or_404(opportunities_for(user=request.user), pk=pk)
    # The form edits its own copy, so the page still shows the saved opportunity on errors.
    form = OpportunityUpdateForm(request.POST or None, instance=Opportunity.objects.get(pk=pk))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.changed_data}
            changes.pop("lost_reason", None)
            with refusals_on(form):
                update_opportunity(
                    opportunity=opportunity,
                    user=request.user,
                    changes=changes,
                    lost_reason=form.cleaned_data["lost_reason"],
                )
            if not form.errors:
                messages.success(request, _("Opportunity saved."))
                if opportunities_for(user=request.user).filter(pk=pk).exists():
                    return redirect("handoff:opportunity", pk)
                # Handed to another account executive: it has left this pipeline.
                return redirect("handoff:opportunities")
        status = 400
    context = {"opportunity": opportunity, "form": form}
    return render(request, "handoff/opportunity_detail.html", context, status=status)

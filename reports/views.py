from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.capabilities import CapabilityRequiredMixin
from core.forms import refusals_on
from reports import charts
from reports.csv import csv_response
from reports.economics import METRIC_LABELS, METRICS, channel_economics, latest_currency, spend_grid
from reports.exports import economics_table, funnel_table, pipeline_table, returns_table
from reports.filters import ReportFilterForm
from reports.forms import (
    CurrencyPairForm,
    EconomicsFilterForm,
    ExchangeRateForm,
    PipelineFilterForm,
    SpendGridForm,
    SpendMonthForm,
)
from reports.funnel import STEP_LABELS, STEPS, TIMED_STAGES
from reports.models import ExchangeRate
from reports.pipeline import pipeline_report
from reports.selectors import funnel_report, returns_report
from reports.services import channel_spend_save, exchange_rate_remove, exchange_rate_set


class ReportView(CapabilityRequiredMixin, TemplateView):
    """A report page and its CSV twin (`export=True`): the same filters, the same figures.

    Subclasses say how to `build` the report from the valid filter form and how to flatten it
    into a `table` for the CSV.
    """

    capability = "reports.view"
    form_class = ReportFilterForm
    export = False
    name = ""
    csv_url_name = ""

    def get(self, request, *args, **kwargs):
        form = self.form_class(request.GET)
        if not form.is_valid():
            form.offer_choices()
            return self.render_to_response(self.get_context_data(form=form), status=400)
        report = self.build(form)
        if self.export:
            header, rows = self.table(report)
            filters = report.filters
            filename = f"{self.name}-{filters.date_from}-{filters.date_to}.csv"
            return csv_response(filename, header, rows)
        form.offer_choices()
        return self.render_to_response(
            self.get_context_data(
                form=form,
                report=report,
                query_string=request.GET.urlencode(),
                **self.context_for(report),
            )
        )

    def context_for(self, report) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        return super().get_context_data(csv_url=reverse(self.csv_url_name), **kwargs)


class FunnelView(ReportView):
    template_name = "reports/funnel.html"
    name = "funnel"
    csv_url_name = "reports:funnel_csv"

    def build(self, form):
        return funnel_report(filters=form.filters())

    def table(self, report):
        return funnel_table(report)

    def context_for(self, report):
        return {
            "summary": [
                (STEP_LABELS[step], count, rate) for step, count, rate in report.total.steps
            ],
            "total_rows": [report.total],
            "step_labels": [STEP_LABELS[step] for step in STEPS],
            "stay_labels": [STEP_LABELS[stage] for stage in TIMED_STAGES],
            "charts": charts.funnel_charts(report),
        }


class ReturnsView(ReportView):
    template_name = "reports/returns.html"
    name = "returns"
    csv_url_name = "reports:returns_csv"

    def build(self, form):
        return returns_report(filters=form.filters())

    def table(self, report):
        return returns_table(report)

    def context_for(self, report):
        return {"charts": charts.returns_charts(report)}


class ChannelEconomicsView(ReportView):
    template_name = "reports/channel_economics.html"
    form_class = EconomicsFilterForm
    name = "channel-economics"
    csv_url_name = "reports:channels_csv"

    def build(self, form):
        return channel_economics(
            filters=form.filters(),
            currency=form.cleaned_data["currency"],
            converted=form.cleaned_data["converted"],
        )

    def table(self, report):
        return economics_table(report)

    def context_for(self, report):
        return {
            "metric_labels": [METRIC_LABELS[metric] for metric in METRICS],
            "charts": charts.economics_charts(report),
        }


class PipelineView(ReportView):
    template_name = "reports/pipeline.html"
    form_class = PipelineFilterForm
    name = "pipeline"
    csv_url_name = "reports:pipeline_csv"

    def build(self, form):
        return pipeline_report(filters=form.filters(), currency=form.reporting_currency())

    def table(self, report):
        return pipeline_table(report)

    def context_for(self, report):
        won, lost = report.stages[-2:]
        return {
            "summary": [report.open, won, lost],
            "table": [
                (row, [row.amount_in(code) for code in report.currencies]) for row in report.rows
            ],
        }


class ExchangeRatesView(CapabilityRequiredMixin, TemplateView):
    """The current rates, and a form to enter one (replacing the pair's rate) or remove one."""

    capability = "reports.exchange_rates"
    template_name = "reports/exchange_rates.html"

    def get(self, request, *args, **kwargs):
        initial = {"into": settings.ACCORD_REPORTING_CURRENCY, **request.GET.dict()}
        return self.render_page(ExchangeRateForm(initial=initial))

    def render_page(self, form, status=200):
        rates = ExchangeRate.objects.select_related("updated_by")
        return self.render_to_response(self.get_context_data(form=form, rates=rates), status=status)

    def post(self, request, *args, **kwargs):
        if request.POST.get("action") == "remove":
            pair = CurrencyPairForm(request.POST)
            if pair.is_valid():
                exchange_rate_remove(user=request.user, **pair.cleaned_data)
                messages.success(
                    request,
                    _("The rate of %(currency)s in %(into)s is removed.") % pair.cleaned_data,
                )
            return redirect("reports:exchange_rates")
        form = ExchangeRateForm(request.POST)
        if form.is_valid():
            with refusals_on(form):
                rate = exchange_rate_set(user=request.user, **form.cleaned_data)
            if not form.errors:
                messages.success(
                    request,
                    _("1 %(currency)s = %(rate)s %(into)s saved.")
                    % {
                        "currency": rate.currency,
                        "rate": format(rate.rate.normalize(), "f"),
                        "into": rate.into,
                    },
                )
                return redirect("reports:exchange_rates")
        return self.render_page(form, status=400)


class SpendView(CapabilityRequiredMixin, TemplateView):
    """The marketer's monthly grid: channels down, one amount each, saved together.

    The month and currency come from the URL, so the grid a marketer saves is the one they see.
    """

    capability = "reports.enter_spend"
    template_name = "reports/spend.html"

    @cached_property
    def picker(self):
        defaults = {
            "month": timezone.localdate().strftime("%Y-%m"),
            "currency": latest_currency(),
        }
        chosen = {key: value for key, value in self.request.GET.items() if value}
        return SpendMonthForm({**defaults, **chosen})

    def render_grid(self, form, status=200):
        return self.render_to_response(
            self.get_context_data(picker=self.picker, form=form), status=status
        )

    def get(self, request, *args, **kwargs):
        if not self.picker.is_valid():
            return self.render_grid(None, status=400)
        return self.render_grid(SpendGridForm(cells=self.cells()))

    def post(self, request, *args, **kwargs):
        if not self.picker.is_valid():
            return self.render_grid(None, status=400)
        month, currency = self.picker.cleaned_data["month"], self.picker.cleaned_data["currency"]
        form = SpendGridForm(request.POST, cells=self.cells())
        if form.is_valid():
            with refusals_on(form):
                channel_spend_save(month=month, currency=currency, amounts=form.amounts())
            if not form.errors:
                messages.success(
                    request,
                    _("Spend for %(month)s in %(currency)s saved.")
                    % {"month": month.strftime("%Y-%m"), "currency": currency},
                )
                query = urlencode({"month": month.strftime("%Y-%m"), "currency": currency})
                return redirect(f"{reverse('reports:spend')}?{query}")
        return self.render_grid(form, status=400)

    def cells(self):
        return spend_grid(
            month=self.picker.cleaned_data["month"], currency=self.picker.cleaned_data["currency"]
        )

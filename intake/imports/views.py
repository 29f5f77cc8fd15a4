"""Import pages for marketers: upload, map, dry run, import with a live progress bar."""

from itertools import islice

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.capabilities import capability_required
from core.forms import refusals_on
from intake.imports import retention, services
from intake.imports.export import rejected_rows_csv
from intake.imports.forms import MappingForm, UploadForm
from intake.models import ImportJob, ImportStatus

SAMPLE_ROWS = 3
SHOWN_REJECTIONS = 100


@capability_required("intake.import")
def import_list(request):
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusals_on(form, field="file"):
                job = services.create_import(
                    upload=form.cleaned_data["file"],
                    user=request.user,
                    source=form.cleaned_data["source"],
                )
            if not form.errors:
                return redirect("intake:import-map", pk=job.pk)
        status = 400
    jobs = ImportJob.objects.select_related("source", "created_by")[:50]
    return render(request, "intake/imports/list.html", {"form": form, "jobs": jobs}, status=status)


@capability_required("intake.import")
def import_map(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("source", "channel"), pk=pk)
    if job.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        return redirect("intake:import-detail", pk=job.pk)
    initial = {f"column_{index}": target for index, target in job.mapping.items()}
    initial.update(channel=job.channel, save_as=job.source.name if job.source else "")
    form = MappingForm(request.POST or None, headers=job.headers, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            with refusals_on(form):
                services.dry_run(
                    job=job,
                    mapping=form.mapping,
                    channel=form.cleaned_data["channel"],
                    save_as=form.cleaned_data["save_as"],
                )
            if not form.errors:
                return redirect("intake:import-detail", pk=job.pk)
        status = 400
    samples = [row.values for row in islice(services.data_rows(job), SAMPLE_ROWS)]
    columns = [
        (header, bound, [row[index] if index < len(row) else "" for row in samples])
        for index, header, bound in form.column_fields()
    ]
    context = {"job": job, "form": form, "columns": columns}
    return render(request, "intake/imports/map.html", context, status=status)


@capability_required("intake.import")
def import_detail(request, pk):
    job = get_object_or_404(ImportJob.objects.select_related("source", "channel"), pk=pk)
    context = {
        "job": job,
        "rejections": job.rejections.all()[:SHOWN_REJECTIONS],
        "rows_deleted": retention.rows_deleted_notice(),
    }
    return render(request, "intake/imports/detail.html", context)


@capability_required("intake.import")
def import_progress(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    context = {"job": job, "rows_deleted": retention.rows_deleted_notice()}
    return render(request, "intake/imports/_progress.html", context)


@require_POST
@capability_required("intake.import")
def import_start(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    if job.status == ImportStatus.FAILED:
        services.resume_import(job=job)
    else:
        services.start_import(job=job)
    return redirect("intake:import-detail", pk=job.pk)


@capability_required("intake.import")
def import_rejections(request, pk):
    job = get_object_or_404(ImportJob, pk=pk)
    if job.retention_ended:
        # Gone, not an empty file: a link kept elsewhere (a bookmark, an e-mail) learns why.
        notice = retention.rows_deleted_notice()
        return HttpResponse(notice, status=410, content_type="text/plain; charset=utf-8")
    response = StreamingHttpResponse(rejected_rows_csv(job), content_type="text/csv; charset=utf-8")
    filename = _("rejected-rows-%(id)s.csv") % {"id": job.pk}
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response

"""Pages of the import framework, the same for every import type.

- upload: the type's options and the file (GET ?template=1 downloads the type's template);
- job: one job — progress while it is checked or imported (htmx polls a fragment), the preview
  with the column mapping, then the result;
- job_mapping / job_confirm: POST the changed mapping (re-check) or the confirmation.
Only users the type allows (`ImportType.can_import`) reach a type's pages; a job is seen by its
uploader and by those who may import its type, and is 404 for everyone else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from apps.core import clock, downloads
from apps.core.types import AuthenticatedRequest

from . import services
from .forms import mapping_choices, mapping_from_post, upload_form_class
from .layout import Layout
from .models import ImportJob, JobStatus
from .reading import human_size
from .registry import ImportType, get_import_type
from .writing import build_template

STALE_PENDING_SECONDS = 60


def _import_type_for(request: AuthenticatedRequest, kind: str) -> ImportType:
    import_type = get_import_type(kind)
    if import_type is None:
        raise Http404("没有这种导入类型。")
    if not import_type.can_import(request.user):
        raise PermissionDenied(import_type.denied_message)
    return import_type


@require_http_methods(["GET", "POST"])
def upload(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    import_type = _import_type_for(request, kind)
    if request.method == "GET" and request.GET.get("template"):
        return downloads.file_download(
            build_template(import_type), f"{import_type.label}导入模板.xlsx", downloads.XLSX
        )
    form_class = upload_form_class(import_type)
    if request.method == "POST":
        form = form_class(request.POST, request.FILES)
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            try:
                job = services.job_create(
                    actor=request.user,
                    import_type=import_type,
                    upload=upload_file,
                    options=import_type.options_to_json(form.cleaned_data),
                )
            except ValidationError as error:
                form.add_error("file", error)
                services.record_upload_refused(
                    actor=request.user,
                    import_type=import_type,
                    file_name=(upload_file.name or "")[:200],
                    size=upload_file.size or 0,
                    reason="；".join(error.messages),
                )
            else:
                return redirect("imports:job", pk=job.pk)
        elif isinstance(refused := request.FILES.get("file"), UploadedFile):
            services.record_upload_refused(
                actor=request.user,
                import_type=import_type,
                file_name=(refused.name or "")[:200],
                size=refused.size or 0,
                reason="；".join(str(e) for errors in form.errors.values() for e in errors),
            )
    else:
        initial = {
            key: value for key, value in request.GET.items() if key in form_class.base_fields
        }
        form = form_class(initial=initial)
    return render(
        request,
        "imports/upload.html",
        {
            "import_type": import_type,
            "form": form,
            "jobs": services.jobs_for(request.user).filter(import_type=import_type.key)[:10],
            "max_rows": import_type.max_rows(),
            "max_size": human_size(import_type.max_bytes()),
        },
    )


def _job_for(request: AuthenticatedRequest, pk: int) -> ImportJob:
    job = services.jobs_for(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404("未找到该导入记录，或您无权查看。")
    return job


def _job_context(job: ImportJob) -> dict[str, Any]:
    import_type = get_import_type(job.import_type)
    stale = (
        job.status in {JobStatus.PENDING, JobStatus.CONFIRMED}
        and (clock.now() - job.created_at).total_seconds() > STALE_PENDING_SECONDS
    )
    context: dict[str, Any] = {"job": job, "import_type": import_type, "stale": stale}
    if import_type is not None:
        context["options"] = import_type.describe_options(job.options)
        context["result_link"] = import_type.result_link(job.options)
        if job.status == JobStatus.PREVIEW and job.layout:
            layout = Layout.from_json(job.layout)
            context["columns"] = layout.columns
            context["header_row"] = layout.header_row
            context["sheet"] = layout.sheet
            context["choices"] = mapping_choices(import_type)
    return context


@require_GET
def job(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _job_for(request, pk)
    context = _job_context(found)
    if getattr(request, "htmx", False):
        if found.running:
            return render(request, "imports/includes/progress.html", context)
        response = render(request, "imports/includes/result.html", context)
        if found.status == JobStatus.PREVIEW:
            # The preview holds forms: the whole page is loaded again to show it.
            response["HX-Refresh"] = "true"
        return response
    return render(request, "imports/job.html", context)


def job_mapping(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _job_for(request, pk)  # a job the user may not see is 404 whatever the method
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if found.status != JobStatus.PREVIEW or not found.layout:
        messages.error(request, "该导入任务当前不能调整列对应。")
        return redirect("imports:job", pk=found.pk)
    try:
        services.job_set_mapping(
            actor=request.user,
            job=found,
            mapping=mapping_from_post(request.POST, Layout.from_json(found.layout)),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("imports:job", pk=found.pk)


def job_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = _job_for(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        services.job_confirm(actor=request.user, job=found)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("imports:job", pk=found.pk)

"""The plan page: assumptions by year with their defaults, every year's key figures
recomputed as the user types, save and history (issue 14); its bank parts are in
`plan_page`."""

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from projects import fragments, plan_page, selectors, services
from projects.cma.forms import KEY_FIGURE_LABELS, KEY_FIGURES, RATIO_FIGURES
from projects.cma.projections import (
    ASSUMPTIONS,
    DISPLAY_UNITS,
    MAX_PROJECTED_YEARS,
    PROJECTED_FIGURES,
    UNIT_LABELS,
    PlanInvalid,
)
from projects.cma.projections import project as project_years
from projects.models import Project


def _plan_form_data(post: QueryDict) -> dict[str, Any]:
    """The plan page's fields as a plan (API.md's fields): a blank assumption is the
    default, and the whole table is sent, so a cleared field goes back to its default."""
    assumptions: dict[str, dict[str, str | None]] = {}
    for name, value in post.items():
        if name.startswith("a."):
            _, year, key = name.split(".", 2)
            assumptions.setdefault(year, {})[key] = value.strip() or None
    return {
        "projected_years": post.get("projected_years") or None,
        "display_unit": post.get("display_unit") or "lakhs",
        "msme": post.get("msme") == "on",
        "years": [{"year": year, "kind": "provisional"} for year in post.getlist("provisional")],
        "assumptions": assumptions,
        **plan_page.form_extras(post),  # Form I, check notes, stock statement
    }


def _error_id(path: str) -> str:
    return "err-" + path.replace(".", "--")


def _figures_view(projection: Any, unit: str) -> dict[str, Any]:
    """Every year's key figures in the plan's display unit (ratios as they are)."""
    divisor = DISPLAY_UNITS[unit]
    figures = projection.key_figures()
    names = [*KEY_FIGURES, *PROJECTED_FIGURES]

    def text(name: str, value: Decimal | None) -> str:
        if value is None:
            return "" if name in PROJECTED_FIGURES else "—"
        if name in RATIO_FIGURES:
            return f"{value:.2f}"
        return f"{value / divisor:,.2f}"

    return {
        "unit": UNIT_LABELS[unit],
        "columns": [
            {"year": year, "kind": fragments.KIND_LABELS[kind]}
            for year, kind in projection.kinds.items()
        ],
        "rows": [
            {
                "name": name,
                "label": KEY_FIGURE_LABELS.get(name, "Additional finance required"),
                "values": [text(name, figures[year].get(name)) for year in projection.years],
            }
            for name in names
        ],
    }


def _plan_page_context(
    project: Project, data: dict[str, Any] | None, errors: dict[str, str]
) -> dict[str, Any]:
    actual = selectors.actual_report(project=project)
    record = selectors.plan_record(project=project)
    try:
        spec = selectors.plan_spec(project=project, actual=actual, overrides=data)
    except PlanInvalid as exc:
        errors = {**exc.fields, **errors}
        spec = selectors.plan_spec(project=project, actual=actual)
    projection = project_years(actual, spec)
    projected = projection.projected
    typed = data.get("assumptions", {}) if data else {}
    rows = [
        {
            "key": assumption.key,
            "label": assumption.label,
            "kind": assumption.kind,
            "cells": [
                {
                    "year": year,
                    "name": f"a.{year}.{assumption.key}",
                    "value": (
                        typed.get(year, {}).get(assumption.key) or ""
                        if data
                        else spec.assumptions.get(year, {}).get(assumption.key, "")
                    ),
                    "default": projection.defaults[assumption.key],
                    "error_id": _error_id(f"assumptions.{year}.{assumption.key}"),
                    "error": errors.get(f"assumptions.{year}.{assumption.key}", ""),
                }
                for year in projected
            ],
        }
        for assumption in ASSUMPTIONS
    ]
    return {
        "project": project,
        "record": record,
        "version": record.version if record else 0,
        "spec": spec,
        "projection": projection,
        "actual_years": actual.years,
        "projected": projected,
        "rows": rows,
        "errors": errors,
        "general_errors": {
            path: message for path, message in errors.items() if not path.startswith("assumptions.")
        },
        "figures": _figures_view(projection, spec.display_unit),
        "loans": [
            {"loan": loan, "years": projection.loan_years[loan.name]} for loan in projection.loans
        ],
        "history": selectors.plan_history(project=project)[:20],
        "year_choices": range(1, MAX_PROJECTED_YEARS + 1),
        "units": UNIT_LABELS,
        "is_processing": project.is_processing,
        "limit_rows": plan_page.limit_rows(projection, errors),
        "limits_edited": spec.limits is not None,
        **plan_page.bank_context(projection, spec),
    }


@login_required
@require_http_methods(["GET", "POST"])
def project_plan(request: HttpRequest, project_id: int) -> HttpResponse:
    """The plan: assumptions by year with their defaults, every year's key figures
    recomputed as the user types (``project_plan_preview``), save and history."""
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    if request.method == "GET":
        return render(request, "projects/project_plan.html", _plan_page_context(project, None, {}))
    data = _plan_form_data(request.POST)
    version = request.POST.get("version", "")
    status = 200
    try:
        services.plan_save(
            project=project,
            user=request.user,
            data=data,
            if_match=int(version) if version.isdigit() else None,
        )
    except PlanInvalid as exc:
        messages.error(request, "Nothing was saved: correct the fields marked below.")
        context = _plan_page_context(project, data, exc.fields)
        status = 400
    except services.StalePlan as exc:
        messages.error(request, f"Not saved: {exc}")
        context = _plan_page_context(project, data, {})
        status = 409
    except services.ProjectBusy as exc:
        messages.error(request, f"Not saved: {exc} Save again when the run has finished.")
        context = _plan_page_context(project, data, {})
        status = 409
    else:
        messages.success(
            request,
            "Plan saved. The report shows it once updated: press “Update the report” on "
            "the project page.",
        )
        return redirect("project-plan", project_id=project.pk)
    return render(request, "projects/project_plan.html", context, status=status)


@login_required
@require_POST
def project_plan_preview(request: HttpRequest, project_id: int) -> HttpResponse:
    """The plan page's key figures for the plan as typed (nothing saved), and each
    field's error beside it (out of band)."""
    project = selectors.project_get_for_user(user=request.user, project_id=project_id)
    context = _plan_page_context(project, _plan_form_data(request.POST), {})
    return render(request, "projects/partials/plan_preview.html", context)

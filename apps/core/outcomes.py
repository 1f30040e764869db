"""How a view tells the user what became of a step it ran (a POST that moves an object on): the
step's refusal as an error message, its success as a success message, and then the view redirects.

    with reported(request, "已保存。"):
        services.item_check(actor=request.user, item=item)
    return redirect(...)

A message that names what the step made is set inside the block (`outcome.success = ...`).
A form page that re-renders with the errors on its fields uses `apply_validation_error` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

NOT_ALLOWED = "您无权执行此操作。"


def refusal_text(error: ValidationError | PermissionDenied) -> str:
    """A refusal in one line: a ValidationError's messages joined, else the PermissionDenied's
    reason (or a plain "not allowed")."""
    text = "；".join(error.messages) if isinstance(error, ValidationError) else str(error)
    return text or NOT_ALLOWED


def flash_refusal(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    messages.error(request, refusal_text(error))


@dataclass
class Outcome:
    success: str


@contextmanager
def reported(
    request: HttpRequest,
    success: str = "",
    *,
    refusals: tuple[type[ValidationError | PermissionDenied], ...] = (ValidationError,),
) -> Iterator[Outcome]:
    """Run the block as one step: a refusal (by default a ValidationError; pass
    `refusals=(ValidationError, PermissionDenied)` to report a PermissionDenied too instead of a
    403) becomes an error message and is swallowed; otherwise the success message is shown."""
    outcome = Outcome(success)
    try:
        yield outcome
    except refusals as error:
        flash_refusal(request, error)
    else:
        if outcome.success:
            messages.success(request, outcome.success)

from django import forms
from django.core.exceptions import ValidationError


def apply_validation_error(
    form: forms.BaseForm, error: ValidationError, default_field: str | None = None
) -> None:
    """Put a service's ValidationError onto the form, on the named fields where it has them."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for e in errors:
                form.add_error(target, e)
    else:
        target = default_field if default_field in form.fields else None
        for message in error.messages:
            form.add_error(target, message)

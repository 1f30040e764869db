"""Password validators for the 等保 level 3 policy (length is Django's own MinimumLengthValidator)."""

from __future__ import annotations

import string
from functools import cached_property

from django.contrib.auth.hashers import check_password
from django.contrib.auth.password_validation import CommonPasswordValidator
from django.core.exceptions import ValidationError


class CharacterClassValidator:
    """At least `min_classes` of: upper case, lower case, digits, symbols."""

    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(c in string.punctuation or c == " " for c in password),
        ]
        if sum(classes) < self.min_classes:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、特殊符号中的%(n)d类。",
                code="password_too_simple",
                params={"n": self.min_classes},
            )

    def get_help_text(self) -> str:
        return f"密码须至少包含大写字母、小写字母、数字、特殊符号中的{self.min_classes}类。"


class PasswordHistoryValidator:
    """The new password may not be the current one or any of the previous `history - 1`."""

    def __init__(self, history: int = 5) -> None:
        self.history = history

    def validate(self, password: str, user=None) -> None:
        if user is None or not getattr(user, "pk", None):
            return
        from .models import PasswordHistory

        previous = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.history
            ]
        )
        if user.password:
            previous.append(user.password)
        if any(encoded and check_password(password, encoded) for encoded in previous):
            raise ValidationError(
                "新密码不能与最近%(n)d次使用过的密码相同。",
                code="password_reused",
                params={"n": self.history},
            )

    def password_changed(self, password: str, user=None) -> None:
        """Remembered by the service that changes the password (accounts.services), not here."""

    def get_help_text(self) -> str:
        return f"不能使用最近{self.history}次用过的密码。"


class CommonPasswordVariantValidator:
    """Refuses a common password dressed up: other case, digits or symbols before or after it,
    and the usual letter-for-symbol swaps (“Password123!”, “P@ssw0rd2026”, “2026@Admin”).

    Django's CommonPasswordValidator only looks the whole password up in its list of 20,000
    common passwords; the length and character-class rules then push people to exactly these
    variants. The core of the password — lower case, without the digits and symbols at either
    end, with look-alike symbols read as letters — is looked up in the same list.
    """

    LOOK_ALIKES = str.maketrans(
        {"@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"}
    )
    EDGES = string.digits + string.punctuation + " "

    @cached_property
    def common(self) -> frozenset[str]:
        return frozenset(CommonPasswordValidator().passwords)

    def cores(self, password: str) -> set[str]:
        core = password.lower().strip(self.EDGES)
        return {core, core.translate(self.LOOK_ALIKES)} - {""}

    def validate(self, password: str, user=None) -> None:
        if self.cores(password) & self.common:
            raise ValidationError(
                "密码过于常见：它只是在常见密码前后加了数字或符号、改了大小写或用符号替换了字母，"
                "很容易被猜中。请换一个不常见的密码。",
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return "不能是常见密码，也不能只在常见密码前后加数字、符号或改变大小写。"

from django import forms
from django.contrib.auth.password_validation import password_validators_help_texts
from django.db.models import Q

from apps.organization.models import Person

from .choices import ADMIN_ROLE_CHOICES, ADMIN_ROLES, BUSINESS_ROLE_CHOICES, AdminChangeKind
from .models import User


class LoginForm(forms.Form):
    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordChangeForm(forms.Form):
    old_password = forms.CharField(
        label="当前密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="；".join(password_validators_help_texts()),
    )
    new_password2 = forms.CharField(
        label="确认新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_old_password(self):
        value = self.cleaned_data["old_password"]
        if not self.user.check_password(value):
            raise forms.ValidationError("当前密码不正确。")
        return value

    def clean(self):
        data = super().clean() or {}
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class AccountCreateForm(forms.Form):
    username = forms.RegexField(
        label="用户名",
        max_length=150,
        regex=r"^[A-Za-z0-9_.-]+$",
        error_messages={"invalid": "用户名只能包含字母、数字、下划线、点和短横线。"},
    )
    full_name = forms.CharField(label="显示名称", max_length=150, required=False)
    person = forms.ModelChoiceField(
        label="对应人员",
        queryset=Person.objects.filter(is_active=True, account__isnull=True),
        required=False,
    )
    initial_password = forms.CharField(
        label="初始密码", strip=False, widget=forms.PasswordInput, help_text="首次登录时须修改。"
    )


class RoleAssignForm(forms.Form):
    # Business roles only: a 三员 role takes two administrators (AdminChangeRequestForm).
    role = forms.ChoiceField(label="角色", choices=BUSINESS_ROLE_CHOICES)


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.username}（{obj.role_label}）"


class AdminChangeRequestForm(forms.Form):
    target = AccountChoiceField(label="账号", queryset=User.objects.none())
    kind = forms.ChoiceField(label="变更内容", choices=AdminChangeKind.choices)
    role = forms.ChoiceField(
        label="新角色",
        choices=[("", "—（仅变更角色时选择）"), *ADMIN_ROLE_CHOICES],
        required=False,
    )
    reason = forms.CharField(label="理由", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, actor, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The other administrators' accounts, and accounts without a role and without a person
        # (a new dedicated account that is to receive a 三员 role).
        target = self.fields["target"]
        assert isinstance(target, forms.ModelChoiceField)
        target.queryset = (
            User.objects.filter(Q(role__in=sorted(ADMIN_ROLES)) | Q(role="", person__isnull=True))
            .exclude(pk=actor.pk)
            .order_by("role", "username")
        )

    def clean(self):
        data = super().clean() or {}
        if data.get("kind") == AdminChangeKind.ROLE and not data.get("role"):
            self.add_error("role", "变更角色时请选择新角色。")
        return data

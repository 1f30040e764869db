from django.contrib.auth.backends import ModelBackend

from .permissions import capabilities_of


class RoleBackend(ModelBackend):
    """Password authentication, with permissions derived from the account's single role.

    Django's per-user and per-group permission tables are not used: a role is the whole grant, so
    what an account may do is always readable from `permissions.ROLE_CAPABILITIES`.
    """

    def get_all_permissions(self, user_obj, obj=None):  # type: ignore[override]
        return {str(c) for c in capabilities_of(user_obj)}

    def has_perm(self, user_obj, perm, obj=None):  # type: ignore[override]
        return perm in self.get_all_permissions(user_obj, obj)

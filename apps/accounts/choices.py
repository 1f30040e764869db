from django.db import models


class Role(models.TextChoices):
    """One role per account. The three administrators (三员) are separate roles, so nobody holds two."""

    LEADER = "leader", "常委会领导"
    UNIT_HEAD = "unit_head", "单位负责人"
    OFFICE_STAFF = "office_staff", "办公室工作人员"
    STAFF = "staff", "机关干部"
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDIT_ADMIN = "audit_admin", "审计管理员"
    # People outside the organ who sign in to a narrow part of the platform only (OUTSIDER_ROLES).
    EXTERNAL = "external", "外部单位联络员"
    DEPUTY = "deputy", "人大代表"


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
# Outsiders open only the views marked `@outsider_view` (OutsiderGateMiddleware): every other page,
# present or future, is closed to them without the page having to say so.
OUTSIDER_ROLES = frozenset({Role.EXTERNAL, Role.DEPUTY})

BUSINESS_ROLE_CHOICES = [
    (r.value, r.label) for r in Role if r not in ADMIN_ROLES and r not in OUTSIDER_ROLES
]
ADMIN_ROLE_CHOICES = [(r.value, r.label) for r in Role if r in ADMIN_ROLES]

# The state of an account opened by the system administrator and not yet granted a role.
PENDING_LABEL = "待授权"


class AdminChangeKind(models.TextChoices):
    ROLE = "role", "变更角色"
    DISABLE = "disable", "停用账号"
    ENABLE = "enable", "启用账号"


class AdminChangeStatus(models.TextChoices):
    PENDING = "pending", "待确认"
    CONFIRMED = "confirmed", "已确认并执行"
    REJECTED = "rejected", "已驳回"
    CANCELLED = "cancelled", "已撤回"
    EXPIRED = "expired", "已过期"

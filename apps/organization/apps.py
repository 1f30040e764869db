from django.apps import AppConfig


class OrganizationConfig(AppConfig):
    name = "apps.organization"
    label = "organization"
    verbose_name = "机构人员"

    def ready(self) -> None:
        from apps.audit.registry import track
        from apps.core.navigation import NavItem, ServiceGroup, register_nav
        from apps.imports.registry import register_import_type

        from . import scopes  # noqa: F401  (registers the data scopes)
        from .directory import register_search
        from .importing import ROSTER_IMPORT
        from .models import (
            LeadershipPost,
            PartyGroupMembership,
            Person,
            TaskGroup,
            TaskGroupMember,
            Unit,
            UnitAlias,
            UnitMembership,
        )

        register_import_type(ROSTER_IMPORT)
        register_search()
        for model in (
            Unit,
            UnitAlias,
            Person,
            UnitMembership,
            LeadershipPost,
            PartyGroupMembership,
            TaskGroup,
            TaskGroupMember,
        ):
            track(model)
        register_nav(
            NavItem(
                "通讯录",
                "organization:directory",
                ServiceGroup.ORGAN,
                gate="cap:organization.view",
                icon="address-book",
                order=89,
            )
        )
        register_nav(
            NavItem(
                "机构与人员",
                "organization:unit_list",
                ServiceGroup.ORGAN,
                gate="cap:organization.view",
                icon="building",
                order=90,
            )
        )
        register_nav(
            NavItem(
                "专项工作小组",
                "organization:taskgroup_list",
                ServiceGroup.ORGAN,
                gate="cap:organization.view",
                icon="users-group",
                order=91,
            )
        )

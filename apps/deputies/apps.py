from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "apps.deputies"
    label = "deputies"
    verbose_name = "服务代表"

    def ready(self) -> None:
        from apps.ledger.choices import ItemKind
        from apps.ledger.policies import ItemPolicy, register_item_policy

        from . import clocks, scopes

        register_item_policy(
            ItemPolicy(
                ItemKind.SUGGESTION,
                extension_problem=clocks.extension_problem,
                decides_extension=scopes.decides_extension,
            )
        )

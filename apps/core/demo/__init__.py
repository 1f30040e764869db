"""Demo data: a fictitious municipal People's Congress Standing Committee organ.

`generate_organ()` is the one entry point (used by `manage.py seed_demo` and by the benchmark).
"""

from .organ import DEMO_PASSWORD, DemoAccount, OrganSummary, generate_organ, plan_organ

__all__ = ["DEMO_PASSWORD", "DemoAccount", "OrganSummary", "generate_organ", "plan_organ"]

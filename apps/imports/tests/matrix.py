"""What every role gets from each URL of the import framework (see apps/core/testing/url_matrix.py).

The job rows use the ledger's job (`import_job`, uploaded by sun into 法工委's list, in preview)."""

from __future__ import annotations

from apps.core.testing.url_matrix import EVERYONE, OFFICE, Case, fixed

MATRIX = {
    "imports:upload": Case(fixed("/imports/ledger/"), ok=OFFICE, post={"checklist": ""}),
    "imports:job": Case(
        lambda w: f"/imports/jobs/{w.import_job.pk}/", ok=OFFICE, not_found=EVERYONE - OFFICE
    ),
    "imports:job_mapping": Case(
        lambda w: f"/imports/jobs/{w.import_job.pk}/mapping/",
        ok=OFFICE,
        not_found=EVERYONE - OFFICE,
        post_only=True,
        post={"col_A": ""},
    ),
    "imports:job_confirm": Case(
        lambda w: f"/imports/jobs/{w.import_job.pk}/confirm/",
        ok=OFFICE,
        not_found=EVERYONE - OFFICE,
        post_only=True,
        post={},
    ),
}

"""Background tasks of the audit trail (thin: the work is in checkpoints.py)."""

from django.tasks import task

from .checkpoints import write_checkpoint


@task
def write_audit_checkpoint() -> dict[str, int | str]:
    """Daily: chain every pending row, then anchor the chain head outside the database."""
    checkpoint = write_checkpoint()
    return {"seq": checkpoint.seq, "hash": checkpoint.entry_hash}

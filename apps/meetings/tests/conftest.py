import pytest

from .factories import make_members


@pytest.fixture
def members(db):
    """Eleven members of the Standing Committee: a quorum is six."""
    return make_members(11)

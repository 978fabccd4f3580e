"""grant_role: give and take away roles, with clear errors for every mistake."""

from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

import pytest

from forces.permissions import role_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice(db):
    return get_user_model().objects.create_user("alice", password="x" * 12)


def grant(*args):
    out = StringIO()
    call_command("grant_role", *args, stdout=out)
    return out.getvalue()


def test_grant_a_force_role(forces, alice):
    assert "alice now has the role force-editor at Thames Valley Police" in grant(
        "alice", "force-editor", "--force", "thames-valley"
    )
    assert alice.groups.filter(pk=role_group("force-editor", forces["thames-valley"]).pk).exists()
    # Granting twice is harmless.
    grant("alice", "force-editor", "--force", "thames-valley")
    assert alice.groups.count() == 1


def test_grant_and_revoke_a_national_role(hub, alice):
    grant("alice", "national-approver-mps")
    assert alice.groups.filter(pk=role_group("national-approver-mps").pk).exists()
    grant("alice", "national-approver-mps", "--revoke")
    assert not alice.groups.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["alice", "editor"], "There is no role called 'editor'"),
        (["alice", "force-editor"], "say which force with --force SLUG"),
        (["alice", "force-editor", "--force", "atlantis"], "There is no force 'atlantis'"),
        (["alice", "national-editor", "--force", "met"], "it takes no --force"),
        (["bob", "national-editor"], "There is no user called 'bob'"),
    ],
)
def test_mistakes_get_clear_errors(forces, alice, args, message):
    with pytest.raises(CommandError, match=message):
        grant(*args)
    assert not alice.groups.exists()

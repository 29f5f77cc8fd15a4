import pytest
from django.core.exceptions import PermissionDenied
from django.template import Context, Template

from accounts.capabilities import CAPABILITIES, TemplateCapabilities, may, require
from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "capability", "held"),
    [
        (Role.MARKETER, "agreement.publish", True),
        (Role.SDR, "agreement.publish", False),
        (Role.SDR, "queue.work", True),
        (Role.ACCOUNT_EXECUTIVE, "queue.work", False),
        (Role.MANAGER, "reports.sla", True),
        (Role.MARKETER, "reports.sla", False),
    ],
)
def test_a_role_holds_the_capabilities_of_the_table(make_user, role, capability, held):
    assert may(make_user(role), capability) is held


def test_a_user_without_a_role_may_nothing(make_user):
    nobody = make_user()

    assert not any(may(nobody, capability) for capability in CAPABILITIES)
    with pytest.raises(PermissionDenied):
        require(nobody, "leads.view")


def test_an_unknown_capability_is_an_error_not_a_no(make_user):
    with pytest.raises(LookupError):
        may(make_user(Role.ADMIN), "agreement.pubilsh")


def test_templates_read_capabilities_with_underscores(make_user):
    template = Template(
        "{% if may.queue_work %}queue{% endif %}|{% if may.reports_sla %}sla{% endif %}"
    )

    rendered = template.render(Context({"may": TemplateCapabilities(make_user(Role.SDR))}))

    assert rendered == "queue|"

"""Imports and web forms take a country as a code or a name in any of the five languages, store
the code, and refuse a row whose country names nothing, saying which field."""

import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_q.conf import Conf

from accounts.roles import Role
from intake import capture
from intake.imports import services
from leads.models import ActivityKind, Lead
from tests.factories import ChannelFactory, UserFactory

pytestmark = pytest.mark.django_db

SITE = "https://www.northwind.io"
FILE = (
    "Email,First name,Last name,Country\n"
    "somchai@siamtech.co.th,สมชาย,ใจดี,ประเทศไทย\n"
    "wang.wei@huaxin-tech.cn,伟,王,中国\n"
    "ivan@seversoft.ru,Иван,Сидоров,Россия\n"
    "ahmed@gulftech.sa,أحمد,العتيبي,السعودية\n"
    "olivia@northwind.io,Olivia,Johnson,Thailand\n"
    "nobody@atlantis.io,No,Body,Atlantis\n"
)


@pytest.fixture(autouse=True)
def setup(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(Conf, "SYNC", True)
    for backend in caches.all(initialized_only=False):
        backend.clear()


def test_an_import_stores_country_names_of_the_five_languages_as_codes(
    django_capture_on_commit_callbacks,
):
    ChannelFactory(slug="webinar")
    user = UserFactory(roles=[Role.MARKETER])
    job = services.create_import(upload=SimpleUploadedFile("leads.csv", FILE.encode()), user=user)
    job = services.dry_run(job=job, mapping=job.mapping, channel=None, save_as="")

    assert (job.dry_run_new, job.dry_run_rejected) == (5, 1)
    reason = dict(job.rejections.values_list("row_number", "reason"))[7]
    assert "Atlantis" in reason

    with django_capture_on_commit_callbacks(execute=True):
        services.start_import(job=job)

    assert dict(Lead.objects.values_list("email", "country")) == {
        "somchai@siamtech.co.th": "TH",
        "wang.wei@huaxin-tech.cn": "CN",
        "ivan@seversoft.ru": "RU",
        "ahmed@gulftech.sa": "SA",
        "olivia@northwind.io": "TH",
    }
    assert str(Lead.objects.get(email="wang.wei@huaxin-tech.cn")) == "王伟"


@pytest.fixture
def form_key():
    return capture.new_form_key(
        name="Pricing guide",
        channel=ChannelFactory(slug="ebook"),
        allowed_origins=[SITE],
        activity_kind=ActivityKind.CONTENT_DOWNLOAD,
    )


def test_a_web_form_takes_a_country_name_and_refuses_an_unknown_one(client, form_key):
    url = reverse("intake:capture", args=[form_key.key])

    taken = client.post(url, {"email": "somchai@siamtech.co.th", "country": "ไทย"})
    refused = client.post(url, {"email": "nobody@atlantis.io", "country": "Atlantis"})

    assert taken.status_code == 200
    assert Lead.objects.get().country.code == "TH"
    assert refused.status_code == 400
    assert "Atlantis" in refused.content.decode()

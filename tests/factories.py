import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from leads.models import Activity, ActivityKind, Channel, ChannelKind, Lead


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def roles(self, create, roles, **kwargs):
        if create and roles:
            self.groups.add(*Group.objects.filter(name__in=roles))


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Channel {n}")
    slug = factory.Sequence(lambda n: f"channel-{n}")
    kind = ChannelKind.INBOUND_FORM


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    email = factory.Sequence(lambda n: f"lead{n}@northwind.io")
    first_name = "Olivia"
    last_name = "Johnson"
    title = "Head of Operations"
    organization = "Northwind Analytics"
    channel = factory.SubFactory(ChannelFactory)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    lead = factory.SubFactory(LeadFactory)
    kind = ActivityKind.PAGE_VIEW
    occurred_at = factory.LazyFunction(timezone.now)
    properties = factory.LazyFunction(dict)

import factory

from webhooks.models import Subscription


class SubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscription

    name = factory.Sequence(lambda n: f"CRM {n}")
    url = "http://127.0.0.1:9/hooks"
    events = factory.LazyFunction(lambda: ["lead.mql"])

"""Calls from a lower app into a higher one, without the lower app importing it.

The lower app declares a `Hook` and calls it; the higher app registers the one function that
answers it, in its `AppConfig.ready()`. A hook nobody answers fails loudly instead of skipping
work silently (a breach that should have freed a lead, a lead edit that should have rescored it).
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class Hook:
    def __init__(self, name: str):
        self.name = name
        self.receiver: Callable[..., Any] | None = None

    def register(self, receiver: Callable[..., Any]) -> Callable[..., Any]:
        self.receiver = receiver
        return receiver

    def __call__(self, **kwargs) -> Any:
        if self.receiver is None:
            raise ImproperlyConfigured(f"No installed app answers the hook {self.name!r}.")
        return self.receiver(**kwargs)

    def __repr__(self) -> str:
        return f"<Hook {self.name}>"

import logging

import pytest
from django.db import transaction

from core.jobs import prompt, prompt_after_commit

pytestmark = pytest.mark.django_db


def broker_down(*args):
    raise ConnectionError("Redis is down")


def test_a_broker_that_refuses_a_prompt_after_commit_does_not_fail_the_request(
    monkeypatch, caplog, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("core.jobs.async_task", broker_down)

    with caplog.at_level(logging.WARNING), django_capture_on_commit_callbacks(execute=True):
        prompt_after_commit("webhooks.tasks.send_due_deliveries")

    assert "its sweep will do the work" in caplog.text
    assert prompt("webhooks.tasks.send_due_deliveries") is False


def test_the_same_prompt_is_queued_once_per_transaction(
    monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr("core.jobs.async_task", lambda *args: queued.append(args))

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        for _ in range(3):
            prompt_after_commit("webhooks.tasks.send_due_deliveries")
        prompt_after_commit("handoff.tasks.assign_waiting_handoffs", 7)
        prompt_after_commit("handoff.tasks.assign_waiting_handoffs", 8)

    assert queued == [
        ("webhooks.tasks.send_due_deliveries",),
        ("handoff.tasks.assign_waiting_handoffs", 7),
        ("handoff.tasks.assign_waiting_handoffs", 8),
    ]

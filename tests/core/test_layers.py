"""The declared layers cover every app, and the README describes the same order."""

import re
import tomllib
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.hooks import Hook
from handoff import hooks as handoff_hooks
from leads import hooks as leads_hooks
from sla import hooks as sla_hooks

ROOT = Path(settings.BASE_DIR)


def declared_layers() -> list[str]:
    """The contract's layers, lowest first."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (contract,) = config["contracts"]
    assert contract["type"] == "layers"
    assert sorted(config["root_packages"]) == sorted(contract["layers"])
    return list(reversed(contract["layers"]))


def test_every_app_of_the_project_has_a_layer():
    ours = {config.name for config in apps.get_app_configs() if Path(config.path).parent == ROOT}

    assert ours == set(declared_layers())


def test_the_readme_lists_the_apps_in_the_order_of_the_layers():
    layout = (ROOT / "README.md").read_text().split("## Layout", 1)[1]
    listed = re.findall(r"^(\w+)/ ", layout, flags=re.MULTILINE)
    apps_listed = [name for name in listed if name in set(declared_layers())]

    assert apps_listed == declared_layers()
    assert all((ROOT / name).is_dir() for name in listed)


def test_every_hook_a_lower_app_declares_is_answered():
    for hook in (
        leads_hooks.leads_changed,
        leads_hooks.set_status,
        sla_hooks.return_to_pool,
        handoff_hooks.word_reasons,
    ):
        assert hook.receiver is not None, hook


def test_a_hook_nobody_answers_fails_loudly():
    with pytest.raises(ImproperlyConfigured, match=r"nobody\.listens"):
        Hook("nobody.listens")(lead_ids=[1])

"""The structure the code relies on: one admin per model in the app that owns it, no admin
re-registered across apps, no class built at run time."""

import ast
from pathlib import Path

from django.contrib import admin

from seminars.content import content_models
from seminars.models import Seminar

ROOT = Path(__file__).resolve().parent.parent
PROJECT_DIRS = ["config", "seminars", "participants", "safety", "scripts"]


def project_sources():
    for folder in PROJECT_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_seminar_admin_is_declared_in_seminars_admin():
    assert type(admin.site.get_model_admin(Seminar)).__module__ == "seminars.admin"


def test_every_content_model_admin_lives_in_its_own_app():
    registered = [model for model in content_models() if admin.site.is_registered(model)]
    assert len(registered) >= 6  # organizers and photos are edited as inlines only
    for model in registered:
        model_admin = admin.site.get_model_admin(model)
        # seminars.admin_site (the site settings) is imported by seminars.admin.
        assert type(model_admin).__module__.startswith(f"{model._meta.app_label}.admin"), model


# Django's documented way to replace one of its own admins: importing django.contrib.auth.admin
# (to subclass GroupAdmin) registers it, so the roles' admin takes its place with one unregister.
ALLOWED_UNREGISTER = {"seminars/admin_groups.py"}


def test_no_unregister_and_no_three_argument_type():
    offenders = []
    for path in project_sources():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            allowed = str(path.relative_to(ROOT)) in ALLOWED_UNREGISTER
            if isinstance(func, ast.Attribute) and func.attr == "unregister" and not allowed:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} unregister")
            if isinstance(func, ast.Name) and func.id == "type" and len(node.args) == 3:
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno} type(name, bases, dict)")
    assert offenders == []

"""The structure the code relies on: one admin per model in the app that owns it, no admin
re-registered across apps, no class built at run time."""

import ast
from pathlib import Path

from django.contrib import admin

from seminars.models import Seminar
from seminars.record.content import content_models

ROOT = Path(__file__).resolve().parent.parent
PROJECT_DIRS = ["config", "seminars", "participants", "safety", "scripts"]


def project_sources():
    for folder in PROJECT_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_seminar_admin_is_declared_in_seminars_admin():
    assert type(admin.site.get_model_admin(Seminar)).__module__ == "seminars.admin.editions"


def test_every_content_model_admin_lives_in_its_own_app():
    registered = [model for model in content_models() if admin.site.is_registered(model)]
    assert len(registered) >= 6  # organizers and photos are edited as inlines only
    for model in registered:
        model_admin = admin.site.get_model_admin(model)
        # seminars.admin.site_settings (the site settings) is imported by seminars.admin.editions.
        assert type(model_admin).__module__.startswith(f"{model._meta.app_label}.admin"), model


# Django's documented way to replace one of its own admins: importing django.contrib.auth.admin
# (to subclass GroupAdmin) registers it, so the roles' admin takes its place with one unregister.
ALLOWED_UNREGISTER = {"seminars/admin/groups.py"}


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


# --- one permission decision: the admin asks seminars.record.permissions, never the roles ---

ROLE_HELPERS = {"is_translator_only", "translated_field_names", "untranslated_field_names"}
RAW_PERMISSION_CALLS = {"has_perm", "has_perms"}
ALLOWED_FROM_ROLES = {"ROLE_LABELS"}


def admin_modules():
    """seminars/admin*.py, participants/admin.py and every module of an `admin` package."""
    paths = {*ROOT.glob("seminars/admin*.py"), ROOT / "participants" / "admin.py"}
    for folder in PROJECT_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            if "admin" in path.relative_to(ROOT).parts[:-1]:
                paths.add(path)
    return sorted(path for path in paths if path.is_file())


def _imported_module(path, node):
    """The dotted module a `from ... import` names, relative imports resolved."""
    if not node.level:
        return node.module or ""
    package = list(path.relative_to(ROOT).with_suffix("").parts[:-1])
    if path.name == "__init__.py":
        package = list(path.relative_to(ROOT).parts[:-1])
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def role_decisions(path):
    """Where a module decides a role itself: file:line and what it calls or imports."""
    where = path.relative_to(ROOT)
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            if isinstance(func, ast.Attribute) and name in RAW_PERMISSION_CALLS:
                found.append(f"{where}:{node.lineno} calls .{name}()")
            elif name in ROLE_HELPERS:
                found.append(f"{where}:{node.lineno} calls {name}()")
        elif isinstance(node, ast.ImportFrom):
            module = _imported_module(path, node)
            if module == "seminars.record.roles":
                names = {alias.name for alias in node.names} - ALLOWED_FROM_ROLES
                if names:
                    found.append(f"{where}:{node.lineno} imports {sorted(names)} from roles")
            elif module == "seminars.record" and any(alias.name == "roles" for alias in node.names):
                found.append(f"{where}:{node.lineno} imports seminars.record.roles")
        elif isinstance(node, ast.Import):
            if any(alias.name == "seminars.record.roles" for alias in node.names):
                found.append(f"{where}:{node.lineno} imports seminars.record.roles")
    return sorted(found, key=lambda line: int(line.split(":")[1].split()[0]))


def test_admin_modules_ask_permissions_not_roles():
    modules = admin_modules()
    assert ROOT / "seminars" / "admin" / "mixins.py" in modules
    assert ROOT / "participants" / "admin.py" in modules
    offenders = [found for path in modules for found in role_decisions(path)]
    assert offenders == [], "ask seminars.record.permissions instead:\n" + "\n".join(offenders)


def test_role_decisions_finds_raw_permission_checks_and_role_imports(tmp_path, monkeypatch):
    """The check itself: a module that decides roles on its own is named, file and line."""
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    module = tmp_path / "seminars" / "admin" / "pages.py"
    module.parent.mkdir(parents=True)
    module.write_text(
        "from ..record.roles import ROLE_LABELS, TRANSLATORS\n"
        "from seminars.record import roles\n"
        "def f(request):\n"
        "    return request.user.has_perm('x') or is_translator_only(request.user)\n"
    )
    assert role_decisions(module) == [
        "seminars/admin/pages.py:1 imports ['TRANSLATORS'] from roles",
        "seminars/admin/pages.py:2 imports seminars.record.roles",
        "seminars/admin/pages.py:4 calls .has_perm()",
        "seminars/admin/pages.py:4 calls is_translator_only()",
    ]


def test_roles_module_only_defines_the_groups():
    from seminars.record import roles

    assert not ROLE_HELPERS & set(vars(roles)), "field and role helpers live in permissions/fields"

"""Management commands that speak the staff member's language."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext_lazy as _

LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)


def shell_language():
    """The language of the shell that runs the command, read as gettext reads it (LANGUAGE,
    LC_ALL, LC_MESSAGES, LANG): zh_CN.UTF-8 → zh-hans, ja_JP.UTF-8 → ja; otherwise (C, en_US…)
    the site's default language."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable, "").lower()
        if value:
            if value.startswith("zh"):
                return "zh-hans"
            if value.startswith("ja"):
                return "ja"
            break
    return settings.LANGUAGE_CODE


class StaffCommand(BaseCommand):
    """Help, messages and errors in Japanese or Simplified Chinese: `--language`, else the shell's
    language (`shell_language`). Subclasses add their arguments in `add_command_arguments`."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            choices=LANGUAGES,
            default=None,
            help=_("ja or zh-hans; by default the language of the shell (LANG), else Japanese."),
        )
        self.add_command_arguments(parser)

    def add_command_arguments(self, parser):
        pass

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # argparse wraps the description with re, which wants a str, not a lazy translation.
        parser.description = str(self.help) if self.help else None
        return parser

    def run_from_argv(self, argv):
        # --help and argument errors are printed before execute() knows the options.
        with translation.override(shell_language()):
            super().run_from_argv(argv)

    def execute(self, *args, **options):
        options["language"] = options.get("language") or shell_language()
        with translation.override(options["language"]):
            return super().execute(*args, **options)

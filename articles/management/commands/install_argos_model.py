from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.translating.machine import MachineTranslationError, argos


class Command(BaseCommand):
    help = (
        "Install an Argos Translate model from a local .argosmodel file, for offline "
        "machine translation (DJANGO_MACHINE_TRANSLATION=argos; needs argostranslate)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .argosmodel file.")

    def handle(self, *args, file, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            argos.install_model(file)
        except MachineTranslationError as error:
            raise CommandError(
                "argostranslate is not installed: pip install argostranslate first."
            ) from error
        except Exception as error:  # argostranslate's own errors for a bad file
            raise CommandError(f"{file} is not an Argos model: {error}") from error
        self.stdout.write(f"Installed {file.name}.")

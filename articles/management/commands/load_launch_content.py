from django.core.management.base import BaseCommand

from articles.launch.loader import EDITOR, load_launch_content
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Load the launch article (with the editor's sign-off), its topic and author and the "
        "tour page into a site that lacks them; never overwrites."
    )

    def handle(self, *args, verbosity, **options):
        result = load_launch_content()
        if not verbosity:
            return
        if result.article_created:
            image = Article.objects.order_by("pk").first().image
            self.stdout.write(f"Article: added in Turkish and Hebrew, figure {image.name}.")
        else:
            self.stdout.write(f"Articles: {Article.objects.count()} present, none added.")
        if result.signed_off:
            self.stdout.write(f"Launch article: the corrections of the editor ({EDITOR}) saved.")
        tour_page = "added in Turkish, Hebrew and English" if result.tour_page_created else "kept"
        self.stdout.write(f"Tour page: {tour_page}.")
        if result.concepts_created:
            self.stdout.write(f"Term base: {result.concepts_created} concepts added.")
        article = (
            "launch article loaded"
            if result.article_created
            else "articles already present, none added"
        )
        tour = "tour page loaded" if result.tour_page_created else "tour page already present, kept"
        self.stdout.write(self.style.SUCCESS(f"Launch content: {article}; {tour}."))

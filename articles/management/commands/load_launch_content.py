from django.core.management.base import BaseCommand

from articles.launch.loader import EDITOR, load_launch_content
from articles.models import Article


class Command(BaseCommand):
    help = (
        "Load the launch article (with the editor's revisions), its topic and author, the "
        "tour page and the brand into a site that lacks them; never overwrites."
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
        if result.revised:
            self.stdout.write(
                f"The editor's revisions ({EDITOR}) saved: {', '.join(result.revised)}."
            )
        tour_page = "added in Turkish, Hebrew and English" if result.tour_page_created else "kept"
        self.stdout.write(f"Tour page: {tour_page}.")
        self.stdout.write(f"Brand: {'added' if result.brand_created else 'kept'}.")
        if result.concepts_created:
            self.stdout.write(f"Term base: {result.concepts_created} concepts added.")
        article = (
            "launch article loaded"
            if result.article_created
            else "articles already present, none added"
        )
        tour = "tour page loaded" if result.tour_page_created else "tour page already present, kept"
        self.stdout.write(self.style.SUCCESS(f"Launch content: {article}; {tour}."))

from django.core.management.base import BaseCommand

from articles.models import Article
from articles.text.rendering import RENDERING_VERSION
from operations.page_cache import invalidate_pages


class Command(BaseCommand):
    help = (
        "Render again the stored bodies (and search text) of articles rendered by an "
        "older version of the code; nothing to do after the first run."
    )

    def handle(self, *args, verbosity, **options):
        stale = Article.objects.exclude(rendering_version=RENDERING_VERSION).order_by("pk")
        count = 0
        for article in stale.iterator(chunk_size=100):
            # Only what is made from the texts: an editor saving meanwhile loses nothing.
            article.save(update_fields=[])
            count += 1
        if count:
            invalidate_pages()
        if verbosity:
            self.stdout.write(f"Articles rendered again: {count}.")

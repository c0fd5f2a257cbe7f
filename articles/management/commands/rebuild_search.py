from django.core.management.base import BaseCommand

from articles import languages
from articles.languages import localized
from articles.models import Article, search_index


class Command(BaseCommand):
    help = (
        "Make every article's search text again from its texts, then the search index "
        "from that: after a change to how search reads words."
    )

    def handle(self, *args, verbosity, **options):
        columns = [
            localized(field, code)
            for field in Article.SEARCH_FIELDS.values()
            for code in languages.CODES
        ]
        changed = 0
        for article in Article.objects.order_by("pk").iterator(chunk_size=100):
            before = [getattr(article, column) for column in columns]
            article.refresh_derived()
            after = {column: getattr(article, column) for column in columns}
            if list(after.values()) != before:
                # Only the search text: an editor saving meanwhile loses nothing.
                Article.objects.filter(pk=article.pk).update(**after)
                changed += 1
        search_index.install()
        search_index.refill()
        if verbosity:
            self.stdout.write(f"Articles whose search text changed: {changed}. Index rebuilt.")

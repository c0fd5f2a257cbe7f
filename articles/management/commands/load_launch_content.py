from django.core.management.base import BaseCommand

from articles.launch import load_launch_content


class Command(BaseCommand):
    help = "Load the launch article and tour page into a site that lacks them; never overwrites."

    def handle(self, *args, **options):
        result = load_launch_content()
        article = (
            "launch article loaded"
            if result.article_created
            else "articles already present, none added"
        )
        tour = "tour page loaded" if result.tour_page_created else "tour page already present, kept"
        self.stdout.write(self.style.SUCCESS(f"Launch content: {article}; {tour}."))

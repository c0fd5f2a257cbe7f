from django.conf import settings
from django.db import migrations

from articles.rendering import search_document


def fill_search_text(apps, schema_editor):
    """Give the articles saved before search existed their search text."""
    Article = apps.get_model("articles", "Article")
    for article in Article.objects.all():
        for code, _name in settings.LANGUAGES:
            text = search_document(
                title=getattr(article, f"title_{code}") or "",
                lede=getattr(article, f"lede_{code}") or "",
                body=getattr(article, f"body_{code}") or "",
                language=code,
            )
            setattr(article, f"search_text_{code}", text)
        article.save(update_fields=[f"search_text_{code}" for code, _name in settings.LANGUAGES])


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_search_text"),
    ]

    operations = [
        migrations.RunPython(fill_search_text, migrations.RunPython.noop),
    ]

"""Editors for the throwaway site of sqlite_concurrency.py, made inside it.

`create(payload)` runs in the site's own process (manage.py shell -c): one
staff user and one published article per editor, and it prints, as JSON,
each article's change form as a browser posts it, without the version it
was opened at: each save is then checked against saves made while it runs.
"""

import datetime
import json

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles import languages
from articles.languages import localized
from articles.models import Article
from articles.writing import editing


def create(payload):
    editors = json.loads(payload)
    published_at = (timezone.now() - datetime.timedelta(days=1)).replace(microsecond=0)
    forms = []
    for editor in editors:
        get_user_model().objects.create_superuser(editor["username"], "", editor["password"])
        article = editing.save(
            Article(
                is_published_tr=True,
                is_published_he=True,
                published_at=published_at,
                title_tr=f"{editor['username']} yazısı",
                lede_tr="Türkçe giriş.",
                body_tr="Giriş.\n\n## Bölüm\n\nMetin.\n\n> Alıntı.",
                title_he=f"מאמר של {editor['username']}",
                lede_he="פתיח בעברית.",
                body_he="פתיחה.\n\n## פרק\n\nטקסט.\n\n> ציטוט.",
            )
        ).obj
        local = timezone.localtime(article.published_at)
        form = {
            "is_published_tr": "on",
            "is_published_he": "on",
            "published_at_0": local.strftime("%Y-%m-%d"),
            "published_at_1": local.strftime("%H:%M:%S"),
        }
        for name in (*Article.TRANSLATED_TEXTS, "slug"):
            for code in languages.CODES:
                form[localized(name, code)] = getattr(article, localized(name, code)) or ""
        forms.append({"pk": article.pk, "form": form})
    print(json.dumps(forms))

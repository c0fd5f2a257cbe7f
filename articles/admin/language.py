"""The language each person reads the admin in, remembered for the mails they get."""

from articles.models import AdminLanguage

SESSION_KEY = "cxcs_admin_language"


class AdminLanguageMiddleware:
    """Remembers the admin language of each signed-in member of staff: the language
    of the admin pages they open (`/he/admin/…`). Written when it changes, which
    the session tells without asking the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or match.namespace != "admin" or not user or not user.is_staff:
            return None
        language = getattr(request, "LANGUAGE_CODE", None)
        if language and request.session.get(SESSION_KEY) != language:
            AdminLanguage.remember(user, language)
            request.session[SESSION_KEY] = language
        return None

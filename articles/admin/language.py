"""The language each person reads the admin in, remembered for the mails they get."""

from articles.models import AdminLanguage

SESSION_KEY = "cxcs_admin_language"


class AdminLanguageMiddleware:
    """Remembers the admin language of each signed-in member of staff when they save
    something in the admin (`/he/admin/…`); logging in remembers it too
    (ArticlesConfig.ready). Only a POST, which writes anyway: reading a page
    must never wait for another editor's save to write. The session tells
    whether it changed without asking the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        match = request.resolver_match
        if request.method != "POST" or match is None or match.namespace != "admin":
            return None
        user = getattr(request, "user", None)
        language = getattr(request, "LANGUAGE_CODE", None)
        if user and user.is_staff and language and request.session.get(SESSION_KEY) != language:
            AdminLanguage.remember(user, language)
            request.session[SESSION_KEY] = language
        return None

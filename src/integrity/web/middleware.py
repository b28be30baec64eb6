"""Headers for the respondents' pages (everything under /s/: the questionnaire,
thanks, opt-out, phone request, wrong links and throttled ones alike)."""

from django.utils.cache import add_never_cache_headers

RESPONDENT_PREFIX = "/s/"


class RespondentPagesMiddleware:
    """Answers and links must not stay in a shared or back-button cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(RESPONDENT_PREFIX):
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response

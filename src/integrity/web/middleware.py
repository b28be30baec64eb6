"""Headers for every page (the content security policy) and for the respondents' pages
(everything under /s/: the questionnaire, thanks, opt-out, phone request, wrong links and
throttled ones alike)."""

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


# Scripts and styles come from the site's own static files; style attributes stay allowed
# (bars and legend swatches are sized and coloured inline, and a style cannot run code).
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                           "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


class ContentSecurityPolicyMiddleware:
    """Every response, static files and error pages included, unless it sets its own
    (attachments are stricter: ``default-src 'none'; sandbox``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

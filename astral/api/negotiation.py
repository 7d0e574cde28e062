"""Content negotiation for views whose answer does not follow the Accept header: those that answer
CSV as well as JSON (`format=csv`), and the Strava callback a browser navigates to."""

from rest_framework.negotiation import DefaultContentNegotiation


class JsonWhateverAccept(DefaultContentNegotiation):
    """The JSON renderer whatever `?format=` and Accept say: `format` is the view's own parameter
    (astral.params.format_param: json or csv, else a 400 naming it — DRF would answer an unknown
    one with a 404), the CSV is a streamed response of its own, and errors stay the JSON body even
    for a client that sent `Accept: text/csv`. Request bodies are negotiated as usual."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

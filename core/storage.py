"""Static files with DEBUG off: fingerprinted, compressed and served by WhiteNoise."""

from django.contrib.staticfiles.storage import ManifestStaticFilesStorage
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage, except that a script's `//# sourceMappingURL=` comment is left as
    it is: the vendored minified files (static/vendor, copied unmodified) name source maps that
    are not shipped, and Django's rewriting of that comment to the map's hashed name stops
    collectstatic on the missing file. CSS `url()` and `@import` are still rewritten."""

    patterns = tuple(
        (glob, substitutions)
        for glob, substitutions in ManifestStaticFilesStorage.patterns
        if glob != "*.js"
    )

"""Why the engine refuses a rule, as a code with parameters; scoring/describe.py words it."""


class RuleError(ValueError):
    """A rule or agreement the engine cannot score, e.g. code "cap_below_one".

    The engine knows no language: `describe.error_message()` turns the code and its parameters
    into a sentence in the reader's language; str() is for logs.
    """

    def __init__(self, code: str, **params: object):
        super().__init__(code, params)
        self.code = code
        self.params = params

    def __str__(self) -> str:
        shown = ", ".join(f"{name}={value!r}" for name, value in self.params.items())
        return f"{self.code} ({shown})" if shown else self.code

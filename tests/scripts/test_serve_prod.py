from scripts.serve_prod import production_env


def test_it_runs_with_debug_off_and_makes_a_secret_key_when_none_is_given():
    env = production_env({"DEBUG": "1", "DATABASE_URL": "postgres://x/accord"})

    assert env["DEBUG"] == "0"
    assert len(env["SECRET_KEY"]) >= 50
    assert env["DATABASE_URL"] == "postgres://x/accord"
    assert production_env({})["SECRET_KEY"] != env["SECRET_KEY"]


def test_only_what_needs_tls_is_off_and_the_callers_values_win():
    env = production_env({"SECRET_KEY": "given", "SECURE_HSTS_SECONDS": "60"})

    assert env["SECRET_KEY"] == "given"
    assert env["SECURE_SSL_REDIRECT"] == "0"
    assert env["SESSION_COOKIE_SECURE"] == "0"
    assert env["SECURE_HSTS_SECONDS"] == "60"
    assert "127.0.0.1" in env["ALLOWED_HOSTS"]

from webhooks.signing import sign, verify

BODY = '{"event":"lead.mql","lead":{"first_name":"สมชาย"}}'.encode()
NOW = 1_800_000_000


def test_a_receiver_verifies_a_signed_body():
    header = sign("whsec_abc", BODY, timestamp=NOW)

    assert header.startswith(f"t={NOW},v1=")
    assert verify("whsec_abc", BODY, header, now=NOW + 10)


def test_a_changed_body_fails_verification():
    header = sign("whsec_abc", BODY, timestamp=NOW)

    assert not verify("whsec_abc", BODY.replace(b"mql", b"sql"), header, now=NOW)


def test_another_secret_fails_verification():
    assert not verify("whsec_other", BODY, sign("whsec_abc", BODY, timestamp=NOW), now=NOW)


def test_an_old_signature_is_refused_as_a_replay():
    header = sign("whsec_abc", BODY, timestamp=NOW)

    assert not verify("whsec_abc", BODY, header, now=NOW + 301)


def test_a_garbled_header_is_refused():
    assert not verify("whsec_abc", BODY, "v1=deadbeef", now=NOW)
    assert not verify("whsec_abc", BODY, "t=soon,v1=deadbeef", now=NOW)

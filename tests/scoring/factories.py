from scoring.models import Agreement, AgreementStatus
from scoring.versions import create_draft, sign_off, submit_draft


def published_agreement() -> Agreement:
    return Agreement.objects.get(status=AgreementStatus.PUBLISHED)


def draft_copy(author) -> Agreement:
    """A draft copied from the published version, as a marketer starts one."""
    return create_draft(user=author, copy_of=published_agreement())


def signed_draft(author, marketing_signer, sales_signer) -> Agreement:
    draft = draft_copy(author)
    submit_draft(agreement=draft, user=author)
    sign_off(agreement=draft, user=marketing_signer, side="marketing")
    sign_off(agreement=draft, user=sales_signer, side="sales")
    return draft

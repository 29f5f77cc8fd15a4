from django import forms


class UnlockForm(forms.Form):
    """One row of the lockouts page: the username and the address it was locked out from."""

    username = forms.CharField(max_length=255)
    # Empty when the failed logins came without an address (axes stores none).
    ip_address = forms.GenericIPAddressField(required=False)

    def clean_ip_address(self):
        return self.cleaned_data["ip_address"] or None

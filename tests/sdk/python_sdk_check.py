"""Drives Mailtrap's official Python SDK, unchanged, against the simulator in SDK mode.

The environment does the pointing: HTTPS_PROXY (the simulator) and REQUESTS_CA_BUNDLE (its certificate),
as `mailtrap-tokens serve --sdk-ca FILE` prints them. Prints one line per step; exits non-zero on failure.
"""

import os
import sys

import mailtrap as mt
from mailtrap.models.api_tokens import ApiTokenResource
from mailtrap.models.api_tokens import CreateApiTokenParams

account = int(os.environ["MAILTRAP_ACCOUNT_ID"])
client = mt.MailtrapClient(token=os.environ["MAILTRAP_API_TOKEN"])
tokens = client.general_api.api_tokens

listed = tokens.get_list(account)
print("list", len(listed))
created = tokens.create(
    account,
    CreateApiTokenParams(
        name="python sdk",
        resources=[ApiTokenResource(resource_type="account", resource_id=account, access_level=10)],
    ),
)
assert len(created.token) == 32, "a secret of 32 characters"
print("create", created.id)
got = tokens.get_by_id(account, created.id)
assert got.name == "python sdk"
print("get", got.name)
reset = tokens.reset(account, created.id)
assert reset.name == f"python sdk {reset.id}", reset.name
print("reset", reset.name)
tokens.delete(account, reset.id)
print("delete ok")
sys.exit(0)

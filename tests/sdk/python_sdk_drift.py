"""Changes an account through Mailtrap's official Python SDK, unchanged, between two `drift` runs.

The environment does the pointing (HTTPS_PROXY and REQUESTS_CA_BUNDLE, as `serve --sdk-ca FILE` prints
them); RESET_ID and DELETE_ID name the tokens to reset and to delete. Prints one line per step.
"""

import os
import sys

import mailtrap as mt
from mailtrap.models.api_tokens import ApiTokenResource
from mailtrap.models.api_tokens import CreateApiTokenParams

account = int(os.environ["MAILTRAP_ACCOUNT_ID"])
client = mt.MailtrapClient(token=os.environ["MAILTRAP_API_TOKEN"])
tokens = client.general_api.api_tokens

created = tokens.create(
    account,
    CreateApiTokenParams(
        name="made by python",
        resources=[ApiTokenResource(resource_type="account", resource_id=account, access_level=10)],
    ),
)
print("create", created.id)
reset = tokens.reset(account, int(os.environ["RESET_ID"]))
print("reset", reset.id)
tokens.delete(account, int(os.environ["DELETE_ID"]))
print("delete ok")
sys.exit(0)

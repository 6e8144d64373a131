#!/usr/bin/env python3
"""List an account's API tokens as JSON with Mailtrap's official Python SDK (PyPI `mailtrap`, v2.11).

The start-up bench (benches/startup.sh) times this against `mailtrap-tokens list --output json`.

Setup:  python3 -m venv /tmp/sdkvenv && /tmp/sdkvenv/bin/pip install mailtrap
Run:    MAILTRAP_API_URL=http://127.0.0.1:PORT MAILTRAP_API_TOKEN=... MAILTRAP_ACCOUNT_ID=... \
            /tmp/sdkvenv/bin/python benches/python_sdk_list.py

The SDK always talks to https://mailtrap.io: `HttpClient._url` builds `https://{host}/{path}` and the
client passes `GENERAL_HOST` ("mailtrap.io") as the host. To point it at the simulator, this script
replaces that one method (see `patch_base_url`); everything else (the requests Session, headers, error
handling, JSON decoding and the `ApiToken` pydantic models) is the SDK's own code.
"""

import dataclasses
import json
import os
import sys

import mailtrap
from mailtrap.http import HttpClient


def patch_base_url(base_url: str) -> None:
    """The only change to the SDK: its URL builder uses `base_url` instead of https://mailtrap.io."""
    base = base_url.rstrip("/")

    def _url(self: HttpClient, path: str) -> str:
        return f"{base}/{path.lstrip('/')}"

    HttpClient._url = _url


def main() -> int:
    try:
        base_url = os.environ["MAILTRAP_API_URL"]
        token = os.environ["MAILTRAP_API_TOKEN"]
        account_id = int(os.environ["MAILTRAP_ACCOUNT_ID"])
    except (KeyError, ValueError) as e:
        print(f"python_sdk_list.py: set MAILTRAP_API_URL, MAILTRAP_API_TOKEN and MAILTRAP_ACCOUNT_ID ({e})",
              file=sys.stderr)
        return 2
    patch_base_url(base_url)
    client = mailtrap.MailtrapClient(token=token)
    tokens = client.general_api.api_tokens.get_list(account_id)
    json.dump([dataclasses.asdict(t) for t in tokens], sys.stdout)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

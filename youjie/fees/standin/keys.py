"""The key material of a local WeChat Pay stand-in: the merchant's API key pair (the merchant
signs requests, the stand-in checks them), the platform's key pair (the stand-in signs responses
and notifications, the merchant checks them with the public key and its id) and the APIv3 key.

Generated at run time, never committed: into a temporary directory by the tests, into
``var/fees-standin/`` by ``manage.py fees_standin`` for the demo (files readable by the owner
only).
"""

from __future__ import annotations

import os
import secrets
import string
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

FILES = {
    "merchant_private_key": "apiclient_key.pem",
    "merchant_public_key": "apiclient_pub.pem",
    "platform_private_key": "platform_key.pem",
    "platform_public_key": "pub_key.pem",
}
SETTINGS_FILE = "settings.txt"  # mchid, appid, serial, key id, APIv3 key: one "name=value" a line


def _pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode("ascii")
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode("ascii")
    )
    return private, public


@dataclass(frozen=True)
class StandInKeys:
    mchid: str
    appid: str
    merchant_serial_no: str
    merchant_private_key: str
    merchant_public_key: str
    platform_public_key_id: str
    platform_private_key: str
    platform_public_key: str
    apiv3_key: str

    @classmethod
    def generate(cls) -> StandInKeys:
        merchant_private, merchant_public = _pair()
        platform_private, platform_public = _pair()
        alphabet = string.ascii_letters + string.digits
        return cls(
            mchid="1900" + "".join(secrets.choice(string.digits) for _ in range(6)),
            appid="wx" + secrets.token_hex(8),
            merchant_serial_no=secrets.token_hex(20).upper(),
            merchant_private_key=merchant_private,
            merchant_public_key=merchant_public,
            platform_public_key_id="PUB_KEY_ID_" + secrets.token_hex(16).upper(),
            platform_private_key=platform_private,
            platform_public_key=platform_public,
            apiv3_key="".join(secrets.choice(alphabet) for _ in range(32)),
        )

    def write(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for attribute, name in FILES.items():
            path = directory / name
            path.write_text(getattr(self, attribute), "ascii")
            os.chmod(path, 0o600)
        settings_path = directory / SETTINGS_FILE
        settings_path.write_text(
            "".join(
                f"{name}={getattr(self, name)}\n"
                for name in (
                    "mchid",
                    "appid",
                    "merchant_serial_no",
                    "platform_public_key_id",
                    "apiv3_key",
                )
            ),
            "ascii",
        )
        os.chmod(settings_path, 0o600)

    @classmethod
    def load(cls, directory: Path) -> StandInKeys:
        values = dict(
            line.split("=", 1)
            for line in (directory / SETTINGS_FILE).read_text("ascii").splitlines()
            if "=" in line
        )
        files = {
            attribute: (directory / name).read_text("ascii") for attribute, name in FILES.items()
        }
        return cls(
            mchid=values["mchid"],
            appid=values["appid"],
            merchant_serial_no=values["merchant_serial_no"],
            platform_public_key_id=values["platform_public_key_id"],
            apiv3_key=values["apiv3_key"],
            **files,
        )

    @classmethod
    def load_or_generate(cls, directory: Path) -> StandInKeys:
        if (directory / SETTINGS_FILE).is_file():
            return cls.load(directory)
        keys = cls.generate()
        keys.write(directory)
        return keys

    def payment_settings(
        self, *, directory: Path, base_url: str, notify_url: str
    ) -> dict[str, object]:
        """YOUJIE_PAYMENT for a merchant talking to this stand-in (keys in ``directory``)."""
        return {
            "provider": "wechatpay",
            "mchid": self.mchid,
            "appid": self.appid,
            "private_key_path": str(directory / FILES["merchant_private_key"]),
            "cert_serial_no": self.merchant_serial_no,
            "apiv3_key": self.apiv3_key,
            "platform_public_key_path": str(directory / FILES["platform_public_key"]),
            "platform_public_key_id": self.platform_public_key_id,
            "base_url": base_url,
            "notify_url": notify_url,
        }

"""Keyed lookup hashes of personal identifiers, shared by services and selectors.

The hash is taken over the *canonical* form only (18-character resident ID, 11-digit mobile),
so that every spelling of the same number finds the same row.
"""

from __future__ import annotations

from youjie.core.crypto import lookup_hash

ID_NUMBER_HASH_PURPOSE = "people.person.id_number"
PHONE_HASH_PURPOSE = "people.person.phone"


def id_number_hash(canonical_id_number: str) -> str:
    return lookup_hash(canonical_id_number, purpose=ID_NUMBER_HASH_PURPOSE)


def phone_hash(canonical_mobile: str) -> str:
    return lookup_hash(canonical_mobile, purpose=PHONE_HASH_PURPOSE)

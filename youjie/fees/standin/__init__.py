"""A local stand-in of the payment provider (WeChat Pay API v3) for the tests and the demo:
``keys`` makes its key material, ``server`` serves it on loopback. Not used in production."""

from youjie.fees.standin.keys import StandInKeys
from youjie.fees.standin.records import Notification
from youjie.fees.standin.server import StandIn

__all__ = ["Notification", "StandIn", "StandInKeys"]

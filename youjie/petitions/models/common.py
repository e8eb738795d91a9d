"""Size limits shared by the petitions models, the services (which refuse longer input with a
Chinese message), the forms and the API schemas built on them: titles, names, texts, places,
file names and money (``Decimal`` with two places, never a float).
"""

from __future__ import annotations

# Size limits, shared by the services (which refuse longer input with a Chinese message), the
# forms and the API schemas built on them.
TITLE_MAX = 200
NAME_MAX = 100
TEXT_MAX = 4000
HISTORY_MAX = 10000
REASON_MAX = 1000

# Work records, coordination requests, aid (issue 13 item 4).
PLACE_MAX = 200
ATTACHMENT_NAME_MAX = 100
# Money: Decimal with two places (元, 分), never a float.
MONEY_DIGITS = 12
MONEY_PLACES = 2

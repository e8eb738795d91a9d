from django.db import models


class CallDirection(models.TextChoices):
    INBOUND = "inbound", "呼入"
    OUTBOUND = "outbound", "呼出"

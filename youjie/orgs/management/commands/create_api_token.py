from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from youjie.core.errors import ApplicationError
from youjie.orgs.models import OrgUnit
from youjie.orgs.services import api_token_create


class Command(BaseCommand):
    help = "Create an API token bound to an org unit's scope; prints the key once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name")
        parser.add_argument("--org", required=True, help="org unit code")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = OrgUnit.objects.filter(code=options["org"]).first()
        if unit is None:
            raise CommandError(f"机构代码不存在：{options['org']}")
        try:
            token, key = api_token_create(name=options["name"], org_unit=unit)
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"令牌 {token.name} 已创建（范围：{unit.name}）。请妥善保存，仅显示一次："
        )
        self.stdout.write(key)

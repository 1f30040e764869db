"""The 责任人 field groups people by unit and can be filtered (issue 10: a flat list of 97 names)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_responsible_person_is_picked_by_unit(client, personas, checklist):
    client.force_login(personas.sun)
    html = client.get(reverse("ledger:item_create")).content.decode()
    picker = html.split('name="responsible_person"')[1].split("</select>")[0]
    assert "data-person-picker" in html
    assert '<optgroup label="法制工作委员会">' in picker
    legal = picker.split('<optgroup label="法制工作委员会">')[1].split("</optgroup>")[0]
    assert "李主任（主任）" in legal and "周科员（科员）" in legal and "吴科员" not in legal
    assert legal.index("李主任") < legal.index("周科员")  # the head first
    assert '<optgroup label="常委会领导及其他">' in picker  # 赵主任 has no unit posting

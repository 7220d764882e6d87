"""Bodies a contact question names, against the contacts (bot/engine/contact_bodies.py)."""

from __future__ import annotations

from bot.engine import Engine


def test_a_body_is_a_contact_s_by_organisation_alias_or_the_document_it_issued(
    engine: Engine,
) -> None:
    reader = engine.desk.bodies
    named = {b.name: b for b in reader.named("省国资委和领导小组办公室和省司法厅的电话")}
    assert reader.belongs(named["省国资委"])  # 刘亚强's organisation
    assert [c.id for c in reader.issued_by(named["领导小组办公室"])] == ["wang-guoqiang"]
    assert not reader.belongs(named["省司法厅"])


def test_the_askers_own_body_is_told_by_how_it_is_named(engine: Engine) -> None:
    reader = engine.desk.bodies
    own = reader.named("我们是辛集市领导小组，问省里找谁")
    assert own and reader.own(own[0])
